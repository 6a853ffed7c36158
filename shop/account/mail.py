"""The account mails: the link that confirms an address, the reset link, a changed password."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from shop.gateways.mail import MailMessage
from shop.models import Customer
from shop.services.ordering.mail import deliver


def _send(
    customer: Customer, subject: object, template: str, locale: str, **context: object
) -> bool:
    """Render both parts of `template` in the buyer's language and send them to the account."""
    locale = locale or "en"
    with force_locale(locale):
        context = {"customer": customer, "locale": locale, **context}
        message = MailMessage(
            to=customer.email,
            subject=str(subject),  # a lazy string, read in the mail's language
            text=render_template(f"mail/{template}.txt", **context),
            html=render_template(f"mail/{template}.html", **context),
        )
    return deliver(current_app.extensions["mailer"], message, f"Account {customer.id}: {template}")


def send_confirmation_link(customer: Customer, url: str, locale: str, valid_days: int) -> bool:
    """Email the link that confirms the account's address; return whether it was sent."""
    subject = _l("Confirm your email address for Karya Binaan")
    return _send(customer, subject, "account_claim", locale, confirm_url=url, valid_days=valid_days)


def send_reset_link(customer: Customer, url: str, locale: str, valid_minutes: int) -> bool:
    """Email a one-time link to choose a new password; return whether it was sent."""
    subject = _l("Choose a new password for Karya Binaan")
    return _send(customer, subject, "password_reset", locale, reset_url=url, minutes=valid_minutes)


def send_password_changed(customer: Customer, forgot_url: str, locale: str) -> bool:
    """Tell the account its password changed, with a way back if it wasn't them."""
    subject = _l("Your Karya Binaan password was changed")
    return _send(customer, subject, "password_changed", locale, forgot_url=forgot_url)
