"""Finding the visitor's cart through the token kept in the signed session.

A guest's cart is whatever cart the token names. A signed-in customer's cart belongs to the
account (Cart.customer_id): it is the same on every device they sign in on, and nobody else
reaches it, even holding its token.
"""

from __future__ import annotations

from flask import session

from shop.models import Cart
from shop.services.accounts import customers as accounts
from shop.services.ordering import cart as carts

SESSION_KEY = "cart"


def _customer_id() -> int | None:
    # Imported here: the account blueprint's views import this module.
    from shop.account.session import CUSTOMER_KEY, current_customer

    if CUSTOMER_KEY not in session:
        return None
    customer = current_customer()
    return customer.id if customer is not None else None


def current_cart() -> Cart | None:
    """Return the visitor's cart, or None if they have none yet."""
    token = session.get(SESSION_KEY)
    cart = carts.find_cart(token)
    if cart is not None and cart.customer_id is None:
        return cart
    customer_id = _customer_id()
    if cart is not None and cart.customer_id == customer_id:
        return cart
    # The token names an account's cart this visitor may not use, or a cart merged away on
    # another device: a signed-in customer gets their account's cart, a guest none.
    cart = accounts.account_cart(customer_id) if customer_id is not None else None
    if cart is not None:
        session[SESSION_KEY] = cart.token
    elif token is not None:
        session.pop(SESSION_KEY, None)
    return cart


def current_or_new_cart() -> Cart:
    """Return the visitor's cart, creating one (and remembering it) if needed."""
    cart = current_cart()
    if cart is None:
        customer_id = _customer_id()
        if customer_id is not None:
            cart = accounts.new_account_cart(customer_id)
        else:
            cart = carts.create_cart()
        session[SESSION_KEY] = cart.token
        session.permanent = True  # the cart outlives closing the browser
    return cart
