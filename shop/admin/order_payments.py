"""An order's money in the back office: refunds, orders on hold, bank transfers."""

from __future__ import annotations

from flask import current_app, flash, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from shop.admin import bp
from shop.admin.order_forms import HoldRefundForm, RefundForm, ReleaseHoldForm
from shop.admin.orders import _back, _form_errors, _order_or_404, _refused, _staff
from shop.gateways.bank import BankTransferRefunds
from shop.gateways.payments import PaymentError
from shop.models import Order
from shop.services.ordering import fulfilment, refunds
from shop.services.ordering import mail as notifications
from shop.services.ordering.fulfilment import InvalidTransition
from shop.services.ordering.refunds import InvalidRefund
from shop.templating import idr as format_idr


@bp.post("/orders/<int:order_id>/refund")
def refund_order(order_id: int) -> BaseResponse:
    """Refund part or all of the payment through the payment provider, then tell the buyer."""
    order = _order_or_404(order_id)
    form = RefundForm()
    if _form_errors(form):
        return _back(order_id)
    _refund(order, form.amount_idr, form.token.data, form.reason.data)
    return _back(order_id)


@bp.post("/orders/<int:order_id>/refund-in-full")
def refund_hold(order_id: int) -> BaseResponse:
    """Refund an order on hold in full, in one click: it goes back to the customer."""
    order = _order_or_404(order_id)
    form = HoldRefundForm()
    if _form_errors(form):
        return _back(order_id)
    reason = "Could not be fulfilled as paid (on hold: %s)" % (order.hold_reason or "-")
    _refund(order, refunds.refundable_idr(order), form.token.data, reason)
    return _back(order_id)


def _refund(order: Order, amount_idr: int, token: str, reason: str) -> None:
    bank = order.payment_gateway == "bank"  # no provider: staff send the money themselves
    gateway = BankTransferRefunds() if bank else current_app.extensions["payments"]
    try:
        refunds.refund(order.id, amount_idr, token=token, reason=reason, gateway=gateway,
                       actor=_staff())  # fmt: skip
    except InvalidRefund as exc:
        flash(_refund_message(exc), "error")
        return
    except PaymentError as exc:
        flash(
            gettext(
                "The payment provider refused the refund: %(reason)s. Nothing was changed.",
                reason=str(exc),
            ),
            "error",
        )
        return
    order_url = url_for("orders.show", token=order.token, _external=True)
    notifications.send_refund_notice(current_app.extensions["mailer"], order, amount_idr, order_url)
    if bank:
        flash(gettext("Refund of %(amount)s recorded for order %(number)s: send it to the "
                      "customer's account by bank transfer. The customer has been emailed.",
                      amount=format_idr(amount_idr), number=order.number), "success")  # fmt: skip
        return
    flash(
        gettext(
            "Refunded %(amount)s for order %(number)s; the customer has been emailed.",
            amount=format_idr(amount_idr),
            number=order.number,
        ),
        "success",
    )


@bp.post("/orders/<int:order_id>/release")
def release_hold(order_id: int) -> BaseResponse:
    """Send an order on hold to packing once staff settled it."""
    order = _order_or_404(order_id)
    form = ReleaseHoldForm()
    if _form_errors(form):
        return _back(order_id)
    try:
        fulfilment.release_hold(order, _staff(), form.note.data or "")
    except fulfilment.StockStillMissing:
        flash(gettext("Its pieces are still not in stock: add them to stock first (made or "
                      "received), or refund the order."), "error")  # fmt: skip
    except InvalidTransition as exc:
        _refused(order, exc)
    else:
        flash(gettext("Order %(number)s goes to packing.", number=order.number), "success")
    return _back(order_id)


def _refund_message(exc: InvalidRefund) -> str:
    if exc.reason == "replayed":
        return gettext("This refund form was already sent, so nothing more was refunded. "
                       "The order's history shows the refund.")  # fmt: skip
    if exc.reason == "token":
        return gettext("The form expired. Please try again.")
    if exc.reason == "reason":
        return gettext("Say why the money goes back (at most %(num)d characters).",
                       num=refunds.MAX_REASON)  # fmt: skip
    if exc.reason == "not_paid":
        return gettext("This order was never paid, so there is nothing to refund.")
    if exc.reason == "no_payment":
        return gettext("This order has no payment reference, so it can't be refunded here.")
    if exc.remaining_idr == 0:
        return gettext("This order has been refunded in full already.")
    return gettext(
        "Enter an amount between %(low)s and %(high)s.",
        low=format_idr(1), high=format_idr(exc.remaining_idr),
    )  # fmt: skip
