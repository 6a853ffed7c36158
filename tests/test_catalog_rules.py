"""The catalog's value rules, shared by the product editor and the CSV import."""

from __future__ import annotations

import pytest

from shop.services.catalog import rules as catalog_rules
from shop.services.catalog.csv_export import BadValue, sku_value
from shop.services.catalog.rules import InvalidPrice, check_sku, check_slug, parse_rupiah, slugify


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("150000", 150_000), ("150.000", 150_000), ("Rp150.000", 150_000),
        ("Rp 150.000", 150_000), ("rp. 1.250.000", 1_250_000), ("150,000", 150_000),
        ("150 000", 150_000), ("Rp150.000,-", 150_000), ("150.000,00", 150_000), ("0", 0),
        ("150000.00", 150_000), ("Rp 150.000,-", 150_000), ("10.000.000.000", 10_000_000_000),
    ],
)  # fmt: skip
def test_parse_rupiah_reads_what_indonesian_staff_type(typed, amount):
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-150000", "negative"), ("Rp -5.000", "negative"), ("-Rp5.000", "negative"),
        ("150000,50", "decimals"), ("1.5", "decimals"), ("150.000,5", "decimals"),
        ("", "format"), ("seratus ribu", "format"), ("1.50.000", "format"), ("Rp", "format"),
        ("99999999999999", "too_large"), ("10.000.000.001", "too_large"), ("9" * 5000, "too_large"),
    ],
)  # fmt: skip
def test_parse_rupiah_says_why_it_refuses(typed, reason):
    with pytest.raises(InvalidPrice) as refused:
        parse_rupiah(typed)
    assert refused.value.reason == reason


def test_slugify_and_the_slug_check():
    assert (
        slugify("  Miniatur Pesawat Boeing 737-800 (1:100) ")
        == "miniatur-pesawat-boeing-737-800-1-100"
    )
    assert slugify("Tempat Tisu Rotan — Édition") == "tempat-tisu-rotan-edition"
    assert slugify("Rattan & Bamboo", 7) == "rattan"
    assert slugify("木のお皿") == ""
    assert check_slug("teak-bowl-2") is None
    assert check_slug("Teak_bowl") == "format"
    assert check_slug("teak--bowl") == "format"
    assert check_slug("") == "missing"
    assert check_slug("a" * 161) == "too_long"
    assert check_slug("a" * 121, catalog_rules.MAX_CATEGORY_SLUG) == "too_long"


@pytest.mark.parametrize(
    ("sku", "reason"),
    [
        ("AC-B738-1100", None), ("TW.SONO_24", None), ("9A", None), ("", "missing"),
        ("AC B738", "format"), ("AC/B738", "format"), ("-AC", "format"), (".AC", "format"),
        ("A" * 65, "too_long"),
    ],
)  # fmt: skip
def test_the_editor_and_the_csv_import_take_the_same_skus(sku, reason):
    assert check_sku(sku) == reason
    if reason is None:
        assert sku_value(sku) == sku
    else:
        with pytest.raises(BadValue) as refused:
            sku_value(sku)
        assert refused.value.code == ("required" if reason == "missing" else "sku")
