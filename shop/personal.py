"""Per-visitor bits punched into otherwise shared (and cacheable) pages.

Templates put placeholders where a page needs something personal (the CSRF token, the cart
count, flashed messages); they are filled in after the page is rendered or taken from the
cache, so one cached storefront page can serve every visitor safely.
"""

from __future__ import annotations

import re

from flask import Flask, Response, render_template, request, session
from flask_babel import ngettext
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from shop.services.accounts import customers as accounts
from shop.services.accounts import saved_items
from shop.services.ordering import cart as carts
from shop.templating import return_path

CSRF_SLOT = "<!--kb:csrf-->"
CART_SLOT = "<!--kb:cart-->"
FLASH_SLOT = "<!--kb:flash-->"
SAVED_SLOT = "<!--kb:saved:"
# Where a form comes back to: the page's own address (a very long one: its path only).
RETURN_SLOT = "<!--kb:return-->"
# The words searched for, in the header's search box on the listing.
SEARCH_SLOT = "<!--kb:search-->"
_SAVED_SLOTS = re.compile(r"<!--kb:saved:(\d{1,10})-->")


def saved_slot(product_id: int) -> Markup:
    """The save button's action for this visitor: "save", or "remove" when it is saved."""
    return Markup(f"{SAVED_SLOT}{int(product_id)}-->")  # noqa: S704 - an int in a constant


def _saved_ids() -> set[int]:
    # The account's list when the session names a valid sign-in, else the guest's own.
    signed_in = session.get("customer")
    if isinstance(signed_in, list) and len(signed_in) == 2:
        customer = accounts.signed_in_customer(signed_in[0], signed_in[1])
        if customer is not None:
            return set(saved_items.saved_ids(customer.id))
    return set(saved_items.guest_saved(session.get("saved")))


def _fill_saved(body: str) -> str:
    saved = _saved_ids()
    return _SAVED_SLOTS.sub(lambda m: "remove" if int(m.group(1)) in saved else "save", body)


def csrf_field() -> Markup:
    """A hidden CSRF field whose token is filled in per visitor."""
    return Markup(f'<input type="hidden" name="csrf_token" value="{CSRF_SLOT}">')  # noqa: S704


def _cart_badge() -> str:
    # The signed session names the customer (shop.account.session); the count needs no more.
    signed_in = session.get("customer")
    customer_id = signed_in[0] if isinstance(signed_in, list) and signed_in else None
    count = carts.count_items(
        session.get("cart"), customer_id if isinstance(customer_id, int) else None
    )
    if not count:
        return ""
    label = ngettext("%(num)d item", "%(num)d items", count)
    return f' <span class="cart-count" aria-label="{escape(label)}">{count}</span>'


def personalize(body: str) -> str:
    """Fill the placeholders of a rendered page for the current visitor."""
    if CSRF_SLOT in body:
        body = body.replace(CSRF_SLOT, escape(generate_csrf()))
    if CART_SLOT in body:
        body = body.replace(CART_SLOT, _cart_badge())
    if RETURN_SLOT in body:
        body = body.replace(RETURN_SLOT, escape(return_path()))
    if SEARCH_SLOT in body:
        listing = request.endpoint == "catalog.product_list"
        body = body.replace(SEARCH_SLOT, escape(request.args.get("q", "")[:100] if listing else ""))
    if SAVED_SLOT in body:
        body = _fill_saved(body)
    if FLASH_SLOT in body:
        body = body.replace(FLASH_SLOT, render_template("_flashes.html"))
    return body


def init_app(app: Flask) -> None:
    """Register the template helpers and the response hook."""
    app.jinja_env.globals.update(
        csrf_field=csrf_field,
        cart_slot=lambda: Markup(CART_SLOT),  # noqa: S704 - constant
        saved_slot=saved_slot,
        flash_slot=lambda: Markup(FLASH_SLOT),  # noqa: S704 - constant
        return_slot=lambda: Markup(RETURN_SLOT),  # noqa: S704 - constant
        search_slot=lambda: Markup(SEARCH_SLOT),  # noqa: S704 - constant
    )

    @app.after_request
    def _personalize(response: Response) -> Response:
        if response.mimetype != "text/html" or response.direct_passthrough:
            return response
        body = response.get_data(as_text=True)
        if "<!--kb:" in body:
            response.set_data(personalize(body))
        return response
