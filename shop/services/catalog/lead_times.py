"""Lead times: how long a buyer waits for a piece, and one delivery window per order.

A piece on the shelf ships at once. A made-to-order product's pieces beyond its stock are
made first, which takes its lead time. An order's window is the longest lead time of its
lines (0 when everything is on the shelf) plus the zone's transit days: one honest promise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shop.models import Product, Variant

# What a made-to-order product without a lead time of its own takes to make.
DEFAULT_LEAD_TIME_DAYS = 30


@dataclass(frozen=True)
class DeliveryWindow:
    """From the order to the buyer's door: `min_days`–`max_days`, of which `lead_days` making."""

    min_days: int
    max_days: int
    lead_days: int


def lead_time_days(product: Product) -> int:
    """The days the product's workshop needs to make one (only meaningful when made to order)."""
    if product.lead_time_days is None:
        return DEFAULT_LEAD_TIME_DAYS
    return product.lead_time_days


def line_lead_days(product: Product, variant: Variant, quantity: int) -> int:
    """The days before this many pieces can ship: 0 when the shelf holds them all."""
    if quantity <= max(variant.stock, 0) or not product.made_to_order:
        return 0
    return lead_time_days(product)


def order_lead_days(lines: Iterable[tuple[Product, Variant, int]]) -> int:
    """The longest wait among an order's (product, variant, quantity) lines; 0 if none."""
    return max((line_lead_days(p, v, q) for p, v, q in lines), default=0)


def window(lead_days: int, transit_min: int, transit_max: int) -> DeliveryWindow:
    """The whole wait: making (if any) followed by the zone's transit days."""
    return DeliveryWindow(lead_days + transit_min, lead_days + transit_max, lead_days)
