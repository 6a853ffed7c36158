"""Orders in the back office: list, filter, export, open one, and move it along."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from shop.admin import bp
from shop.admin.downloads import csv_download
from shop.admin.order_forms import (
    BankTransferForm,
    CancelForm,
    HoldRefundForm,
    OrderActionForm,
    OrderFilterForm,
    RefundForm,
    ReleaseHoldForm,
    ShipForm,
)
from shop.converters import page_number
from shop.models import Order, OrderStatus, User
from shop.services import clock
from shop.services.ordering import bank_transfers, carriers, fulfilment, refunds
from shop.services.ordering import mail as notifications
from shop.services.ordering.fulfilment import (
    InvalidShipment,
    InvalidTransition,
    OrderFilter,
)
from shop.templating import idr as format_idr

PER_PAGE = 50


@bp.context_processor
def order_labels() -> dict[str, object]:
    """Give admin templates the order status names in words."""
    return {"status_label": notifications.status_label}


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["SHOP_TIMEZONE"])


def _filters(form: OrderFilterForm) -> OrderFilter:
    """The filter the form describes; fields that did not validate are left out."""
    form.validate()
    status = form.status.data if not form.status.errors else ""
    return OrderFilter(
        status=OrderStatus(status) if status else None,
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
        q=(form.q.data or "").strip() if not form.q.errors else "",
    )


def _filter_args() -> dict[str, str]:
    """The list's filters from the query string, for links that keep them."""
    keys = ("status", "date_from", "date_to", "q")
    return {key: request.args[key] for key in keys if request.args.get(key)}


@bp.get("/orders")
def orders() -> str:
    """List orders newest first, filtered by status, dates and number or email."""
    form = OrderFilterForm(request.args)
    filters = _filters(form)
    page = request.args.get("page", 1, type=page_number)
    found = fulfilment.search_orders(filters, _tz(), page=page, per_page=PER_PAGE)
    return render_template("admin/orders.html", form=form, page=found, filter_args=_filter_args())


@bp.get("/orders/export.csv")
def export_orders() -> Response:
    """Download the filtered orders as CSV, one row per order."""
    filters = _filters(OrderFilterForm(request.args))
    rows = fulfilment.orders_csv(filters, _tz())

    return csv_download(rows, f"orders-{datetime.now(_tz()):%Y%m%d-%H%M}.csv")


def _staff() -> User:
    """The signed-in account, named in the order's history and the audit log."""
    return current_user._get_current_object()


def _order_or_404(order_id: int) -> Order:
    return fulfilment.find_order(order_id) or abort(404)


@bp.get("/orders/<int:order_id>")
def order_detail(order_id: int) -> str:
    """Show one order: lines, money, address, payment, history and what can be done next."""
    order = _order_or_404(order_id)
    remaining = refunds.refundable_idr(order)
    # Each form carries a token of its own: sending it twice refunds once.
    refund_form = RefundForm(formdata=None, token=refunds.new_token())
    return render_template(
        "admin/order.html",
        order=order,
        steps={str(step) for step in fulfilment.next_steps(order)},
        remaining_idr=remaining,
        action_form=OrderActionForm(),
        ship_form=ShipForm(formdata=None),
        cancel_form=CancelForm(formdata=None),
        refund_form=refund_form,
        hold_refund_form=HoldRefundForm(formdata=None, token=refunds.new_token()),
        release_form=ReleaseHoldForm(formdata=None),
        transfer_form=BankTransferForm(
            formdata=None, transferred_on=clock.shop_today(), prefix="in"
        ),
        return_form=BankTransferForm(
            formdata=None, transferred_on=clock.shop_today(), prefix="out"
        ),
        bank=bank_transfers.balance(order) if bank_transfers.takes_transfers(order) else None,
        carrier_names=[c.name for c in carriers.all_carriers()],
        tracking_url=carriers.tracking_link(order.carrier, order.tracking_number),
    )


