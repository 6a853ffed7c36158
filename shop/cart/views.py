"""Views for the cart page and the forms that change it."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext, ngettext
from werkzeug.wrappers import Response

from shop.cart import bp
from shop.cart.forms import (
    AddToCartForm,
    DestinationForm,
    DiscountCodeForm,
    LineQuantityForm,
    RemoveDiscountForm,
    RemoveLineForm,
)
from shop.cart.session import current_cart, current_or_new_cart
from shop.i18n import likely_country
from shop.services.money import format_idr
from shop.services.ordering import cart as carts
from shop.services.ordering import cart_discount, cart_summary, discounts, shipping
from shop.templating import local


def cart_error_message(error: carts.CartError) -> str:
    """Say what went wrong with a cart change, in the visitor's language."""
    if isinstance(error, carts.NotEnoughStock):
        if error.available == 0:
            return gettext("Sorry, that option is sold out.")
        return ngettext(
            "Only %(num)d piece is left.", "Only %(num)d pieces are left.", error.available
        )
    if isinstance(error, carts.InvalidQuantity):
        return gettext("Choose a quantity from 1 to %(max)d.", max=error.limit)
    if isinstance(error, carts.UnknownVariant):
        return gettext("That item is no longer on sale.")
    return gettext("That line is no longer in your cart.")


def discount_refused_message(refused: discounts.DiscountRefused) -> str:
    """Say why a discount code cannot be used, in the visitor's language."""
    reason = refused.reason
    if reason == "expired":
        return gettext("That discount code has expired.")
    if reason == "not_started":
        return gettext("That discount code is not valid yet.")
    if reason == "used_up":
        return gettext("That discount code has been used up.")
    if reason == "used_by_you":
        return gettext("You have already used that discount code as often as it allows.")
    if reason == "below_minimum":
        minimum = format_idr(refused.minimum_idr, str(get_locale()))
        return gettext("That discount code needs an order of at least %(amount)s.", amount=minimum)
    if reason == "not_applicable":
        return gettext("That discount code does not apply to the items in your cart.")
    if reason == "paused":
        return gettext("That discount code cannot be used at the moment.")
    return gettext("We don't know that discount code. Please check it and try again.")


def _first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return gettext("Something in the form was not right.")


@bp.get("/cart")
def show() -> str:
    """Show the cart with line totals, shipping estimate and total."""
    cart = current_cart()
    # Until the buyer picks a country, the one their language suggests is priced and shown.
    country = (cart.shipping_country if cart else None) or likely_country()
    wrap_price = current_app.config["GIFT_WRAP_PRICE_IDR"]
    summary = cart_summary.summarize(
        cart, str(get_locale()), country=country, gift_wrap_price_idr=wrap_price
    )
    destination = DestinationForm(country=country)
    destination.country.choices = [("", gettext("Choose a country"))] + shipping.country_choices(
        str(get_locale())
    )
    return render_template(
        "cart/cart.html",
        summary=summary,
        destination=destination,
        line_form=LineQuantityForm(),
        remove_form=RemoveLineForm(),
        discount_form=DiscountCodeForm(),
        remove_discount_form=RemoveDiscountForm(),
        discount_problem=discount_refused_message(summary.discount_problem)
        if summary.discount_problem
        else None,
    )


@bp.post("/cart/add")
def add() -> Response:
    """Add the chosen variant to the cart."""
    form = AddToCartForm()
    back = request.referrer if (request.referrer or "").startswith(request.host_url) else None
    if not form.validate():
        flash(_first_error(form), "error")
        return redirect(back or url_for("cart.show"), 303)
    chosen = carts.variant_for_sku(form.variant.data)
    if chosen is None:
        flash(gettext("That item is no longer on sale."), "error")
        return redirect(back or url_for("cart.show"), 303)
    cart = current_or_new_cart()
    try:
        variant = carts.add_item(cart, chosen.id, form.quantity.data)
    except carts.CartError as error:
        flash(cart_error_message(error), "error")
        return redirect(back or url_for("cart.show"), 303)
    flash(gettext("Added %(name)s to your cart.", name=local(variant.product, "name")), "success")
    return redirect(url_for("cart.show"), 303)


@bp.post("/cart/lines/<int:line_id>")
def update_line(line_id: int) -> Response:
    """Change how many of a line the visitor wants."""
    form = LineQuantityForm()
    cart = current_cart()
    if cart is None:
        return redirect(url_for("cart.show"), 303)
    if not form.validate():
        flash(_first_error(form), "error")
        return redirect(url_for("cart.show"), 303)
    try:
        carts.set_quantity(cart, line_id, form.quantity.data)
    except carts.CartError as error:
        flash(cart_error_message(error), "error")
    else:
        flash(gettext("Your cart was updated."), "success")
    return redirect(url_for("cart.show"), 303)


@bp.post("/cart/lines/<int:line_id>/remove")
def remove_line(line_id: int) -> Response:
    """Take a line out of the cart."""
    form = RemoveLineForm()
    cart = current_cart()
    if cart is not None and form.validate():
        try:
            carts.remove_line(cart, line_id)
            flash(gettext("The item was removed from your cart."), "success")
        except carts.CartError as error:
            flash(cart_error_message(error), "error")
    return redirect(url_for("cart.show"), 303)


@bp.post("/cart/destination")
def set_destination() -> Response:
    """Remember where the visitor wants the parcel shipped, for the estimate."""
    form = DestinationForm()
    form.country.choices = [(c, c) for c in shipping.allowed_countries()]
    if form.validate():
        carts.set_country(current_or_new_cart(), form.country.data)
    else:
        flash(gettext("We don't ship to that country yet."), "error")
    return redirect(url_for("cart.show"), 303)


@bp.post("/cart/discount")
def apply_discount() -> Response:
    """Apply the discount code the visitor typed, or say why it cannot be used."""
    form = DiscountCodeForm()
    cart = current_cart()
    if cart is None:
        return redirect(url_for("cart.show"), 303)
    if not form.validate():
        flash(_first_error(form), "error")
        return redirect(url_for("cart.show"), 303)
    try:
        applied = cart_discount.apply_code(cart, form.code.data or "")
    except discounts.DiscountRefused as refused:
        flash(discount_refused_message(refused), "error")
    else:
        amount = format_idr(applied.amount_idr, str(get_locale()))
        flash(gettext("Discount code %(code)s applied: %(amount)s off.", code=applied.label,
                      amount=amount), "success")  # fmt: skip
    return redirect(url_for("cart.show"), 303)


@bp.post("/cart/discount/remove")
def remove_discount() -> Response:
    """Take the discount code off the cart."""
    cart = current_cart()
    if cart is not None and RemoveDiscountForm().validate():
        cart_discount.remove_code(cart)
        flash(gettext("The discount code was removed."), "success")
    return redirect(url_for("cart.show"), 303)
