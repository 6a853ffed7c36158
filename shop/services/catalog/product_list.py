"""The back-office product list: search by name, slug or SKU, filter, sort, one page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, case, exists, func, or_, select
from sqlalchemy.orm import joinedload

from shop.extensions import db
from shop.models import (
    TRANSLATED_LOCALES,
    PhotoState,
    Product,
    ProductPhoto,
    ProductStatus,
    ProductTranslation,
    Variant,
)
from shop.services.catalog.search import ResultPage, clamp_page, contains

MAX_SEARCH = 100
MAX_SEARCH_WORDS = 6
SORTS = ("updated", "name", "newest")


@dataclass(frozen=True)
class AdminFilter:
    """What staff asked the product list for, already cleaned."""

    q: str = ""
    status: ProductStatus | None = None
    category_id: int | None = None
    workshop_id: int | None = None
    untranslated: str | None = None  # a language the product's name is not translated into
    sort: str = "updated"


@dataclass
class AdminRow:
    """One product in the list, with figures summed over its variants."""

    product: Product
    cover: ProductPhoto | None
    variants: int
    active_variants: int
    stock: int


def _filtered(query: Select, filters: AdminFilter) -> Select:
    if filters.status is not None:
        query = query.where(Product.status == filters.status)
    if filters.category_id is not None:
        query = query.where(Product.category_id == filters.category_id)
    if filters.workshop_id is not None:
        query = query.where(Product.workshop_id == filters.workshop_id)
    if filters.untranslated in TRANSLATED_LOCALES:
        translated = exists().where(
            ProductTranslation.product_id == Product.id,
            ProductTranslation.locale == filters.untranslated,
            ProductTranslation.name != "",
        )
        query = query.where(~translated)
    for word in filters.q[:MAX_SEARCH].split()[:MAX_SEARCH_WORDS]:
        skus = select(Variant.product_id).where(contains(Variant.sku, word))
        query = query.where(
            or_(contains(Product.name, word), contains(Product.slug, word), Product.id.in_(skus))
        )
    return query


_ORDER = {
    "updated": (Product.updated_at.desc(), Product.id.desc()),
    "name": (Product.name.asc(), Product.id.asc()),
    "newest": (Product.created_at.desc(), Product.id.desc()),
}


def _variant_figures(ids: list[int]) -> dict[int, tuple[int, int, int]]:
    rows = db.session.execute(
        select(
            Variant.product_id,
            func.count(),
            func.sum(case((Variant.is_active.is_(True), 1), else_=0)),
            func.sum(Variant.stock),
        )
        .where(Variant.product_id.in_(ids))
        .group_by(Variant.product_id)
    )
    return {pid: (n, int(active or 0), int(stock or 0)) for pid, n, active, stock in rows}


def _covers(ids: list[int]) -> dict[int, ProductPhoto]:
    photos = db.session.scalars(
        select(ProductPhoto)
        .where(ProductPhoto.product_id.in_(ids), ProductPhoto.state == PhotoState.READY)
        .order_by(ProductPhoto.product_id, ProductPhoto.position, ProductPhoto.id)
    )
    covers: dict[int, ProductPhoto] = {}
    for photo in photos:
        covers.setdefault(photo.product_id, photo)
    return covers


def search_admin(filters: AdminFilter, page: int, per_page: int) -> ResultPage[AdminRow]:
    """One page of products for the back office, in a fixed number of queries."""
    total = db.session.scalar(_filtered(select(func.count()).select_from(Product), filters)) or 0
    page = clamp_page(page, total, per_page)
    # Sort and cut the page on ids alone, then load those rows: sorting whole rows (long
    # descriptions included) of a big catalog costs ten times more.
    ids = list(
        db.session.scalars(
            _filtered(select(Product.id), filters)
            .order_by(*_ORDER.get(filters.sort, _ORDER["updated"]))
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    if not ids:
        return ResultPage(items=[], total=total, page=page, per_page=per_page)
    loaded = db.session.scalars(
        select(Product)
        .where(Product.id.in_(ids))
        .options(joinedload(Product.category, innerjoin=True))
        .options(joinedload(Product.workshop, innerjoin=True))
    )
    by_id = {p.id: p for p in loaded}
    products = [by_id[i] for i in ids if i in by_id]
    figures, covers = _variant_figures(ids), _covers(ids)
    rows = [AdminRow(p, covers.get(p.id), *figures.get(p.id, (0, 0, 0))) for p in products]
    return ResultPage(items=rows, total=total, page=page, per_page=per_page)
