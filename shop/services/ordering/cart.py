"""The cart: add, change and remove lines; prices and limits always from the database."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Select, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from shop.database import commit_keeping
from shop.extensions import db
from shop.models import Cart, CartLine, PriceTier, Product, ProductStatus, Variant
from shop.services.catalog import lead_times, pricing
from shop.services.catalog.text import SOURCE_LOCALE, shown_in
from shop.services.ordering import discounts, gifts, shipping

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


@dataclass(frozen=True)
class LineView:
    """A cart line with today's price for its quantity and whether it can be bought as it is."""

    line: CartLine
    variant: Variant
    product: Product
    unit_price_idr: int  # what one piece costs at this quantity (the volume price if any)
    line_total_idr: int
    max_quantity: int
    problem: str | None  # None, "unavailable", "sold_out", "too_many"
    list_price_idr: int = 0  # the price of a single piece
    tier: PriceTier | None = None  # the volume price applied, if any
    next_tier: PriceTier | None = None  # a cheaper volume price a few pieces away

    @property
    def saving_idr(self) -> int:
        """How much less the line costs than the same pieces at the single-piece price."""
        return (self.list_price_idr - self.unit_price_idr) * self.line.quantity

    @property
    def pieces_to_next_tier(self) -> int:
        """How many more pieces reach the next volume price (0 when there is none near)."""
        return self.next_tier.min_quantity - self.line.quantity if self.next_tier else 0


@dataclass(frozen=True)
class CartSummary:
    """Totals of a cart for a destination, computed on the server."""

    lines: list[LineView]
    subtotal_idr: int
    weight_g: int
    shipping: shipping.ShippingQuote | None
    shipping_problem: str | None  # None, "choose_country", "not_shipped"
    discount: discounts.AppliedDiscount | None = None  # the cart's code, when it applies
    discount_problem: discounts.DiscountRefused | None = None  # why the cart's code does not
    lead_time_days: int = 0  # the longest making time among the lines (0: all on the shelf)
    gift_wrap_idr: int = 0  # the gift wrap fee, when the buyer chose wrap

    @property
    def discount_idr(self) -> int:
        """What the cart's discount code takes off (0 without one)."""
        return self.discount.amount_idr if self.discount else 0

    @property
    def delivery(self) -> lead_times.DeliveryWindow | None:
        """The one delivery window of the whole order, once the destination is known."""
        if self.shipping is None:
            return None
        return lead_times.window(
            self.lead_time_days, self.shipping.min_days, self.shipping.max_days
        )

    @property
    def item_count(self) -> int:
        """How many pieces are in the cart."""
        return sum(v.line.quantity for v in self.lines)

    @property
    def total_idr(self) -> int | None:
        """Subtotal less discount, plus shipping and gift wrap, once shipping is known."""
        if self.shipping is None:
            return None
        return self.subtotal_idr - self.discount_idr + self.shipping.fee_idr + self.gift_wrap_idr

    @property
    def savings_idr(self) -> int:
        """How much the volume prices save on the lines that can be bought."""
        return sum(v.saving_idr for v in self.lines if v.problem is None)

    @property
    def can_checkout(self) -> bool:
        """Whether every line can be bought as it is."""
        return bool(self.lines) and all(v.problem is None for v in self.lines)


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


def _view(line: CartLine) -> LineView:
    variant = line.variant
    limit = max_quantity(variant)
    problem = None
    if not is_sellable(variant):
        problem = "unavailable"
    elif limit == 0:
        problem = "sold_out"
    elif line.quantity > limit:
        problem = "too_many"
    unit_price = pricing.unit_price_idr(variant, line.quantity)
    applied = unit_price < variant.price_idr
    return LineView(
        line=line,
        variant=variant,
        product=variant.product,
        unit_price_idr=unit_price,
        line_total_idr=unit_price * line.quantity,
        max_quantity=limit,
        problem=problem,
        list_price_idr=variant.price_idr,
        tier=pricing.applicable_tier(variant, line.quantity) if applied else None,
        next_tier=pricing.next_tier(variant, line.quantity, limit),
    )


def _lines_with_products(cart: Cart, locale: str, photos: bool = True) -> list[CartLine]:
    """The cart's lines with their variants, volume prices, products and photos (and the
    products' names in `locale`) in a fixed number of queries, however many lines there are."""
    query = _lines_query(locale, photos)
    return list(db.session.scalars(query, {"cart_id": cart.id}).unique())


@lru_cache(maxsize=64)
def _lines_query(locale: str, photos: bool) -> Select[tuple[CartLine]]:
    # Built once per language and shape: building it and its cache key cost as much as
    # running it. The variant and its product come in the lines' own statement.
    variant = joinedload(CartLine.variant)
    product = variant.joinedload(Variant.product)
    query = (
        select(CartLine)
        .where(CartLine.cart_id == bindparam("cart_id"))
        .order_by(CartLine.id)
        .options(product, variant.selectinload(Variant.price_tiers))
    )
    if photos:
        query = query.options(product.selectinload(Product.shown_photos))
    if locale != SOURCE_LOCALE:
        query = query.options(product.joinedload(shown_in(Product, locale)))
    return query


def summarize(
    cart: Cart | None,
    locale: str = SOURCE_LOCALE,
    country: str | None = None,
    gift_wrap_price_idr: int = 0,
    *,
    photos: bool = True,
) -> CartSummary:
    """Price the cart from today's database prices and its destination; `locale` is the
    language its product names are shown in; `country` a destination to price for when
    the cart has none yet (the one preselected for the buyer); `gift_wrap_price_idr` the
    shop's wrap price; `photos=False` when no page will show the lines' pictures."""
    lines = [_view(ln) for ln in _lines_with_products(cart, locale, photos)] if cart else []
    buyable = [v for v in lines if v.problem is None]
    subtotal = sum(v.line_total_idr for v in buyable)
    weight = sum(v.variant.weight_g * v.line.quantity for v in buyable)
    quote, problem = None, None
    country = (cart.shipping_country if cart else None) or country
    if not country:
        problem = "choose_country"
    else:
        try:
            quote = shipping.quote(country, weight)
        except shipping.ShippingUnavailable:
            problem = "not_shipped"
    priced = [discounts.PricedLine(v.product.category_id, v.line_total_idr) for v in buyable]
    code = cart.discount_code if cart else None
    applied, refused = discounts.try_code(code, priced, subtotal)
    lead = lead_times.order_lead_days((v.product, v.variant, v.line.quantity) for v in buyable)
    wrap = gifts.wrap_fee_idr(cart, gift_wrap_price_idr) if buyable else 0
    return CartSummary(lines, subtotal, weight, quote, problem, applied, refused,
                       lead_time_days=lead, gift_wrap_idr=wrap)  # fmt: skip


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
