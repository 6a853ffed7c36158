"""Builders for discount codes and carts that use them."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from shop.extensions import db
from shop.models import Cart, CartLine, Category, DiscountCode, DiscountKind
from shop.services.ordering import orders


def make_code(
    code: str = "GARUDA10",
    *,
    percent: int | None = 10,
    amount: int | None = None,
    categories: tuple[Category, ...] = (),
    **kw: Any,
) -> DiscountCode:
    """A code open now (10 % off unless told otherwise); commit."""
    kind = DiscountKind.FIXED if amount is not None else DiscountKind.PERCENT
    values = {"min_subtotal_idr": 0, "starts_at": datetime.now(UTC) - timedelta(days=1)} | kw
    discount = DiscountCode(
        code=code, kind=kind, percent_off=None if amount is not None else percent,
        amount_off_idr=amount, categories=list(categories), **values,
    )  # fmt: skip
    db.session.add(discount)
    db.session.commit()
    return discount


def cart_with(variant_id: int, quantity: int = 1, code: str | None = None) -> Cart:
    """A guest cart holding pieces of one variant, with the code entered; commit."""
    cart = Cart(token=secrets.token_urlsafe(16), discount_code=code,
                lines=[CartLine(variant_id=variant_id, quantity=quantity)])  # fmt: skip
    db.session.add(cart)
    db.session.commit()
    return cart


def place(cart: Cart, email: str = "aiko@example.jp") -> Any:
    """Check the cart out to Japan."""
    return orders.place_order(cart, email=email, country="JP", locale="en",
                              card_limit_idr=10**12)  # fmt: skip
