"""The addresses a customer keeps: list, add, edit, delete, choose the default."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext
from werkzeug.wrappers import Response

from shop.account import bp
from shop.account.forms import AddressForm, ButtonForm
from shop.account.views import customer_required
from shop.models import Customer, CustomerAddress
from shop.services.accounts import addresses
from shop.services.ordering import shipping


def _address_form(address: CustomerAddress | None = None) -> AddressForm:
    form = AddressForm(obj=address)
    form.country.choices = [("", gettext("Choose a country"))] + shipping.country_choices(
        str(get_locale())
    )
    return form


def _details(form: AddressForm) -> addresses.AddressDetails:
    return addresses.AddressDetails(
        **{name: getattr(form, name).data or "" for name in addresses.LIMITS}
    )


def _owned(customer: Customer, address_id: int) -> CustomerAddress:
    return addresses.find_address(customer, address_id) or abort(404)


def _error_message(error: addresses.AddressError) -> str:
    if isinstance(error, addresses.TooManyAddresses):
        return gettext("You can keep up to %(num)d addresses. Delete one you no longer use "
                       "first.", num=error.limit)  # fmt: skip
    if isinstance(error, addresses.InvalidCountry):
        return gettext("We don't ship to that country yet.")
    return gettext("That address is no longer in your account.")


@bp.get("/addresses")
@customer_required
def address_list(customer: Customer) -> str:
    """Show the customer's addresses, the default first."""
    return render_template(
        "account/addresses.html",
        customer=customer,
        addresses=addresses.list_addresses(customer),
        button_form=ButtonForm(),
    )


@bp.route("/addresses/new", methods=["GET", "POST"])
@customer_required
def address_new(customer: Customer) -> str | Response | tuple[str, int]:
    """Add an address."""
    form = _address_form()
    if form.validate_on_submit():
        try:
            addresses.add_address(customer, _details(form), default=form.is_default.data)
        except addresses.AddressError as error:
            flash(_error_message(error), "error")
        else:
            flash(gettext("The address was saved."), "success")
            return redirect(url_for("account.address_list"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "account/address_form.html", customer=customer, form=form, address=None
    ), status


@bp.route("/addresses/<int:address_id>/edit", methods=["GET", "POST"])
@customer_required
def address_edit(customer: Customer, address_id: int) -> str | Response | tuple[str, int]:
    """Change an address."""
    address = _owned(customer, address_id)
    form = _address_form(address)
    if form.validate_on_submit():
        try:
            addresses.update_address(
                customer, address.id, _details(form), default=form.is_default.data
            )
        except addresses.AddressError as error:
            flash(_error_message(error), "error")
        else:
            flash(gettext("The address was saved."), "success")
            return redirect(url_for("account.address_list"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "account/address_form.html", customer=customer, form=form, address=address
    ), status


@bp.post("/addresses/<int:address_id>/delete")
@customer_required
def address_delete(customer: Customer, address_id: int) -> Response:
    """Forget an address."""
    _owned(customer, address_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    addresses.delete_address(customer, address_id)
    flash(gettext("The address was deleted."), "success")
    return redirect(url_for("account.address_list"), 303)


@bp.post("/addresses/<int:address_id>/default")
@customer_required
def address_default(customer: Customer, address_id: int) -> Response:
    """Make an address the one checkout starts from."""
    _owned(customer, address_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    addresses.set_default(customer, address_id)
    flash(gettext("That is now your default address."), "success")
    return redirect(url_for("account.address_list"), 303)
