"""Volume prices: which unit price a quantity of a variant costs, and which tiers are valid.

This is the one place that knows how a unit price is chosen. The cart prices its lines here,
the order snapshots the cart's line prices, and the product page shows the table made here,
so what a buyer reads, what the cart says and what the checkout charges cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shop.models import PriceTier, Variant

MAX_TIERS = 4  # per variant: 10+, 50+, 200+ and one more is plenty
MIN_TIER_QUANTITY = 2  # a "tier" for one piece would just be the price
NEAR_TIER_PCT = 80  # hint at the next tier once a line holds 80 % of its quantity


@dataclass(frozen=True)
class Tier:
    """A volume price as staff enter it: from `min_quantity` pieces, `unit_price_idr` each."""

    min_quantity: int
    unit_price_idr: int


@dataclass(frozen=True)
class Band:
    """One row of the volume price table: a quantity range and the unit price it costs."""

    min_quantity: int
    max_quantity: int | None  # None: and above
    unit_price_idr: int
    discount_pct: int  # whole percent below the list price, rounded down (0 for the list price)


@dataclass(frozen=True)
class TierProblem:
    """Something wrong with one tier: its position in the list given, the part, a message key."""

    index: int
    part: str  # "min_quantity" or "unit_price_idr"
    key: str
    params: dict[str, Any] = field(default_factory=dict, compare=False)


# -- Choosing a unit price ---------------------------------------------------------------


def applicable_tier(variant: Variant, quantity: int) -> PriceTier | None:
    """The tier with the largest minimum quantity not above `quantity`, or None."""
    found = None
    for tier in variant.price_tiers:
        if tier.min_quantity <= quantity and (
            found is None or tier.min_quantity > found.min_quantity
        ):
            found = tier
    return found


def unit_price_idr(variant: Variant, quantity: int) -> int:
    """The price of one piece when buying `quantity`: its tier's price, else the list price.

    Never more than the list price: a tier left dearer by a later price cut does not apply.
    """
    tier = applicable_tier(variant, quantity)
    if tier is None:
        return variant.price_idr
    return min(tier.unit_price_idr, variant.price_idr)


def discount_pct(list_price_idr: int, unit_price_idr: int) -> int:
    """How many whole percent `unit_price_idr` is below the list price (rounded down)."""
    if list_price_idr <= 0 or unit_price_idr >= list_price_idr:
        return 0
    return (list_price_idr - unit_price_idr) * 100 // list_price_idr


def tier_table(variant: Variant) -> list[Band]:
    """The variant's volume prices as quantity ranges, from one piece up; [] without tiers."""
    tiers = sorted(variant.price_tiers, key=lambda t: t.min_quantity)
    if not tiers:
        return []
    starts = [1] + [t.min_quantity for t in tiers]
    prices = [variant.price_idr] + [min(t.unit_price_idr, variant.price_idr) for t in tiers]
    ends: list[int | None] = [start - 1 for start in starts[1:]] + [None]
    return [
        Band(start, end, price, discount_pct(variant.price_idr, price))
        for start, end, price in zip(starts, ends, prices, strict=True)
    ]


def shared_bands(tables: Sequence[list[Band]]) -> list[Band] | None:
    """The quantity ranges, when every table breaks at the same quantities (one grid fits)."""
    if not tables:
        return None
    ranges = [[(b.min_quantity, b.max_quantity) for b in table] for table in tables]
    return tables[0] if all(r == ranges[0] for r in ranges) else None


def next_tier(variant: Variant, quantity: int, limit: int) -> PriceTier | None:
    """The next cheaper tier when the line is close to it and may grow that far, else None."""
    ahead = [t for t in variant.price_tiers if quantity < t.min_quantity <= limit]
    if not ahead:
        return None
    tier = min(ahead, key=lambda t: t.min_quantity)
    if tier.unit_price_idr >= unit_price_idr(variant, quantity):
        return None
    if quantity * 100 < tier.min_quantity * NEAR_TIER_PCT:
        return None
    return tier


# -- Checking and saving tiers ------------------------------------------------------------


def check_tiers(base_price_idr: int, tiers: Sequence[Tier], max_quantity: int) -> list[TierProblem]:
    """Every problem with these tiers for a variant costing `base_price_idr`, in list order.

    `max_quantity` is the most one cart line may hold: a tier above it could never apply.
    """
    problems: list[TierProblem] = []
    seen: set[int] = set()
    for i, tier in enumerate(tiers):
        if i >= MAX_TIERS:
            problems.append(TierProblem(i, "min_quantity", "too_many", {"max": MAX_TIERS}))
            continue
        problems += _quantity_problems(i, tier.min_quantity, seen, max_quantity)
        seen.add(tier.min_quantity)
        if tier.unit_price_idr < 0:
            problems.append(TierProblem(i, "unit_price_idr", "negative"))
        elif tier.unit_price_idr >= base_price_idr:
            problems.append(
                TierProblem(i, "unit_price_idr", "not_cheaper", {"price": base_price_idr})
            )
    if not problems:
        problems = _order_problems(tiers)
    return problems


def _quantity_problems(i: int, quantity: int, seen: set[int], limit: int) -> list[TierProblem]:
    if quantity < MIN_TIER_QUANTITY:
        return [TierProblem(i, "min_quantity", "too_small", {"min": MIN_TIER_QUANTITY})]
    if quantity > limit:
        return [TierProblem(i, "min_quantity", "too_large", {"max": limit})]
    if quantity in seen:
        return [TierProblem(i, "min_quantity", "repeated", {"quantity": quantity})]
    return []


def _order_problems(tiers: Sequence[Tier]) -> list[TierProblem]:
    """Buying more must never cost more per piece: each tier cheaper than the one below it."""
    ranked = sorted(enumerate(tiers), key=lambda pair: pair[1].min_quantity)
    return [
        TierProblem(
            i, "unit_price_idr", "not_decreasing",
            {"quantity": lower.min_quantity, "price": lower.unit_price_idr},
        )
        for (_, lower), (i, higher) in zip(ranked, ranked[1:], strict=False)
        if higher.unit_price_idr >= lower.unit_price_idr
    ]  # fmt: skip


def describe_tiers(variant: Variant) -> list[str] | None:
    """The variant's tiers for the audit log ("10+: 135000"), or None without any."""
    tiers = sorted(variant.price_tiers, key=lambda t: t.min_quantity)
    return [f"{t.min_quantity}+: {t.unit_price_idr}" for t in tiers] or None


def replace_tiers(variant: Variant, tiers: Sequence[Tier]) -> None:
    """Make the variant's tiers exactly these (already checked); the caller commits.

    Tiers are matched by quantity, so a changed price updates its row in place and the
    unique (variant, quantity) rule never sees two rows at once.
    """
    wanted = {t.min_quantity: t.unit_price_idr for t in tiers}
    for tier in list(variant.price_tiers):
        if tier.min_quantity not in wanted:
            variant.price_tiers.remove(tier)
        elif tier.unit_price_idr != wanted[tier.min_quantity]:
            tier.unit_price_idr = wanted[tier.min_quantity]
    have = {t.min_quantity for t in variant.price_tiers}
    for quantity in sorted(set(wanted) - have):
        variant.price_tiers.append(
            PriceTier(min_quantity=quantity, unit_price_idr=wanted[quantity])
        )
    variant.price_tiers.sort(key=lambda t: t.min_quantity)
