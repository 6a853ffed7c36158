"""Finding a guest's order again from its email address and number, and mailing its link."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from shop.extensions import db
from shop.gateways.mail import Mailer, MailMessage
from shop.models import Order
from shop.services.ordering.mail import deliver


def find_guest_order(email: str, number: str) -> Order | None:
    """The order with this number placed with this address (any case), or None."""
    address = (email or "").strip().lower()
    wanted = (number or "").strip().upper()
    if not address or not wanted or len(wanted) > 32:
        return None
    return db.session.scalar(
        select(Order).where(Order.number == wanted, func.lower(Order.email) == address)
    )


def send_order_link(mailer: Mailer, order: Order, order_url: str, locale: str) -> bool:
    """Mail the order's private link to the address it was placed with."""
    with force_locale(locale):
        context = {"order": order, "order_url": order_url, "locale": locale}
        message = MailMessage(
            to=order.email,
            subject=_("The link to your Karya Binaan order %(number)s", number=order.number),
            text=render_template("mail/order_link.txt", **context),
            html=render_template("mail/order_link.html", **context),
        )
    return deliver(mailer, message, f"Order {order.number}: link sent again")
