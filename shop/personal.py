"""Per-visitor bits punched into otherwise shared (and cacheable) pages.

Templates put placeholders where a page needs something personal (the CSRF token, the cart
count, flashed messages); they are filled in after the page is rendered or taken from the
cache, so one cached storefront page can serve every visitor safely.
"""

from __future__ import annotations

from flask import Flask, Response, render_template, session
from flask_babel import ngettext
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from shop.services.ordering import cart as carts

CSRF_SLOT = "<!--kb:csrf-->"
CART_SLOT = "<!--kb:cart-->"
FLASH_SLOT = "<!--kb:flash-->"


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
    if FLASH_SLOT in body:
        body = body.replace(FLASH_SLOT, render_template("_flashes.html"))
    return body


def init_app(app: Flask) -> None:
    """Register the template helpers and the response hook."""
    app.jinja_env.globals.update(
        csrf_field=csrf_field,
        cart_slot=lambda: Markup(CART_SLOT),  # noqa: S704 - constant
        flash_slot=lambda: Markup(FLASH_SLOT),  # noqa: S704 - constant
    )

    @app.after_request
    def _personalize(response: Response) -> Response:
        if response.mimetype != "text/html" or response.direct_passthrough:
            return response
        body = response.get_data(as_text=True)
        if "<!--kb:" in body:
            response.set_data(personalize(body))
        return response