def _back(order_id: int) -> BaseResponse:
    return redirect(url_for("admin.order_detail", order_id=order_id), 303)


def _form_errors(form: FlaskForm) -> bool:
    """Flash the form's first error; True if there was one."""
    if form.validate_on_submit():
        return False
    errors = [message for messages in form.errors.values() for message in messages]
    if "csrf_token" in form.errors:
        errors = [gettext("The form expired. Please try again.")]
    flash(str(errors[0]) if errors else gettext("Please check the form."), "error")
    return True


def _refused(order: Order, exc: InvalidTransition) -> None:
    flash(
        gettext(
            "This order is %(status)s, so it can't be marked %(wanted)s. Nothing was changed.",
            status=notifications.status_label(exc.current),
            wanted=notifications.status_label(exc.wanted),
        ),
        "error",
    )


@bp.post("/orders/<int:order_id>/packed")
def mark_packed(order_id: int) -> BaseResponse:
    """Mark the order packed."""
    order = _order_or_404(order_id)
    if _form_errors(OrderActionForm()):
        return _back(order_id)
    try:
        fulfilment.mark_packed(order, _staff())
    except InvalidTransition as exc:
        _refused(order, exc)
    else:
        flash(gettext("Order %(number)s is packed.", number=order.number), "success")
    return _back(order_id)


@bp.post("/orders/<int:order_id>/shipped")
def mark_shipped(order_id: int) -> BaseResponse:
    """Mark the order shipped with its tracking number, then email the customer."""
    order = _order_or_404(order_id)
    form = ShipForm()
    if _form_errors(form):
        return _back(order_id)
    try:
        fulfilment.mark_shipped(order, form.carrier.data, form.tracking_number.data, _staff())
    except InvalidTransition as exc:
        _refused(order, exc)
    except InvalidShipment as exc:
        flash(_shipment_message(exc), "error")
    else:
        mailer = current_app.extensions["mailer"]
        order_url = url_for("orders.show", token=order.token, _external=True)
        if notifications.send_order_shipped(mailer, order, order_url):
            flash(
                gettext(
                    "Order %(number)s is shipped; the customer was emailed.", number=order.number
                ),
                "success",
            )
        else:
            flash(
                gettext(
                    "Order %(number)s is shipped, but the email to the customer could not be sent.",
                    number=order.number,
                ),
                "error",
            )
    return _back(order_id)


def _shipment_message(exc: InvalidShipment) -> str:
    if exc.field == "carrier":
        return gettext(
            "Enter the carrier (at most %(num)d characters).", num=fulfilment.MAX_CARRIER
        )
    return gettext(
        "Enter the tracking number (at most %(num)d characters).", num=fulfilment.MAX_TRACKING
    )


@bp.post("/orders/<int:order_id>/delivered")
def mark_delivered(order_id: int) -> BaseResponse:
    """Mark the order delivered."""
    order = _order_or_404(order_id)
    if _form_errors(OrderActionForm()):
        return _back(order_id)
    try:
        fulfilment.mark_delivered(order, _staff())
    except InvalidTransition as exc:
        _refused(order, exc)
    else:
        flash(gettext("Order %(number)s is delivered.", number=order.number), "success")
    return _back(order_id)


@bp.post("/orders/<int:order_id>/cancel")
def cancel_order(order_id: int) -> BaseResponse:
    """Cancel the order and return its stock."""
    order = _order_or_404(order_id)
    form = CancelForm()
    if _form_errors(form):
        return _back(order_id)
    try:
        fulfilment.cancel(order, _staff(), form.note.data or "")
    except InvalidTransition as exc:
        _refused(order, exc)
    else:
        flash(
            gettext(
                "Order %(number)s is cancelled and its stock is back on the shelf.",
                number=order.number,
            ),
            "success",
        )
        if refunds.refundable_idr(order):
            flash(
                gettext(
                    "The customer paid %(amount)s: refund it below.",
                    amount=format_idr(refunds.refundable_idr(order)),
                ),
                "info",
            )
    return _back(order_id)
