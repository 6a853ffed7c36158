"""The order page a customer reaches through the private link in their email."""

from __future__ import annotations

from flask import Response, abort, render_template

from shop.orders import bp
from shop.pdf_views import pdf_response
from shop.services.documents import orders as documents
from shop.services.ordering import orders


@bp.get("/orders/<token>")
def show(token: str) -> str:
    """Show an order's status, lines, totals and history to whoever holds its link."""
    order = orders.find_by_token(token) or abort(404)
    return render_template(
        "orders/order.html", order=order, has_invoice=documents.has_invoice(order)
    )


@bp.get("/orders/<token>/invoice.pdf")
def invoice(token: str) -> Response:
    """The paid order's invoice as PDF, in the buyer's language, to whoever holds its link."""
    order = orders.find_by_token(token) or abort(404)
    if not documents.has_invoice(order):
        abort(404)
    docs = documents.documents_for([order])
    return pdf_response(
        "documents/invoice.html", order.locale, f"{order.invoice_number}.pdf", docs=docs
    )
