"""Volume prices: which unit price a quantity costs, the product page table, tier rules."""

from __future__ import annotations

import pytest

from shop.models import PriceTier, Variant
from shop.services.catalog import pricing
from shop.services.catalog.pricing import Band, Tier
from shop.services.ordering.cart import MAX_LINE_QUANTITY


def variant(price: int = 150_000, tiers: tuple[tuple[int, int], ...] = ()) -> Variant:
    """A variant (not stored) with these (min quantity, unit price) tiers."""
    made = Variant(sku="V-1", option_label="1:100", price_idr=price, stock=0, weight_g=100)
    made.price_tiers = [PriceTier(min_quantity=q, unit_price_idr=p) for q, p in tiers]
    return made


TIERED = ((10, 135_000), (50, 120_000), (200, 100_000))


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        (1, 150_000),
        (9, 150_000),
        (10, 135_000),
        (49, 135_000),
        (50, 120_000),
        (199, 120_000),
        (200, 100_000),
        (500, 100_000),
    ],
)
def test_each_quantity_costs_the_price_of_the_highest_tier_it_reaches(quantity, expected):
    assert pricing.unit_price_idr(variant(tiers=TIERED), quantity) == expected


def test_tiers_apply_whatever_order_they_are_listed_in():
    shuffled = variant(tiers=(TIERED[2], TIERED[0], TIERED[1]))
    assert [pricing.unit_price_idr(shuffled, q) for q in (9, 10, 50, 200)] == [
        150_000,
        135_000,
        120_000,
        100_000,
    ]


@pytest.mark.parametrize("quantity", [1, 9, 10, 50, 500])
def test_without_tiers_every_quantity_costs_the_list_price(quantity):
    plain = variant()
    assert pricing.unit_price_idr(plain, quantity) == 150_000
    assert pricing.applicable_tier(plain, quantity) is None
    assert pricing.tier_table(plain) == []


def test_a_tier_left_dearer_by_a_later_price_cut_never_costs_more_than_the_list_price():
    cut = variant(price=130_000, tiers=TIERED)
    assert pricing.unit_price_idr(cut, 10) == 130_000
    assert pricing.unit_price_idr(cut, 50) == 120_000


def test_the_table_lists_quantity_ranges_with_their_discount():
    assert pricing.tier_table(variant(tiers=TIERED)) == [
        Band(1, 9, 150_000, 0),
        Band(10, 49, 135_000, 10),
        Band(50, 199, 120_000, 20),
        Band(200, None, 100_000, 33),  # 33.3 % rounded down: never promise more than it is
    ]


def test_the_next_tier_is_hinted_only_when_it_is_near_and_the_line_may_grow_that_far():
    tiered = variant(tiers=TIERED)
    assert pricing.next_tier(tiered, 8, 500).min_quantity == 10
    assert pricing.next_tier(tiered, 5, 500) is None  # half way: not near yet
    assert pricing.next_tier(tiered, 45, 500).min_quantity == 50
    assert pricing.next_tier(tiered, 8, 9) is None  # only 9 in stock
    assert pricing.next_tier(tiered, 200, 500) is None  # best price already
    assert pricing.next_tier(variant(), 8, 500) is None


@pytest.mark.parametrize(
    ("list_price", "unit_price", "pct"),
    [(150_000, 135_000, 10), (150_000, 100_000, 33), (150_000, 149_999, 0), (0, 0, 0)],
)
def test_discounts_are_whole_percent_rounded_down(list_price, unit_price, pct):
    assert pricing.discount_pct(list_price, unit_price) == pct


# -- Rules for tiers staff enter -------------------------------------------------------------


def problems(tiers: list[tuple[int, int]], base: int = 150_000) -> list[tuple[int, str, str]]:
    found = pricing.check_tiers(base, [Tier(q, p) for q, p in tiers], MAX_LINE_QUANTITY)
    return [(p.index, p.part, p.key) for p in found]


def test_sensible_tiers_pass_in_any_order():
    assert problems([(10, 135_000), (50, 120_000), (200, 100_000)]) == []
    assert problems([(200, 100_000), (10, 135_000)]) == []
    assert problems([]) == []
    assert problems([(2, 0)]) == []  # a free second piece is odd but not wrong
    assert problems([(MAX_LINE_QUANTITY, 1)]) == []


@pytest.mark.parametrize(
    ("tiers", "expected"),
    [
        ([(1, 140_000)], [(0, "min_quantity", "too_small")]),
        ([(0, 140_000)], [(0, "min_quantity", "too_small")]),
        ([(501, 140_000)], [(0, "min_quantity", "too_large")]),
        ([(10, 135_000), (10, 130_000)], [(1, "min_quantity", "repeated")]),
        ([(10, 150_000)], [(0, "unit_price_idr", "not_cheaper")]),
        ([(10, 160_000)], [(0, "unit_price_idr", "not_cheaper")]),
        ([(10, -1)], [(0, "unit_price_idr", "negative")]),
        ([(10, 120_000), (50, 120_000)], [(1, "unit_price_idr", "not_decreasing")]),
        ([(50, 130_000), (10, 120_000)], [(0, "unit_price_idr", "not_decreasing")]),
        (
            [(10, 140_000), (20, 130_000), (30, 120_000), (40, 110_000), (50, 100_000)],
            [(4, "min_quantity", "too_many")],
        ),
    ],
)
def test_bad_tiers_are_refused_with_the_reason_on_the_tier(tiers, expected):
    assert problems(tiers) == expected


def test_the_order_rule_is_checked_once_every_tier_is_valid_on_its_own():
    # A repeated quantity is the problem to fix, not the order it happens to make.
    assert problems([(10, 120_000), (10, 130_000)]) == [(1, "min_quantity", "repeated")]
