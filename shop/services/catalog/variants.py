"""A product's options as a buyer sees them: which are on sale, whether each ships now,
and the price range the product shows."""

from __future__ import annotations

import enum
from collections.abc import Collection

from shop.models import Product, Variant


class Availability(enum.StrEnum):
    """What a buyer can expect for one variant."""

    IN_STOCK = "in_stock"
    MADE_TO_ORDER = "made_to_order"
    SOLD_OUT = "sold_out"


def active_variants(product: Product) -> list[Variant]:
    """Return the variants a buyer can choose, in display order."""
    return [v for v in product.variants if v.is_active]


def availability(product: Product, variant: Variant) -> Availability:
    """Say whether a variant ships now, is made to order, or is sold out."""
    if variant.stock > 0:
        return Availability.IN_STOCK
    if product.made_to_order:
        return Availability.MADE_TO_ORDER
    return Availability.SOLD_OUT


def product_availability(product: Product) -> Availability | None:
    """What a product's card promises: in stock when any option is on the shelf, else made
    to order or sold out; None when it has no option on sale."""
    options = [v for v in product.variants if v.is_active]
    if not options:
        return None
    if any(v.stock > 0 for v in options):
        return Availability.IN_STOCK
    return Availability.MADE_TO_ORDER if product.made_to_order else Availability.SOLD_OUT


def refresh_price_range(product: Product, removed: Collection[Variant] = ()) -> None:
    """Recompute the product's stored price range from its active variants."""
    # An unflushed variant has is_active None until its column default applies: count it.
    prices = [
        v.price_idr for v in product.variants if v.is_active is not False and v not in removed
    ]
    product.price_min_idr = min(prices) if prices else None
    product.price_max_idr = max(prices) if prices else None
