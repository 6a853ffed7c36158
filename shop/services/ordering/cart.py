"""The cart: add, change and remove lines; prices and limits always from the database."""

from __future__ import annotations

import secrets

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from shop.database import commit_keeping
from shop.extensions import db
from shop.models import Cart, CartLine, ProductStatus, Variant

# Airlines buy display models by the hundred: a line may hold up to 500 (the 200+ volume
# price must be reachable); more than this is a bulk order: quote, not cart.
MAX_LINE_QUANTITY = 500


class CartError(Exception):
    """Base for cart problems a buyer can fix."""


class InvalidQuantity(CartError):
    """A quantity that is not a whole number from 1 to the line limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class UnknownVariant(CartError):
    """No such variant on sale (unknown id, archived or inactive)."""


class NotEnoughStock(CartError):
    """Fewer pieces in stock than asked for."""

    def __init__(self, available: int) -> None:
        super().__init__(available)
        self.available = available


class LineNotFound(CartError):
    """The line is not in this cart."""


def new_token() -> str:
    """Return a fresh unguessable cart token."""
    return secrets.token_urlsafe(32)


def find_cart(token: str | None) -> Cart | None:
    """Return the cart with this token, or None."""
    if not token:
        return None
    return db.session.scalar(_CART_BY_TOKEN, {"token": token})


def create_cart() -> Cart:
    """Create an empty cart."""
    cart = Cart(token=new_token(), lines=[])  # known empty: adding to it reads no lines
    db.session.add(cart)
    db.session.flush()
    return cart


def variant_for_sku(sku: str) -> Variant | None:
    """Return the variant with this SKU, with its product, or None. Adding it to a cart next
    (while the caller holds it) finds both in the session instead of reading them again."""
    if not sku or len(sku) > 64:
        return None
    return db.session.scalar(_VARIANT_BY_SKU, {"sku": sku})


def is_sellable(variant: Variant) -> bool:
    """Whether the variant and its product are on sale."""
    return bool(variant.is_active) and variant.product.status == ProductStatus.ACTIVE


def max_quantity(variant: Variant) -> int:
    """How many of a variant one cart line may hold."""
    if not is_sellable(variant):
        return 0
    if variant.product.made_to_order:
        return MAX_LINE_QUANTITY
    return min(variant.stock, MAX_LINE_QUANTITY)


def _check_quantity(variant: Variant, quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity(MAX_LINE_QUANTITY)
    limit = max_quantity(variant)
    if quantity > limit:
        raise NotEnoughStock(limit)


def _grow_line(cart: Cart, variant: Variant, quantity: int, limit: int) -> bool:
    """Add to an existing line in one statement, so two quick clicks never lose a piece."""
    grown = db.session.execute(
        update(CartLine)
        .where(
            CartLine.cart_id == cart.id,
            CartLine.variant_id == variant.id,
            CartLine.quantity + quantity <= limit,
        )
        .values(quantity=CartLine.quantity + quantity)
        .execution_options(synchronize_session=False)
    ).rowcount
    return grown == 1


def add_item(cart: Cart, variant_id: int, quantity: int) -> Variant:
    """Add pieces of a variant, merging with its line if there is one; commit."""
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity(MAX_LINE_QUANTITY)
    variant = db.session.get(Variant, variant_id, options=[joinedload(Variant.product)])
    if variant is None or not is_sellable(variant):
        raise UnknownVariant(variant_id)
    limit = max_quantity(variant)
    if quantity > limit:
        raise NotEnoughStock(limit)
    if not any(line.variant_id == variant.id for line in cart.lines):
        try:
            with db.session.begin_nested():
                db.session.add(CartLine(cart_id=cart.id, variant_id=variant.id, quantity=quantity))
            # The variant and its product, as read in this transaction, name what was added.
            commit_keeping(db.session, [variant, variant.product])
            return variant
        except IntegrityError:
            pass  # another request created the line a moment ago: grow it instead
    if not _grow_line(cart, variant, quantity, limit):
        db.session.rollback()
        current = db.session.scalar(
            select(CartLine.quantity).where(
                CartLine.cart_id == cart.id, CartLine.variant_id == variant.id
            )
        )
        raise NotEnoughStock(max(0, limit - (current or 0)))
    db.session.commit()
    return variant


def _line(cart: Cart, line_id: int) -> CartLine:
    line = next((ln for ln in cart.lines if ln.id == line_id), None)
    if line is None:
        raise LineNotFound(line_id)
    return line


def set_quantity(cart: Cart, line_id: int, quantity: int) -> None:
    """Change a line's quantity (0 removes it); commit."""
    line = _line(cart, line_id)
    if quantity == 0:
        cart.lines.remove(line)
    else:
        _check_quantity(line.variant, quantity)
        line.quantity = quantity
    db.session.commit()


def remove_line(cart: Cart, line_id: int) -> None:
    """Take a line out of the cart; commit."""
    cart.lines.remove(_line(cart, line_id))
    db.session.commit()


def empty(cart: Cart) -> None:
    """Remove every line, the discount code and the gift choice; commit."""
    cart.lines.clear()
    cart.discount_code = None
    cart.is_gift, cart.gift_message, cart.gift_wrap = False, "", False
    db.session.commit()


def set_country(cart: Cart, country: str) -> None:
    """Remember the destination used for the shipping estimate; commit."""
    cart.shipping_country = country.upper()[:2] or None
    db.session.commit()


def count_items(token: str | None, customer_id: int | None = None) -> int:
    """How many pieces are in the cart with this token (0 when there is none).

    An account's cart counts only for that account: a token alone does not reveal it.
    """
    if not token:
        return 0
    if customer_id is None:
        total = db.session.scalar(_GUEST_COUNT, {"token": token})
    else:
        total = db.session.scalar(_ACCOUNT_COUNT, {"token": token, "customer_id": customer_id})
    return int(total or 0)


# Built once (every page shows the cart's count; a checkout finds the cart and its variants).
_CART_BY_TOKEN = select(Cart).where(Cart.token == bindparam("token"))
_VARIANT_BY_SKU = (
    select(Variant).options(joinedload(Variant.product)).where(Variant.sku == bindparam("sku"))
)
_COUNT = select(func.sum(CartLine.quantity)).join(Cart).where(Cart.token == bindparam("token"))
_GUEST_COUNT = _COUNT.where(Cart.customer_id.is_(None))
_ACCOUNT_COUNT = _COUNT.where(
    or_(Cart.customer_id.is_(None), Cart.customer_id == bindparam("customer_id"))
)
