"""The catalog service: price ranges, filters, sorting, search, paging, availability."""

from __future__ import annotations

import pytest

from shop.models import ProductStatus
from shop.services.catalog import products as catalog
from shop.services.catalog import variants
from shop.services.catalog.products import ListingFilters
from shop.services.catalog.variants import Availability
from tests.factories import make_category, make_product, make_workshop


@pytest.fixture
def shelf(app):
    """Two categories, two workshops and a handful of products."""
    wood = make_category("tableware", "Tableware")
    air = make_category("miniature-aircraft", "Miniature aircraft")
    banyuwangi = make_workshop("woodcraft", "Woodcraft workshop")
    tangerang = make_workshop("aircraft", "Model aircraft workshop")
    products = {
        "bowl": make_product(
            "Sono bowl",
            category=wood,
            workshop=banyuwangi,
            prices=(285_000,),
            age_days=3,
            description_md="Turned from **rosewood**.",
        ),
        "plates": make_product(
            "Mahogany plates",
            category=wood,
            workshop=banyuwangi,
            prices=(340_000,),
            stock=0,
            age_days=2,
        ),
        "b737": make_product(
            "Boeing 737 model",
            category=air,
            workshop=tangerang,
            prices=(100_000, 500_000, 25_000_000),
            age_days=1,
        ),
        "draft": make_product(
            "Secret prototype", category=air, workshop=tangerang, status=ProductStatus.DRAFT
        ),
        "old": make_product(
            "Archived tray", category=wood, workshop=banyuwangi, status=ProductStatus.ARCHIVED
        ),
    }
    return products


def names(page) -> list[str]:
    return [p.name for p in page.items]


def test_price_range_comes_from_active_variants_only(shelf) -> None:
    b737 = shelf["b737"]
    assert (b737.price_min_idr, b737.price_max_idr) == (100_000, 25_000_000)
    b737.variants[2].is_active = False
    variants.refresh_price_range(b737)
    assert b737.price_max_idr == 500_000


def test_listing_shows_only_active_products_newest_first(shelf) -> None:
    page = catalog.search_products(ListingFilters(), per_page=10)
    assert names(page) == ["Boeing 737 model", "Mahogany plates", "Sono bowl"]
    assert page.total == 3


def test_filters_combine(shelf) -> None:
    filters = ListingFilters(category="tableware", workshop="woodcraft", max_price=300_000)
    assert names(catalog.search_products(filters, per_page=10)) == ["Sono bowl"]


def test_price_filter_matches_any_variant_in_range(shelf) -> None:
    filters = ListingFilters(min_price=20_000_000)
    assert names(catalog.search_products(filters, per_page=10)) == ["Boeing 737 model"]


def test_available_now_hides_products_without_stock(shelf) -> None:
    page = catalog.search_products(ListingFilters(available=True), per_page=10)
    assert "Mahogany plates" not in names(page)
    assert page.total == 2


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["Boeing 737 model", "Sono bowl", "Mahogany plates"]),
        ("price_desc", ["Boeing 737 model", "Mahogany plates", "Sono bowl"]),
    ],
)
def test_sorting_by_price(shelf, sort, expected) -> None:
    assert names(catalog.search_products(ListingFilters(sort=sort), per_page=10)) == expected


@pytest.mark.parametrize("q", ["rosewood", "ROSEWOOD", "tableware sono", "woodcraft bowl"])
def test_search_covers_name_description_category_and_workshop(shelf, q) -> None:
    assert names(catalog.search_products(ListingFilters(q=q), per_page=10)) == ["Sono bowl"]


def test_search_treats_like_wildcards_literally(shelf) -> None:
    assert catalog.search_products(ListingFilters(q="%"), per_page=10).total == 0
    assert catalog.search_products(ListingFilters(q="_"), per_page=10).total == 0


def test_pages_are_clamped(shelf) -> None:
    page = catalog.search_products(ListingFilters(page=99), per_page=2)
    assert page.page == 2 and page.pages == 2
    assert names(page) == ["Sono bowl"]


def test_availability_of_variants(shelf) -> None:
    bowl, plates = shelf["bowl"], shelf["plates"]
    assert variants.availability(bowl, bowl.variants[0]) is Availability.IN_STOCK
    assert variants.availability(plates, plates.variants[0]) is Availability.SOLD_OUT
    plates.made_to_order = True
    assert variants.availability(plates, plates.variants[0]) is Availability.MADE_TO_ORDER


def test_draft_and_archived_products_have_no_page(shelf) -> None:
    assert catalog.get_product(shelf["draft"].slug) is None
    assert catalog.get_product(shelf["old"].slug) is None
    assert catalog.get_product(shelf["bowl"].slug).name == "Sono bowl"
