"""Listing-type pages cost the same however big the catalog is, and what they say stays true.

Every page is rendered uncached here (the page cache off), as the first visitor after a
catalog change would get it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from shop.demo.bulk import seed_bulk
from shop.extensions import db
from shop.models import Product, ProductStatus, StockReason
from shop.services.catalog import counts, listings, product_status, search_match
from shop.services.catalog.drafts import ProductDraft, VariantDraft
from shop.services.catalog.products import SORTS, ListingFilters, search_products
from shop.services.ordering import stock as stock_service
from tests.factories import make_category, make_product, make_workshop

PER_PAGE = 24  # the test configuration's PRODUCTS_PER_PAGE


def _statements(client, count_queries, url: str) -> int:
    db.session.expire_all()
    before = count_queries.count
    response = client.get(url)
    assert response.status_code == 200, url
    return count_queries.count - before


def test_every_listing_type_page_runs_the_same_statements_at_30_and_at_600_products(
    app, client, count_queries
):
    app.config["PAGE_CACHE_DISABLED"] = True
    category, workshop = make_category(), make_workshop()
    first = make_product("Teak bowl", category=category, workshop=workshop, photos=1)
    db.session.commit()
    seed_bulk(29)  # reuses the photo above; random categories and workshops among these
    slug = first.slug
    pages = {
        "listing": "/products",
        "category": f"/products?category={category.slug}",
        "workshop": f"/workshops/{workshop.slug}",
        "filtered": f"/products?category={category.slug}&min_price=100000&max_price=5000000"
        "&available=1&sort=price_asc",
        "deepest page": "/products?page=100000",
        "deepest page, price": "/products?sort=price_desc&page=100000",
        "deepest filtered page": "/products?min_price=1&page=100000",
        "product": f"/products/{slug}",
    }
    small = {name: _statements(client, count_queries, url) for name, url in pages.items()}
    seed_bulk(570)
    large = {name: _statements(client, count_queries, url) for name, url in pages.items()}

    assert large == small
    # The deepest page is the last one, full, ending with the oldest product.
    html = client.get("/products?page=100000").get_data(as_text=True)
    assert "Page 25 of 25" in html and html.count('<article class="card"') == PER_PAGE
    oldest = db.session.scalar(select(Product.slug).order_by(Product.created_at).limit(1))
    assert html.rindex('<article class="card"') < html.index(f"/products/{oldest}")


def _shown_counts(client, category_slug: str) -> tuple[str, str, str]:
    """What a visitor reads: the listing's total, the category's count in the filter, and
    the number of pieces available now."""
    listing = client.get("/products").get_data(as_text=True)
    total = re.search(r'class="result-count"[^>]*>([^<]*)<', listing).group(1)
    option = re.search(rf'<option value="{category_slug}"[^>]*>[^<(]*\((\d+)\)', listing)
    available = client.get("/products?available=1").get_data(as_text=True)
    in_stock = re.search(r'class="result-count"[^>]*>([^<]*)<', available).group(1)
    return total, option.group(1), in_stock


def test_counts_shown_follow_products_created_archived_deleted_and_stock_changes(
    app, client, admin_user
):
    category, workshop = make_category(), make_workshop()
    for i in range(3):
        make_product(f"Stool {i}", category=category, workshop=workshop, stock=2)
    db.session.commit()
    assert _shown_counts(client, category.slug) == ("3 pieces", "3", "3 pieces")

    draft = ProductDraft(
        name="Rattan lamp",
        category_id=category.id,
        workshop_id=workshop.id,
        variants=[VariantDraft(None, "RL-1", "One size", 250_000, 1)],
    )
    new = listings.create_product(draft, admin_user, today=date(2026, 12, 4)).product
    assert _shown_counts(client, category.slug) == ("3 pieces", "3", "3 pieces")  # a draft
    product_status.set_status(new, "publish", admin_user)
    assert _shown_counts(client, category.slug) == ("4 pieces", "4", "4 pieces")

    stool = db.session.scalar(select(Product).where(Product.name == "Stool 0"))
    stock_service.change(stool.variants[0], -2, StockReason.DAMAGED, admin_user)
    db.session.commit()
    assert _shown_counts(client, category.slug) == ("4 pieces", "4", "3 pieces")

    product_status.set_status(stool, "archive", admin_user)
    assert _shown_counts(client, category.slug) == ("3 pieces", "3", "3 pieces")
    product_status.delete_product(new, admin_user)
    assert _shown_counts(client, category.slug) == ("2 pieces", "2", "2 pieces")


def test_a_count_stops_at_the_cap_and_says_so_and_every_page_stays_reachable(
    app, client, monkeypatch
):
    monkeypatch.setattr(counts, "COUNT_CAP", 30)
    category, workshop = make_category(), make_workshop()
    for i in range(60):
        make_product(f"Bowl {i}", category=category, workshop=workshop, prices=(200_000,))
    db.session.commit()

    html = client.get("/products?min_price=100000").get_data(as_text=True)
    assert "30+ pieces" in html and "Page 1 of 2+" in html
    # Search pages count their own capped candidates (search_match.CANDIDATE_LIMIT).
    # Unfiltered, the kept counts are exact.
    assert "60 pieces" in client.get("/products").get_data(as_text=True)
    # Walking on with "Next" reaches the last product; the count grows with the page.
    html = client.get("/products?min_price=100000&page=2").get_data(as_text=True)
    assert 'rel="next"' in html
    html = client.get("/products?min_price=100000&page=3").get_data(as_text=True)
    assert "60 pieces" in html and "Page 3 of 3" in html and 'rel="next"' not in html
    assert html.count('<article class="card"') == 60 - 2 * PER_PAGE


@pytest.fixture
def tied_catalog(app):
    """45 active products whose dates and prices tie in groups, a draft and an archived one."""
    shelf = make_category("shelf", "Shelf"), make_workshop("hands", "Hands")
    other = make_category("other", "Other")
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    for i in range(45):
        product = make_product(
            f"Piece {i}",
            category=shelf[0] if i % 3 else other,
            workshop=shelf[1],
            prices=(100_000 * (i % 4 + 1), 100_000 * (i % 4 + 1) + 50_000 * (i % 2)),
            stock=i % 2,
        )
        product.created_at = moment.replace(day=1 + i % 5)
    for status in (ProductStatus.DRAFT, ProductStatus.ARCHIVED):
        make_product("Hidden", category=shelf[0], workshop=shelf[1], status=status)
    db.session.commit()


def _walk(filters: ListingFilters, per_page: int) -> tuple[list[int], set[int]]:
    """Every page in turn: the ids in the order shown, and the totals each page gave."""
    seen, totals, page = [], set(), 1
    while True:
        result = search_products(ListingFilters(**{**filters.__dict__, "page": page}), per_page)
        assert result.page == page
        seen += [p.id for p in result.items]
        totals.add((result.total, result.more))
        if page >= result.pages:
            return seen, totals
        page += 1


def _expected(filters: ListingFilters) -> list[int]:
    """The listing's order worked out in Python: sort key, then the id breaking ties."""
    products = db.session.scalars(select(Product).where(Product.status == ProductStatus.ACTIVE))
    wanted = [
        p
        for p in products
        if (not filters.category or p.category.slug == filters.category)
        and (filters.min_price is None or p.price_max_idr >= filters.min_price)
        and (filters.max_price is None or p.price_min_idr <= filters.max_price)
        and (not filters.available or any(v.stock > 0 and v.is_active for v in p.variants))
    ]
    if filters.sort == "price_asc":
        return [p.id for p in sorted(wanted, key=lambda p: (p.price_min_idr, p.id))]
    if filters.sort == "price_desc":
        return [p.id for p in sorted(wanted, key=lambda p: (-p.price_max_idr, -p.id))]
    created = {p.id: p.created_at.replace(tzinfo=None) for p in wanted}
    return [p.id for p in sorted(wanted, key=lambda p: (created[p.id], p.id), reverse=True)]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize(
    "narrowed",
    [{}, {"category": "shelf"}, {"min_price": 150_000, "max_price": 300_000, "available": True}],
    ids=["all", "category", "price and stock"],
)
def test_pages_cover_every_product_once_in_order_for_each_sort(
    tied_catalog, monkeypatch, sort, narrowed
):
    monkeypatch.setattr(counts, "COUNT_CAP", 8)  # filtered walks go past the capped count
    filters = ListingFilters(sort=sort, **narrowed)
    expected = _expected(filters)
    assert len(expected) > 10
    for per_page in (4, 7):
        shown, totals = _walk(filters, per_page)
        assert shown == expected  # no duplicate, no gap, ties in id order, pages past the middle
        assert (len(expected), False) in totals


def test_a_search_with_more_matches_than_it_ranks_says_so(app, client, monkeypatch):
    monkeypatch.setattr(search_match, "CANDIDATE_LIMIT", 30)
    category, workshop = make_category(), make_workshop()
    for i in range(40):
        make_product(f"Bowl {i}", category=category, workshop=workshop, prices=(200_000,))
    make_product("Teak spoon", category=category, workshop=workshop, prices=(90_000,))
    db.session.commit()
    html = client.get("/products?q=bowl").get_data(as_text=True)
    assert "30+ results for “bowl”" in html and "Page 1 of 2+" in html
    html = client.get("/products?q=spoon").get_data(as_text=True)
    assert "1 result for “spoon”" in html
