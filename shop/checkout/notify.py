"""Mail sent when an order is paid: to the customer and to the staff."""

from __future__ import annotations

from contextlib import nullcontext

from flask import current_app, url_for

from shop.models import Order
from shop.services.ordering import mail as notifications


def order_paid(order: Order) -> None:
    """Send the confirmation and the staff notice; a mail failure is logged, never raised."""
    mailer = current_app.extensions["mailer"]
    order_url = url_for("orders.show", token=order.token, _external=True)
    # The queue stores both in one commit; a plain mailer (tests) sends each as it comes.
    with getattr(mailer, "together", nullcontext)():
        notifications.send_order_paid(mailer, order, order_url, current_app.config["STAFF_EMAIL"])
