"""Recording bank transfers on an order: money in from the buyer, an overpayment sent back."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from shop.admin import bp
from shop.admin.order_forms import BankTransferForm
from shop.admin.orders import _back, _form_errors, _order_or_404, _staff
from shop.checkout.notify import order_paid
from shop.config_documents import shop_details
from shop.services.ordering import bank_mail, bank_transfers
from shop.services.ordering.bank_transfers import Recorded, TransferRefused
from shop.templating import idr as format_idr


@bp.post("/orders/<int:order_id>/bank-transfer")
def record_bank_transfer(order_id: int) -> BaseResponse:
    """Record a transfer the buyer sent; the order is paid once the transfers cover its total."""
    done = _record(order_id, "in", bank_transfers.record_incoming)
    if done is not None:
        if done.outcome in ("paid", "overpaid"):
            order_paid(done.order)  # the confirmation and the staff notice, as for a card payment
        if done.outcome != "paid":
            _tell_buyer(done)
        flash(_recorded(done), "success")
    return _back(order_id)


@bp.post("/orders/<int:order_id>/bank-transfer/return")
def record_overpayment_returned(order_id: int) -> BaseResponse:
    """Record an overpayment staff sent back to the buyer's account, and tell the buyer."""
    done = _record(order_id, "out", bank_transfers.record_returned)
    if done is not None:
        _tell_buyer(done)
        flash(gettext("Recorded: %(amount)s sent back to the customer, who has been emailed.",
                      amount=format_idr(done.amount_idr)), "success")  # fmt: skip
    return _back(order_id)


def _record(order_id: int, prefix: str, record: Callable[..., Recorded]) -> Recorded | None:
    """Check the transfer form (`prefix`) and record it; None, with a message, when refused."""
    order = _order_or_404(order_id)
    form = BankTransferForm(prefix=prefix)
    if _form_errors(form):
        return None
    try:
        return record(
            order.id, amount_idr=form.amount_idr, reference=form.reference.data or "",
            transferred_on=form.transferred_on.data, actor=_staff(),
        )  # fmt: skip
    except TransferRefused as exc:
        flash(_refusal(exc), "error")
        return None


def _tell_buyer(done: Recorded) -> None:
    order = done.order
    bank_mail.send(
        current_app.extensions["mailer"], order, done.outcome,
        shop=shop_details(current_app.config), amount_idr=done.amount_idr,
        order_url=url_for("orders.show", token=order.token, _external=True),
    )  # fmt: skip


def _recorded(done: Recorded) -> str:
    number, owed = done.order.number, done.balance
    if done.outcome == "paid":
        return gettext("Order %(number)s is paid in full by bank transfer; a confirmation is on "
                       "its way to the customer.", number=number)  # fmt: skip
    if done.outcome == "short":
        return gettext("Transfer recorded. %(due)s is still due for order %(number)s; the "
                       "customer has been told the balance.", due=format_idr(owed.due_idr),
                       number=number)  # fmt: skip
    return gettext("Transfer recorded. The customer paid %(over)s more than the total: send it "
                   "back and record it below.", over=format_idr(owed.overpaid_idr))  # fmt: skip


def _refusal(exc: TransferRefused) -> str:
    messages = {
        "reference": gettext("Enter the bank's reference for the transfer (at most %(num)d "
                             "characters).", num=bank_transfers.MAX_REFERENCE),
        "amount": gettext("Enter an amount of at least Rp1."),
        "date": gettext("The transfer's date can't be in the future."),
        "duplicate": gettext("A transfer with this bank reference is already recorded on this "
                             "order, so nothing was added."),
        "not_bank": gettext("This order is paid through the card payment provider, so bank "
                            "transfers can't be recorded on it."),
        "nothing_to_return": gettext("Nothing was paid beyond the total, so there is nothing to "
                                     "send back."),
    }  # fmt: skip
    if exc.key == "amount" and exc.limit_idr:
        return gettext("At most %(amount)s was paid beyond the total. Nothing was changed.",
                       amount=format_idr(exc.limit_idr))  # fmt: skip
    return messages[exc.key] + " " + gettext("Nothing was changed.")
