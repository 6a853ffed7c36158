"""Messages from the contact form: one to staff (in Indonesian), an acknowledgement to the sender.

The acknowledgement repeats nothing the sender typed, not even their name: otherwise anyone
could have the shop mail their text to any address. Like all mail here, sending is best
effort: a failure is logged and reported as False.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from shop.gateways.mail import Mailer, MailMessage
from shop.services.ordering.mail import STAFF_LOCALE, deliver


@dataclass(frozen=True)
class ContactMessage:
    """What a visitor wrote on the contact form."""

    name: str
    email: str
    subject: str
    message: str
    order_number: str = ""
    locale: str = "en"


def one_line(text: str, limit: int) -> str:
    """The text on one line, without control characters, at most `limit` characters."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(printable.split())[:limit]


def send_to_staff(mailer: Mailer, message: ContactMessage, staff_email: str) -> bool:
    """Forward the message to staff; replying answers the sender. Return whether it was sent."""
    name = one_line(message.name, 120)
    with force_locale(STAFF_LOCALE):
        mail = MailMessage(
            to=staff_email,
            subject=_("Contact form: %(subject)s", subject=one_line(message.subject, 150)),
            text=render_template("mail/contact_staff.txt", message=message, name=name),
            reply_to=formataddr((name, message.email)),
        )
    return deliver(mailer, mail, "Contact form: message to staff")


def send_acknowledgement(mailer: Mailer, message: ContactMessage, links: dict[str, str]) -> bool:
    """Tell the sender, in their language, that the message arrived and when to expect a reply."""
    with force_locale(message.locale):
        context = {"locale": message.locale, "links": links}
        mail = MailMessage(
            to=message.email,
            subject=_("We received your message"),
            text=render_template("mail/contact_reply.txt", **context),
            html=render_template("mail/contact_reply.html", **context),
        )
    return deliver(mailer, mail, "Contact form: acknowledgement")
