"""Reading the catalog for the storefront: listing, filters, search, product pages."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, Select, String, bindparam, exists, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from shop.extensions import db
from shop.models import (
    Category,
    Product,
    ProductStatus,
    Variant,
    Workshop,
)
from shop.services.catalog import search_match
from shop.services.catalog.counts import active_counts, capped_count
from shop.services.catalog.paging import ORDERS, page_ids
from shop.services.catalog.search import ResultPage, clamp_page
from shop.services.catalog.search_query import SearchPlan, plan_search
from shop.services.catalog.text import SOURCE_LOCALE, shown_in

# "relevance" ranks search results; without search words a listing falls back to newest.
SORTS = ("relevance", *ORDERS)
MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 6
MAX_PRICE_IDR = 10_000_000_000


@dataclass(frozen=True)
class ListingFilters:
    """What the visitor asked the product listing for, already cleaned."""

    q: str = ""
    category: str | None = None
    workshop: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    available: bool = False
    sort: str = "newest"
    page: int = 1

    @property
    def active(self) -> bool:
        """Whether anything narrows the listing."""
        return bool(
            self.q
            or self.category
            or self.workshop
            or self.min_price is not None
            or self.max_price is not None
            or self.available
        )

    @property
    def active_count(self) -> int:
        """How many filters narrow the listing (shown on the phone's filter button)."""
        prices = (self.min_price, self.max_price)
        narrowing = (self.q, self.category, self.workshop, self.available)
        return sum(map(bool, narrowing)) + sum(price is not None for price in prices)


@dataclass(frozen=True)
class Listed:
    """A product a page shows by its card alone (`cards=True`): the card cache holds what
    the card shows, so nothing of the product is read unless its card must be rendered
    (products_by_id)."""

    id: int


@dataclass(frozen=True)
class ProductPage(ResultPage[Any]):
    """One page of products (Product, or Listed for `cards`); for a search, also what was
    searched for (corrections, …)."""

    search: SearchPlan | None = None


def _storefront_query(locale: str = SOURCE_LOCALE, *, page: bool = False) -> Select[tuple[Product]]:
    """Active products with what their cards and pages show.

    Cards load each kind once for all the products. One product's `page` also shows its
    options' volume prices, and takes its photos in the product's own statement and its
    options with their prices in one more: two statements, whose rows add up (photos, then
    options times prices) rather than multiply.
    """
    if page:
        photos = joinedload(Product.shown_photos)
        options = selectinload(Product.variants).joinedload(Variant.price_tiers)
    else:
        photos = selectinload(Product.shown_photos)
        # Cards say "sold out" or "made to order" only where that is true of every option.
        options = selectinload(Product.variants)
    query = (
        select(Product)
        .join(Product.category)
        .join(Product.workshop)
        .where(Product.status == ProductStatus.ACTIVE)
        .options(
            contains_eager(Product.category), contains_eager(Product.workshop), photos, options
        )
    )
    if locale == SOURCE_LOCALE:
        return query
    # At most one row per entry in one language: joined into the same query, which costs
    # less than a query (and its loader) of its own for each kind.
    return query.options(
        joinedload(shown_in(Product, locale)),
        contains_eager(Product.category).joinedload(shown_in(Category, locale)),
        contains_eager(Product.workshop).joinedload(shown_in(Workshop, locale)),
    )


def _apply_filters(
    query: Select, filters: ListingFilters, locale: str, *, joined: bool = True
) -> Select:
    """Narrow a product query; `joined` says whether category and workshop are joined."""
    if filters.category:
        category_id = select(Category.id).where(Category.slug == filters.category)
        query = query.where(Product.category_id == category_id.scalar_subquery())
    if filters.workshop:
        workshop_id = select(Workshop.id).where(Workshop.slug == filters.workshop)
        query = query.where(Product.workshop_id == workshop_id.scalar_subquery())
    if filters.min_price is not None:
        query = query.where(Product.price_max_idr >= filters.min_price)
    if filters.max_price is not None:
        query = query.where(Product.price_min_idr <= filters.max_price)
    if filters.available:
        in_stock = exists().where(
            Variant.product_id == Product.id, Variant.is_active.is_(True), Variant.stock > 0
        )
        query = query.where(in_stock)
    return query


def _exact_total(filters: ListingFilters) -> int | None:
    """The total from the counts kept per catalog version, when the filters allow it."""
    narrowed = filters.q or filters.available or (filters.category and filters.workshop)
    if narrowed or filters.min_price is not None or filters.max_price is not None:
        return None
    counts = active_counts()
    if filters.category:
        return counts.by_category.get(filters.category, 0)
    if filters.workshop:
        return counts.by_workshop.get(filters.workshop, 0)
    return counts.total


def _active_ids() -> Select[tuple[int]]:
    return select(Product.id).where(Product.status == ProductStatus.ACTIVE)


def search_products(
    filters: ListingFilters, per_page: int, locale: str = SOURCE_LOCALE, *, cards: bool = False
) -> ProductPage:
    """Return one page of active products matching the filters; the page is clamped.

    Search words match English texts and, for another language, its translations; the
    products come with their texts in that language. The page costs the same whatever the
    catalog's size: totals come from the kept counts or a capped count (`more` set when it
    stopped), the page's ids are cut from an index on ids alone, and only those rows load.
    With `cards`, the items are the products' ids alone (Listed), for shop.card_cache.
    """
    if filters.q:
        return _search_page(filters, per_page, locale, cards)
    ids_query = _apply_filters(_active_ids(), filters, locale, joined=False)
    total, more = _exact_total(filters), False
    if total is None:
        total, more = capped_count(ids_query, filters.page * per_page)
    page = clamp_page(filters.page, total + (1 if more else 0), per_page)
    offset = (page - 1) * per_page
    ids = page_ids(ids_query, filters.sort, offset, per_page, None if more else total)
    items = _page_items(ids, locale, cards)
    return ProductPage(items=items, total=total, page=page, per_page=per_page, more=more)


def _page_items(ids: list[int], locale: str, cards: bool) -> list[Any]:
    """The page's products in the order of `ids`: loaded, or for `cards` their ids alone."""
    if cards:
        return [Listed(i) for i in ids]
    by_id = products_by_id(ids, locale)
    return [by_id[i] for i in ids if i in by_id]


def _search_page(
    filters: ListingFilters, per_page: int, locale: str, cards: bool = False
) -> ProductPage:
    """One page of products found by the search index (search_match), ranked or sorted.

    Every filter applies to the (capped) candidates. One statement reads the candidates once:
    it ranks or sorts them, counts them (a window count) and cuts the page; a second loads
    that page's products. A page past the last one is asked for again as the last one.
    """
    plan = plan_search(filters.q, locale)
    unsearched = replace(filters, q="")

    def narrow(query: Select) -> Select:
        return _apply_filters(query, unsearched, locale, joined=False)

    page, ids, total = max(filters.page, 1), [], 0
    for relaxed in (False, True) if len(plan.groups) > 1 else (False,):
        found = search_match.find(
            plan.groups,
            relaxed=relaxed,
            sort=filters.sort,
            # Ranked and unfiltered, the candidates need nothing of their products.
            narrow=narrow if unsearched.active else None,
        )
        if found is None:
            break
        ids, total = found.page(page, per_page)
        if not ids and page > 1:  # past the end, or nothing at all: count from the start
            ids, total = found.page(1, per_page)
            if total:
                page = clamp_page(page, total, per_page)
                ids, total = found.page(page, per_page)
        if total:
            plan = replace(plan, relaxed=relaxed)
            break
    if not total:
        return ProductPage(items=[], total=0, page=1, per_page=per_page, search=plan)
    # One candidate past the limit was read only to tell that the count stopped there.
    more = total > search_match.CANDIDATE_LIMIT
    items = _page_items(ids, locale, cards)
    total = min(total, search_match.CANDIDATE_LIMIT)
    return ProductPage(
        items=items, total=total, page=page, per_page=per_page, more=more, search=plan
    )


def featured_products(
    limit: int = 8, locale: str = SOURCE_LOCALE, *, cards: bool = False
) -> list[Any]:
    """Return featured active products, newest first (`cards`: as search_products)."""
    featured = _active_ids().where(Product.featured.is_(True))
    featured = featured.order_by(Product.created_at.desc(), Product.id.desc()).limit(limit)
    return _page_items(list(db.session.scalars(featured)), locale, cards)


def get_product(slug: str, locale: str = SOURCE_LOCALE) -> Product | None:
    """Return an active product with everything its page shows (volume prices too), or None."""
    return db.session.scalars(_product_page(locale), {"slug": slug}).unique().first()


@lru_cache(maxsize=16)
def _product_page(locale: str) -> Select[tuple[Product]]:
    """get_product's statement, built once per language (building and keying it cost as
    much CPU as running it); the slug is a required parameter."""
    slug = bindparam("slug", type_=String, required=True)
    return _storefront_query(locale, page=True).where(Product.slug == slug)


def products_by_id(ids: Collection[int], locale: str = SOURCE_LOCALE) -> dict[int, Product]:
    """The active ones among these products, with what a product card and its variants show."""
    if not ids:
        return {}
    found = db.session.scalars(_products_by_id(locale), {"ids": list(ids)}).unique()
    return {product.id: product for product in found}


@lru_cache(maxsize=16)
def _products_by_id(locale: str) -> Select[tuple[Product]]:
    """products_by_id's statement, built once per language; the ids are a parameter."""
    ids = bindparam("ids", type_=Integer, expanding=True, required=True)
    return _storefront_query(locale).where(Product.id.in_(ids))


def workshop_products(
    workshop: Workshop, page: int, per_page: int, locale: str = SOURCE_LOCALE
) -> ProductPage:
    """Return one page of a workshop's active products, by id for their cards (Listed)."""
    filters = ListingFilters(workshop=workshop.slug, page=page)
    return search_products(filters, per_page, locale, cards=True)


def sitemap_entries() -> list[tuple[str, object]]:
    """Return (slug, updated_at) for every active product, for the sitemap."""
    rows = db.session.execute(
        select(Product.slug, Product.updated_at)
        .where(Product.status == ProductStatus.ACTIVE)
        .order_by(Product.id)
    )
    return [(slug, updated) for slug, updated in rows]


def with_page(filters: ListingFilters, page: int) -> ListingFilters:
    """Return the same filters on another page."""
    return replace(filters, page=page)
