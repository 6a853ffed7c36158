"""Carriers: staff keep the list they ship with, and each one's tracking page address."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from shop.admin import bp
from shop.models import Carrier
from shop.services.ordering import carriers

PROBLEMS = {
    ("name", "missing"): _l("Enter the carrier's name."),
    ("name", "too_long"): _l("Use at most 80 characters."),
    ("name", "taken"): _l("There is already a carrier with this name."),
    ("tracking_url", "too_long"): _l("Use at most 300 characters."),
    ("tracking_url", "not_a_template"): _l(
        "Enter an https:// address with {number} where the tracking number goes."
    ),
}


class CarrierForm(FlaskForm):
    """A carrier's name and tracking page."""

    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter the carrier's name.")),
            Length(max=carriers.MAX_NAME, message=_l("Use at most 80 characters.")),
        ],
    )
    tracking_url = StringField(
        _l("Tracking page"),
        validators=[Length(max=carriers.MAX_URL, message=_l("Use at most 300 characters."))],
        description=_l(
            "The address of the carrier's tracking page, with {number} where the tracking "
            "number goes. Buyers get it as a link. Leave empty for none."
        ),
    )
    submit = SubmitField(_l("Save carrier"))


class DeleteCarrierForm(FlaskForm):
    """Only the CSRF token."""


def _page(add_form: CarrierForm, status: int = 200) -> tuple[str, int]:
    rows = [
        (c, CarrierForm(formdata=None, obj=c, prefix=f"c{c.id}")) for c in carriers.all_carriers()
    ]
    page = render_template(
        "admin/carriers.html", rows=rows, add_form=add_form, delete_form=DeleteCarrierForm()
    )
    return page, status


@bp.get("/carriers", endpoint="carriers")
def carriers_page() -> tuple[str, int]:
    """The carriers, each editable, and a form to add one."""
    return _page(CarrierForm(prefix="new"))


def _save(form: CarrierForm, carrier: Carrier | None) -> bool:
    if not form.validate_on_submit():
        return False
    try:
        carriers.save(carrier, form.name.data, form.tracking_url.data or "", current_user)
    except carriers.CarrierProblem as problem:
        getattr(form, problem.field).errors.append(str(PROBLEMS[(problem.field, problem.reason)]))
        return False
    return True


@bp.post("/carriers")
def add_carrier() -> Response | tuple[str, int]:
    form = CarrierForm(prefix="new")
    if _save(form, None):
        flash(gettext("Carrier saved."), "success")
        return redirect(url_for("admin.carriers"), 303)
    return _page(form, 422)


@bp.post("/carriers/<int:carrier_id>")
def edit_carrier(carrier_id: int) -> Response | tuple[str, int]:
    carrier = carriers.find(carrier_id) or abort(404)
    form = CarrierForm(prefix=f"c{carrier.id}")
    if _save(form, carrier):
        flash(gettext("Carrier saved."), "success")
        return redirect(url_for("admin.carriers"), 303)
    flash(gettext("The carrier was not saved: %(problem)s", problem=_first_error(form)), "error")
    return _page(CarrierForm(prefix="new"), 422)


def _first_error(form: FlaskForm) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return gettext("The form expired. Please try again.")


@bp.post("/carriers/<int:carrier_id>/delete")
def delete_carrier(carrier_id: int) -> Response:
    carrier = carriers.find(carrier_id) or abort(404)
    if DeleteCarrierForm().validate_on_submit():
        carriers.remove(carrier, current_user)
        flash(gettext("Carrier removed. Orders shipped with it keep its name."), "success")
    else:
        flash(gettext("The form expired. Please try again."), "error")
    return redirect(url_for("admin.carriers"), 303)
