"""Rupiah formatting and price ranges."""

from shop.services.money import format_idr, format_idr_range


def test_rupiah_is_grouped_the_indonesian_way_in_indonesian() -> None:
    assert format_idr(100_000, "id") == "Rp\xa0100.000"


def test_rupiah_is_shown_as_idr_with_commas_in_english() -> None:
    assert format_idr(25_000_000, "en") == "IDR\xa025,000,000"


def test_range_collapses_to_one_price_when_all_variants_cost_the_same() -> None:
    assert format_idr_range(100_000, 100_000, "id") == "Rp\xa0100.000"


def test_range_shows_both_ends() -> None:
    assert format_idr_range(100_000, 25_000_000, "id") == "Rp\xa0100.000 – Rp\xa025.000.000"


def test_range_of_a_product_without_active_variants_is_empty() -> None:
    assert format_idr_range(None, None, "en") == ""
