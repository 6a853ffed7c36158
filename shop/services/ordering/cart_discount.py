"""The discount code a buyer enters in the cart: kept only when it applies to the cart."""

from __future__ import annotations

from shop.extensions import db
from shop.models import Cart
from shop.services.ordering import cart_summary, discounts


def apply_code(cart: Cart, text: str) -> discounts.AppliedDiscount:
    """Put the code on the cart if it applies now; commit. Raise DiscountRefused (with the
    reason for the buyer) and leave the cart exactly as it was when it does not."""
    code = discounts.normalize(text)
    previous = cart.discount_code
    cart.discount_code = code
    summary = cart_summary.summarize(cart)
    if summary.discount is None:
        cart.discount_code = previous
        db.session.rollback()
        raise summary.discount_problem or discounts.DiscountRefused("not_applicable")
    cart.discount_code = summary.discount.code.code
    db.session.commit()
    return summary.discount


def remove_code(cart: Cart) -> None:
    """Take the discount code off the cart; commit."""
    cart.discount_code = None
    db.session.commit()
