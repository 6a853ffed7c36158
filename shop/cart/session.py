"""Finding the visitor's cart through the token kept in the signed session."""

from __future__ import annotations

from flask import session

from shop.models import Cart
from shop.services import cart as carts

SESSION_KEY = "cart"


def current_cart() -> Cart | None:
    """Return the visitor's cart, or None if they have none yet."""
    return carts.find_cart(session.get(SESSION_KEY))


def current_or_new_cart() -> Cart:
    """Return the visitor's cart, creating one (and remembering it) if needed."""
    cart = current_cart()
    if cart is None:
        cart = carts.create_cart()
        session[SESSION_KEY] = cart.token
        session.permanent = True  # the cart outlives closing the browser
    return cart
