"""A cart priced for its buyer: today's prices, volume prices, shipping, discount and gift
wrap, and what stands in the way of checking out; computed on the server, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from shop.extensions import db
from shop.models import Cart, CartLine, PriceTier, Product, Variant
from shop.services.catalog import lead_times, pricing
from shop.services.catalog.text import SOURCE_LOCALE, shown_in
from shop.services.ordering import discounts, gifts, shipping
from shop.services.ordering.cart import is_sellable, max_quantity


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
