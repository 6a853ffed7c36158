"""Quote emails: the buyer's private link, each answer from staff, and the staff's notices.

Best effort like every shop mail: a failure is logged and reported as False, never raised,
so a quote action is never lost to an SMTP problem. Call these after committing.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from shop.gateways.mail import Attachment, Mailer, MailMessage
from shop.models import QuoteRequest
from shop.services.ordering import mail as notifications

# The buyer hears of the request received, a new offer, a staff message and production
# progress here; payment and shipping are told by the order's own mails.


def _subject(kind: str, quote: QuoteRequest) -> str:
    subjects = {
        "received": _("We received your quote request %(number)s", number=quote.number),
        "offer": _("Your quote %(number)s is ready", number=quote.number),
        "message": _("A new message about your quote %(number)s", number=quote.number),
        "progress": _("Production update for your quote %(number)s", number=quote.number),
    }  # fmt: skip
    return subjects[kind]


def send_to_buyer(
    mailer: Mailer,
    quote: QuoteRequest,
    kind: str,
    quote_url: str,
    attachments: tuple[Attachment, ...] = (),
) -> bool:
    """Tell the buyer what changed on their request, with its private link (and any files)."""
    locale = quote.locale or "en"
    with force_locale(locale):
        context = {"quote": quote, "kind": kind, "quote_url": quote_url, "locale": locale}
        message = MailMessage(
            to=quote.email,
            subject=_subject(kind, quote),
            text=render_template("mail/quote_update.txt", **context),
            html=render_template("mail/quote_update.html", **context),
            attachments=attachments,
        )
    return _deliver(mailer, message, quote, kind)


def send_to_staff(mailer: Mailer, quote: QuoteRequest, kind: str, staff_email: str,
                  admin_url: str) -> bool:  # fmt: skip
    """Tell the staff about a new request, a buyer's message, an acceptance or a decline."""
    with force_locale(notifications.STAFF_LOCALE):
        subjects = {
            # One line: a line break a buyer slipped into the name would make the mail unsendable.
            "new": _("New quote request %(number)s from %(organisation)s",
                     number=quote.number, organisation=" ".join(quote.organisation.split())),
            "message": _("Buyer's message on quote %(number)s", number=quote.number),
            "accepted": _("Quote %(number)s accepted", number=quote.number),
            "declined": _("Quote %(number)s declined", number=quote.number),
        }  # fmt: skip
        message = MailMessage(
            to=staff_email,
            subject=subjects[kind],
            text=render_template(
                "mail/staff_quote.txt", quote=quote, kind=kind, admin_url=admin_url
            ),
        )
    return _deliver(mailer, message, quote, f"staff-{kind}")


def _deliver(mailer: Mailer, message: MailMessage, quote: QuoteRequest, kind: str) -> bool:
    return notifications.deliver(mailer, message, f"Quote {quote.number}: {kind} mail")
