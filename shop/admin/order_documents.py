"""Staff print an order's invoice, or packing slips and commercial invoices for many orders."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import get_locale, gettext
from werkzeug.wrappers import Response as BaseResponse

from shop.admin import bp
from shop.pdf_views import pdf_response
from shop.services.documents import orders as documents
from shop.services.ordering import fulfilment

# The kinds of document staff print for a batch of orders, and their templates.
KINDS = {
    "packing-slips": "documents/packing_slip.html",
    "commercial-invoices": "documents/commercial_invoice.html",
}


@bp.get("/orders/<int:order_id>/invoice.pdf")
def order_invoice(order_id: int) -> Response:
    """The order's invoice as its buyer gets it (in the buyer's language)."""
    order = fulfilment.find_order(order_id) or abort(404)
    if not documents.has_invoice(order):
        abort(404)
    docs = documents.documents_for([order])
    return pdf_response(
        "documents/invoice.html", order.locale, f"{order.invoice_number}.pdf", docs=docs
    )


@bp.get("/orders/documents/<kind>.pdf")
def order_documents(kind: str) -> Response | BaseResponse:
    """One PDF with a packing slip or commercial invoice per chosen paid order, a page each;
    with none chosen, for every order paid and waiting to be packed.

    Printed in the staff member's language (the item names too, where translated); the
    values stay in rupiah with the buyer's currency beside them.
    """
    template = KINDS.get(kind) or abort(404)
    ids = request.args.getlist("order_id", type=int)
    if len(ids) > documents.MAX_BATCH:
        abort(400)
    orders = documents.printable_orders(ids)
    if not orders:
        flash(gettext("None of these orders is paid: there is nothing to print."), "error")
        return redirect(url_for("admin.orders"), 303)
    lang = str(get_locale() or "en")
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    return pdf_response(
        template, lang, f"{kind}-{stamp}.pdf", docs=documents.documents_for(orders, lang)
    )
