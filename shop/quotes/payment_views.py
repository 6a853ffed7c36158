"""The buyer accepts a quote (who is invoiced, where the models go) and pays it: by card on
the payment provider's page, or above the card limit by bank transfer, with the details and
the pro-forma mailed at once."""

from __future__ import annotations

import re
from datetime import date

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from shop.checkout.views import open_payment_page
from shop.config_documents import shop_details
from shop.extensions import limiter
from shop.gateways.payments import PaymentError
from shop.models import Order, QuoteRequest
from shop.quotes import bp
from shop.quotes.documents import proforma
from shop.quotes.forms import AcceptForm, PayForm
from shop.quotes.messages import error_message
from shop.quotes.views import ANSWER_LIMIT, _notify_staff, _page, _quote_or_404
from shop.services.ordering import bank_mail
from shop.services.quotes import payments as quote_payments
from shop.services.quotes import requests as quotes


@bp.post("/quote/<token>/accept")
@limiter.limit(ANSWER_LIMIT)
def accept(token: str) -> Response | tuple[str, int]:
    """Accept the quote version the buyer read."""
    quote = _quote_or_404(token)
    form = AcceptForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _page(quote, 422, accept_form=form)
    version = int(form.version.data) if re.fullmatch(r"[0-9]{1,9}", form.version.data or "") else 0
    try:
        offer = quotes.accept(quote, version, details=form.details())
        limit = current_app.config["CARD_LIMIT_IDR"]
        order = None
        if offer.total_idr > limit:  # paid by bank transfer: its order and reference now
            gateway = current_app.extensions["payments"]
            order = quote_payments.payment_order(quote, gateway, card_limit_idr=limit)
    except quotes.QuoteError as error:
        flash(error_message(error), "error")
        return redirect(url_for("quotes.show", token=token), 303)
    _notify_staff(quote, "accepted")
    if order is None:
        flash(gettext("Thank you: the quote is accepted. You can pay now."), "success")
    else:
        _send_payment_instructions(quote, order, offer.valid_until)
        message = gettext(
            "Thank you: the quote is accepted. The bank transfer details are "
            "below, and on their way to you by email with the pro-forma invoice."
        )
        flash(message, "success")
    return redirect(url_for("quotes.show", token=token) + "#payment", 303)


def _send_payment_instructions(quote: QuoteRequest, order: Order, due_on: date) -> None:
    """Mail the bank details and the pro-forma invoice to the buyer."""
    bank_mail.send(
        current_app.extensions["mailer"], order, "instructions",
        shop=shop_details(current_app.config), due_on=due_on,
        order_url=url_for("orders.show", token=order.token, _external=True),
        attachments=proforma(quote),
    )  # fmt: skip


@bp.post("/quote/<token>/pay")
def pay(token: str) -> Response:
    """Open the payment page for the accepted quote, or show the bank transfer details."""
    quote = _quote_or_404(token)
    if not PayForm().validate_on_submit():
        abort(400)
    gateway = current_app.extensions["payments"]
    limit = current_app.config["CARD_LIMIT_IDR"]
    try:
        order = quote_payments.payment_order(quote, gateway, card_limit_idr=limit)
    except quotes.QuoteError as error:
        flash(error_message(error), "error")
        return redirect(url_for("quotes.show", token=token), 303)
    if quote_payments.needs_bank_transfer(order, limit):
        return redirect(url_for("quotes.show", token=token) + "#payment", 303)
    try:
        url = open_payment_page(order)
    except PaymentError:
        flash(gettext("The payment page could not be opened. Nothing was charged; "
                      "please try again in a moment."), "error")  # fmt: skip
        return redirect(url_for("quotes.show", token=token), 303)
    return redirect(url, 303)
