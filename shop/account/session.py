"""Who is signed in as a customer, kept in the signed session apart from staff sign-in.

The session holds [customer id, session version] under its own key. Flask-Login's keys
(staff) are never read or written here, so a customer never becomes staff and signing in
or out on one side leaves the other alone.
"""

from __future__ import annotations

from flask import current_app, g, session

from shop.models import Cart, Customer
from shop.services.accounts import customers as accounts

CUSTOMER_KEY = "customer"
CART_KEY = "cart"  # shop.cart.session.SESSION_KEY; repeated to keep the import one-way
SAVED_KEY = "saved"  # a guest's saved product ids, merged into the account at sign-in


def current_customer() -> Customer | None:
    """Return the signed-in customer; a stale session (deactivated, version bumped) is dropped."""
    value = session.get(CUSTOMER_KEY)
    if value is None:
        return None
    customer = None
    if isinstance(value, list) and len(value) == 2:
        customer = accounts.signed_in_customer(value[0], value[1])
    if customer is None:
        forget_customer()
    return customer


def _rotate_csrf_token() -> None:
    # A token issued before the change of identity is not reused after it.
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)


def _is_kept(key: str) -> bool:
    # Staff sign-in (Flask-Login's "_user_id", "_fresh", "_id"… and the back office's own
    # "staff…" keys) is separate and survives; so does the guest cart, to be merged.
    return key == CART_KEY or key.startswith(("_", "staff"))


def remember_customer(customer: Customer, cart: Cart | None) -> None:
    """Sign the browser in as the customer, with the account's cart as its cart.

    The session starts afresh (whatever a previous visitor or an attacker left in it is
    dropped) and gets a new CSRF token, so a token seen before signing in is useless after.
    """
    kept = {key: value for key, value in session.items() if _is_kept(key)}
    session.clear()
    session.update(kept)
    _rotate_csrf_token()
    session[CUSTOMER_KEY] = [customer.id, customer.session_version]
    if cart is not None:
        session[CART_KEY] = cart.token
    else:
        session.pop(CART_KEY, None)
    session.permanent = True


def forget_customer() -> None:
    """Sign the customer out: the cart stays with the account, the browser starts afresh."""
    session.pop(CUSTOMER_KEY, None)
    session.pop(CART_KEY, None)
    _rotate_csrf_token()
