"""Bank transfer mails to the buyer: how to pay, a reminder before the deadline, each transfer.

Like every order mail they are queued (the mailer stores them) and never raise; they speak
the buyer's language and show the bank details wherever money is still due.
"""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from shop.config_documents import ShopDetails
from shop.gateways.mail import Attachment, Mailer, MailMessage
from shop.models import Order
from shop.services.ordering import bank_transfers
from shop.services.ordering.mail import deliver, order_context

KINDS = ("instructions", "reminder", "short", "overpaid", "extra", "returned")


def _subject(kind: str, number: str) -> str:
    subjects = {
        "instructions": _("How to pay for your order %(number)s by bank transfer", number=number),
        "reminder": _("Reminder: payment for your order %(number)s", number=number),
        "short": _("Part of your payment for order %(number)s has arrived", number=number),
        "overpaid": _("Your payment for order %(number)s has arrived", number=number),
        "extra": _("An extra payment for your order %(number)s", number=number),
        "returned": _("We sent money back for your order %(number)s", number=number),
    }  # fmt: skip
    return subjects[kind]


def send(
    mailer: Mailer,
    order: Order,
    kind: str,
    *,
    shop: ShopDetails,
    order_url: str,
    amount_idr: int = 0,
    due_on: date | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> bool:
    """Tell the buyer about paying `order` by bank transfer; return whether it was queued."""
    if kind not in KINDS:
        raise ValueError(f"unknown bank transfer mail {kind!r}")
    locale = order.locale or "en"
    with force_locale(locale):
        context = order_context(
            order, locale, order_url=order_url, kind=kind, shop=shop, amount_idr=amount_idr,
            due_on=due_on, balance=bank_transfers.balance(order),
        )  # fmt: skip
        message = MailMessage(
            to=order.email,
            subject=_subject(kind, order.number or ""),
            text=render_template("mail/bank_transfer.txt", **context),
            html=render_template("mail/bank_transfer.html", **context),
            attachments=attachments,
        )
    return deliver(mailer, message, f"Order {order.number}: bank transfer {kind} mail")
