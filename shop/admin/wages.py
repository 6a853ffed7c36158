"""Wage payouts to workshops and the monthly approval for /impact (admins only)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.admin.access import role_required
from shop.admin.revenue import _period_args, month_name, report_page
from shop.admin.wage_forms import ApproveMonthForm, PayoutForm
from shop.extensions import db
from shop.http import send_stored_upload
from shop.media import StorageUnavailable
from shop.models import Role, WagePayout
from shop.quotes.messages import file_message
from shop.services import clock
from shop.services.impact import payouts, publication
from shop.services.money import format_idr
from shop.services.quotes import files as upload_checks

APPROVE_MESSAGES = {
    "open": _l("This month is not over yet: it can be published once it has ended."),
    "approved": _l("This month is already published."),
    "order": _l("A later month is already published: months are published in order."),
}
PAYOUT_MESSAGES = {
    "workshop_id": _l("Choose the workshop paid."),
    "amount_idr": _l("Enter the amount in whole rupiah, more than 0."),
    "period": _l("Wages can't be paid for a month that hasn't started."),
    "paid_on": _l("The payment day can't be in the future."),
    "reference": _l("Enter the bank transfer's reference."),
}


def _back() -> Response:
    return redirect(url_for("admin.revenue_split", **_period_args()) + "#wages-heading", 303)


def _receipt(form: PayoutForm) -> upload_checks.Upload | None:
    data = form.receipt.data
    if not data or not getattr(data, "filename", ""):
        return None
    upload = upload_checks.Upload(data.filename, data.read(upload_checks.MAX_FILE_BYTES + 1))
    data.close()
    return upload


@bp.post("/reports/revenue-split/payouts")
@role_required(Role.ADMIN)
def record_payout() -> tuple[str, int] | Response:
    """Record a wage payout to a workshop, with an optional receipt scan (admins only)."""
    form = PayoutForm()
    if not form.validate_on_submit():
        return report_page(payout_form=form, status=422)
    details = payouts.PayoutDetails(
        form.workshop_id.data, form.period.data, form.paid_on.data, form.amount_idr.data,
        form.reference.data or "",
    )  # fmt: skip
    try:
        payout = payouts.record_payout(
            details, _receipt(form), current_app.extensions["private_media"],
            current_user._get_current_object(), clock.shop_today(),
        )  # fmt: skip
    except payouts.InvalidPayout as error:
        target = getattr(form, error.field, form.receipt)
        if error.field == "receipt":
            message = file_message(
                upload_checks.InvalidFile(form.receipt.data.filename, error.reason)
            )
        else:
            message = str(PAYOUT_MESSAGES[error.field])
        target.errors = [*target.errors, message]
        return report_page(payout_form=form, status=422)
    except StorageUnavailable:
        form.receipt.errors = [
            gettext("The receipt could not be stored just now. Nothing was recorded; try again.")
        ]
        return report_page(payout_form=form, status=503)
    flash(
        gettext("Payout of %(amount)s to %(workshop)s for %(month)s recorded.",
                amount=format_idr(payout.amount_idr, str(get_locale())),
                workshop=payout.workshop.name, month=month_name(payout.period)),
        "success",
    )  # fmt: skip
    return _back()


@bp.get("/payouts/<int:payout_id>/receipt")
@role_required(Role.ADMIN)
def payout_receipt(payout_id: int) -> Response:
    """Send a payout's receipt scan from private storage (admins only)."""
    payout = db.get_or_404(WagePayout, payout_id)
    if not payout.receipt_name:
        abort(404)
    suffix = "pdf" if payout.receipt_type == "application/pdf" else "webp"
    return send_stored_upload(
        current_app.extensions["private_media"], [payout.receipt_name], payout.receipt_type,
        f"receipt-{payout.period:%Y-%m}-{payout.id}.{suffix}",
    )  # fmt: skip


@bp.post("/reports/revenue-split/approve")
@role_required(Role.ADMIN)
def approve_month() -> tuple[str, int] | Response:
    """Close a month and publish its figures on /impact, frozen as they are now (admins only)."""
    form = ApproveMonthForm()
    if not form.validate_on_submit():
        return report_page(approve_form=form, status=422)
    try:
        publication.approve_month(
            form.month.data, current_user._get_current_object(), clock.shop_timezone(),
            clock.shop_today(),
        )  # fmt: skip
    except publication.CannotApprove as error:
        form.month.errors = [*form.month.errors, str(APPROVE_MESSAGES[error.reason])]
        return report_page(approve_form=form, status=422)
    flash(gettext("%(month)s is published on the impact page.",
                  month=month_name(form.month.data)), "success")  # fmt: skip
    return _back()
