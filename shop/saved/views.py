"""Views for saving products for later and the list of saved items."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import get_locale, gettext
from werkzeug.wrappers import Response

from shop.account.session import SAVED_KEY, current_customer
from shop.models import Customer
from shop.redirects import local_path
from shop.saved import bp
from shop.saved.forms import SaveForm
from shop.services.accounts import saved_items
from shop.services.catalog.variants import active_variants, availability


def visitor_saved_ids(customer: Customer | None) -> list[int]:
    """The visitor's saved product ids: the account's, or the guest's from the session."""
    if customer is not None:
        return saved_items.saved_ids(customer.id)
    return saved_items.guest_saved(session.get(SAVED_KEY))


def _save(customer: Customer | None, product_id: int) -> None:
    if customer is not None:
        saved_items.save(customer.id, product_id)
        return
    ids = saved_items.guest_save(visitor_saved_ids(None), product_id)
    session[SAVED_KEY] = ids
    session.permanent = True  # kept like the cart, until the guest signs in


def _unsave(customer: Customer | None, product_id: int) -> None:
    if customer is not None:
        saved_items.unsave(customer.id, product_id)
    else:
        session[SAVED_KEY] = saved_items.guest_unsave(visitor_saved_ids(None), product_id)


def _refused_message(error: saved_items.SavedItemsError) -> str:
    if isinstance(error, saved_items.ListFull):
        if error.limit == saved_items.MAX_GUEST_ITEMS:
            return gettext(
                "You can save up to %(num)d items without an account. Sign in to save more.",
                num=error.limit,
            )
        return gettext("You can save up to %(num)d items.", num=error.limit)
    return gettext("That item is no longer on sale.")


@bp.post("/saved")
def update() -> Response:
    """Save a product for later or take it off the list, then go back where the buyer was."""
    form = SaveForm()
    back = local_path(form.next.data) or url_for("saved.show")
    if not form.validate():
        if "product" in form.errors:  # not a whole number: no product of ours
            flash(gettext("That item is no longer on sale."), "error")
        else:
            flash(gettext("Something in the form was not right."), "error")
        return redirect(back, 303)
    customer = current_customer()
    try:
        if form.action.data == "remove":
            _unsave(customer, form.product.data)
            flash(gettext("Removed from your saved items."), "info")
        else:
            _save(customer, form.product.data)
            flash(gettext("Saved for later. You find it under Saved items."), "success")
    except saved_items.SavedItemsError as error:
        flash(_refused_message(error), "error")
    return redirect(back, 303)


@bp.get("/saved")
def show() -> str:
    """List the visitor's saved items with price, stock and a way to add each to the cart."""
    customer = current_customer()
    products = saved_items.saved_products(visitor_saved_ids(customer), str(get_locale()))
    return render_template(
        "saved/saved.html",
        products=products,
        customer=customer,
        variants_of=active_variants,
        availability=availability,
        guest_limit=saved_items.MAX_GUEST_ITEMS,
    )


@bp.after_request
def private(response: Response) -> Response:
    """A visitor's list is theirs: never kept in a shared cache."""
    response.headers["Cache-Control"] = "private, no-store"
    return response
