"""Discount codes in the back office: list with their use, create, edit, pause."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date, gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from shop.admin import bp
from shop.admin.discount_forms import DiscountCodeForm, PauseForm
from shop.extensions import db
from shop.models import Category, DiscountCode, DiscountKind
from shop.services.ordering import discount_codes as service

_ERRORS = {
    ("code", "format"): lambda: gettext("Use 3–32 letters, digits, - or _, without spaces."),
    ("code", "taken"): lambda: gettext("Another discount code already has this name."),
    ("value", "range"): lambda: gettext(
        "Enter a percentage from 1 to 100, or a fixed amount of at least Rp1."
    ),
    ("last_day", "order"): lambda: gettext("The last day must not be before the first day."),
}


def _form(code: DiscountCode | None = None) -> DiscountCodeForm:
    form = DiscountCodeForm()
    if code is not None and not form.is_submitted():
        form.code.data, form.description.data = code.code, code.description
        form.kind.data = code.kind.value
        percent = code.kind == DiscountKind.PERCENT
        form.value.data = code.percent_off if percent else code.amount_off_idr
        form.min_subtotal_idr.data = code.min_subtotal_idr or None
        form.first_day.data, form.last_day.data = service.first_day(code), service.last_day(code)
        form.max_uses.data, form.max_uses_per_email.data = code.max_uses, code.max_uses_per_email
        form.categories.data = [category.id for category in code.categories]
    form.categories.choices = [
        SelectChoice(c.id, c.name)
        for c in db.session.scalars(select(Category).order_by(Category.position, Category.id))
    ]
    return form


def valid_days(code: DiscountCode) -> str:
    """The days a code is valid, e.g. "1 Des 2026 – 31 Des 2026", "from 1 Des 2026", "always"."""
    first, last = service.first_day(code), service.last_day(code)
    if first and last:
        return f"{format_date(first, 'medium')} – {format_date(last, 'medium')}"
    if first:
        return gettext("from %(day)s", day=format_date(first, "medium"))
    if last:
        return gettext("until %(day)s", day=format_date(last, "medium"))
    return gettext("always")


def _input(form: DiscountCodeForm) -> service.CodeInput:
    return service.CodeInput(
        code=form.code.data or "", kind=DiscountKind(form.kind.data), value=form.value.data or 0,
        description=form.description.data or "", min_subtotal_idr=form.min_subtotal_idr.data or 0,
        first_day=form.first_day.data, last_day=form.last_day.data,
        max_uses=form.max_uses.data or None,
        max_uses_per_email=form.max_uses_per_email.data or None,
        category_ids=list(form.categories.data or []),
    )  # fmt: skip


def _save(form: DiscountCodeForm, code_id: int | None) -> DiscountCode | None:
    """Save the form's code; on a refusal mark the field and return None."""
    if not form.validate_on_submit():
        return None
    try:
        return service.save_code(code_id, _input(form), current_user._get_current_object())
    except service.CodeError as error:
        target = form[error.field] if error.field in form else form.code
        target.errors = [*target.errors, _ERRORS[(error.field, error.reason)]()]
        return None


@bp.route("/discounts", methods=["GET", "POST"])
def discounts() -> tuple[str, int] | Response:
    """List the discount codes with their use, and create a new one."""
    form = _form()
    saved = _save(form, None)
    if saved is not None:
        flash(gettext("Discount code %(code)s created.", code=saved.code), "success")
        return redirect(url_for("admin.discounts"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "admin/discounts.html", form=form, rows=service.list_codes(), pause_form=PauseForm(),
        valid_days=valid_days,
    ), status  # fmt: skip


@bp.route("/discounts/<int:code_id>", methods=["GET", "POST"])
def discount_edit(code_id: int) -> tuple[str, int] | Response:
    """Change a discount code; orders already placed keep the discount they got."""
    code = service.get_code(code_id) or abort(404)
    form = _form(code)
    try:
        saved = _save(form, code_id)
    except service.CodeNotFound:
        abort(404)
    if saved is not None:
        flash(gettext("Discount code %(code)s saved.", code=saved.code), "success")
        return redirect(url_for("admin.discounts"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/discount_form.html", form=form, code=code), status


@bp.post("/discounts/<int:code_id>/pause")
def discount_pause(code_id: int) -> Response:
    """Pause a code, or let buyers use it again."""
    form = PauseForm()
    if not form.validate_on_submit():
        flash(gettext("The form expired. Please try again."), "error")
        return redirect(url_for("admin.discounts"), 303)
    try:
        staff = current_user._get_current_object()
        code = service.set_paused(code_id, form.paused.data == "1", staff)
    except service.CodeNotFound:
        abort(404)
    if code.paused:
        message = gettext("Discount code %(code)s paused: buyers can't use it.", code=code.code)
        flash(message, "success")
    else:
        flash(gettext("Discount code %(code)s can be used again.", code=code.code), "success")
    return redirect(url_for("admin.discounts"), 303)
