"""The order page a customer reaches through the private link in their email, and the form
that mails that link again to a guest who lost it."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from shop.config_documents import shop_details
from shop.extensions import limiter
from shop.orders import bp
from shop.orders.forms import FindOrderForm
from shop.pdf_views import pdf_response
from shop.services.documents import orders as documents
from shop.services.impact.orders import order_impact
from shop.services.ordering import bank_transfers, lookup, orders

FIND_NETWORK_LIMIT = "10 per hour"
FIND_ADDRESS_LIMIT = "3 per hour"


@bp.get("/orders/<token>")
def show(token: str) -> str:
    """Show an order's status, lines, totals and history to whoever holds its link."""
    order = orders.find_by_token(token) or abort(404)
    by_bank = order.payment_gateway == "bank" or (
        order.payment_gateway == "" and order.total_idr > current_app.config["CARD_LIMIT_IDR"]
    )
    return render_template(
        "orders/order.html", order=order, has_invoice=documents.has_invoice(order),
        impact=order_impact(order, str(get_locale())),
        bank=bank_transfers.balance(order) if by_bank else None,
        shop=shop_details(current_app.config),
    )  # fmt: skip


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


def _per_address() -> str:
    """Count requests per address, whoever asks and whether or not an order matches."""
    return "find-order:" + request.form.get("email", "").strip().lower()[:254]


@bp.route("/orders/find", methods=["GET", "POST"])
@limiter.limit(FIND_NETWORK_LIMIT, methods=["POST"])
@limiter.limit(FIND_ADDRESS_LIMIT, methods=["POST"], key_func=_per_address)
def find() -> tuple[str, int] | Response:
    """Mail the order's link to its address; answer the same whether or not an order matched."""
    form = FindOrderForm()
    if not form.validate_on_submit():
        return render_template("orders/find.html", form=form), 422 if form.errors else 200
    order = lookup.find_guest_order(form.email.data or "", form.order_number.data or "")
    if order is not None:
        url = url_for("orders.show", token=order.token, _external=True)
        lookup.send_order_link(current_app.extensions["mailer"], order, url, str(get_locale()))
    return redirect(url_for("orders.find_sent"), 303)


@bp.get("/orders/find/sent")
def find_sent() -> str:
    """Say where the link went, without saying whether an order matched."""
    return render_template(
        "pages/message.html",
        title=gettext("Check your inbox"),
        message=gettext(
            "If an order with that number was placed with that address, we have "
            "sent the link to it there. It can take a few minutes; please check "
            "your spam folder too."
        ),  # fmt: skip
        find_again=True,
    )


@bp.errorhandler(429)
def too_many(error: HTTPException) -> tuple[str, int]:
    """Explain the limit on links instead of a bare 429."""
    return render_template(
        "pages/message.html",
        title=gettext("Too many links asked for"),
        message=gettext(
            "We have sent several links to this address (or from your network) "
            "in the last hour. Please check your inbox and spam folder, or try "
            "again in an hour."
        ),  # fmt: skip
    ), 429
