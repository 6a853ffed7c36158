"""The order page a customer reaches through the private link in their email."""

from __future__ import annotations

from flask import abort, render_template

from shop.orders import bp
from shop.services.ordering import orders


@bp.get("/orders/<token>")
def show(token: str) -> str:
    """Show an order's status, lines, totals and history to whoever holds its link."""
    order = orders.find_by_token(token) or abort(404)
    return render_template("orders/order.html", order=order)
