"""What changed in the catalog, and which cached storefront pages that makes stale.

Structural changes (a product added, removed, published, renamed or moved; categories,
workshops, exchange rates, translations) bump the global catalog version, which every
cached page depends on. A change confined to one product (its variants' stock, prices and
options, volume prices, photos) bumps only that product's cache tag, plus the `stock` or
`prices` tag when it could change which products a filtered or price-sorted listing shows
(see cache_tags). ORM changes are classified in the flush (track_catalog_changes), which
also keeps each product's stored price range in step with its variants; code that changes
catalog rows with Core statements calls bump_catalog_version or stock_moved itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session, scoped_session

from shop.extensions import db
from shop.models import (
    CatalogVersion,
    Category,
    CategoryTranslation,
    ExchangeRate,
    PriceTier,
    Product,
    ProductPhoto,
    ProductTranslation,
    SearchSynonym,
    ShippingCountry,
    ShippingZone,
    Variant,
    Workshop,
    WorkshopTranslation,
)
from shop.services.catalog import cache_tags, kept
from shop.services.catalog.variants import refresh_price_range

# Volume prices, approximate prices in other currencies and translated texts show on
# storefront pages: a tier, exchange rate or translation change must refresh them too; so
# does a search synonym, which changes what a search lists, and a shipping zone, whose fees
# a product's page lists.
CATALOG_MODELS = (
    Category, CategoryTranslation, ExchangeRate, PriceTier, Product, ProductPhoto,
    ProductTranslation, SearchSynonym, ShippingCountry, ShippingZone, Variant, Workshop,
    WorkshopTranslation,
)  # fmt: skip
# Product columns that show only on the product's own page and cards: changing them leaves
# every listing's choice and order of products as it was. Anything else a listing filters,
# searches or sorts by (name, texts, category, status, featured) is structural.
PER_PRODUCT_COLUMNS = frozenset(
    {"price_min_idr", "price_max_idr", "updated_at", "care_notes", "lead_time_days",
     "maker_share_pct", "made_to_order", "summary", "materials",
     # collections: their rows are classified on their own
     "variants", "photos", "shown_photos", "translations", "shown_translations"}
)  # fmt: skip


# What a variant's stock may change on a storefront page: whether it is above zero (in
# stock, or sold out / made to order), never the count. A sale that leaves pieces on the
# shelf changes no page, so it stales none; tests/test_cache_tags.py holds pages to this.

_FLUSH_TAGS = "kb_flush_cache_tags"  # session.info: what this flush stales, bumped after it


def catalog_version() -> int:
    """Return the current catalog version (0 before anything was ever recorded)."""
    return db.session.scalar(select(CatalogVersion.version).where(CatalogVersion.id == 1)) or 0


def bump_catalog_version(session: Session | None = None) -> None:
    """Record a structural catalog change, in the caller's transaction: every page is stale."""
    session = session or db.session()
    # Core statements on the session's connection: no autoflush, so this is safe mid-flush.
    connection = session.connection()
    table = CatalogVersion.__table__
    updated = connection.execute(
        update(table).where(table.c.id == 1).values(version=table.c.version + 1)
    )
    if updated.rowcount == 0:
        connection.execute(table.insert().values(id=1, version=1))
    kept.forget(session)
    cache_tags.bump([cache_tags.GLOBAL], session)


def stock_moved(
    moves: dict[int, int],
    session: Session | None = None,
    after: dict[int, tuple[int, int]] | None = None,
) -> None:
    """Record stock moved by Core statements ({variant id: change}); the caller commits.

    Storefront pages show whether an option is on the shelf, never how many pieces are:
    only a variant going from in stock to sold out or back stales its
    product's pages, and the listings of what is in stock. `after` ({variant id: (product
    id, stock now)}), when the updates returned it, saves reading it again.
    """
    session = session or db.session()
    moves = {variant_id: delta for variant_id, delta in moves.items() if delta}
    if not moves:
        return
    if after is None:
        # On the connection, as the updates were: no autoflush of the caller's pending rows.
        rows = session.connection().execute(
            select(Variant.id, Variant.product_id, Variant.stock).where(Variant.id.in_(moves))
        )
        after = {variant_id: (product_id, stock) for variant_id, product_id, stock in rows}
    tags: set[str] = set()
    for variant_id, (product_id, stock) in after.items():
        if (stock > 0) != (stock - moves.get(variant_id, 0) > 0):
            tags.update((cache_tags.product_tag(product_id), cache_tags.STOCK))
    if tags:
        cache_tags.bump(tags, session)


def track_catalog_changes(session: scoped_session | Session) -> None:
    """Classify and record catalog changes whenever a flush writes catalog rows."""
    target: Any = Session if isinstance(session, scoped_session) else session
    if event.contains(target, "before_flush", _before_flush):
        return
    event.listen(target, "before_flush", _before_flush)
    event.listen(target, "after_flush", _after_flush)


def _refresh_changed_price_ranges(session: Session) -> None:
    """Keep each product's stored price range true to its variants, whoever changed them."""
    changed = [
        o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, Variant)
    ]
    products = {id(v.product): v.product for v in changed if v.product is not None}
    for product in products.values():
        refresh_price_range(product, removed=session.deleted)


def _changed(obj: Any, *names: str) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _in_stock_changed(variant: Variant) -> bool:
    history = inspect(variant).attrs.stock.history
    if not history.has_changes():
        return False
    before = [v for v in history.deleted if v is not None]
    if not before:
        return True  # the old value was never loaded: it may have crossed zero
    return (before[0] > 0) != ((variant.stock or 0) > 0)


def _only_stock_counted(variant: Variant) -> bool:
    """Whether only the variant's stock changed, and it stayed on the same side of zero."""
    changed = {a.key for a in inspect(variant).attrs if a.history.has_changes()}
    return changed == {"stock"} and not _in_stock_changed(variant)


def _product_id(obj: Any) -> int | None:
    """The id of the (existing) product a variant, tier or photo belongs to, if any."""
    if isinstance(obj, PriceTier):
        obj = obj.variant
        if obj is None:
            return None
    product = obj.product
    return product.id if product is not None else obj.product_id


def _variant_tags(variant: Variant, status: str) -> set[str]:
    if status != "dirty":  # a variant added or removed: its price and stock leave or join
        return {cache_tags.STOCK, cache_tags.PRICES}
    tags: set[str] = set()
    if _changed(variant, "price_idr", "is_active"):
        tags.add(cache_tags.PRICES)
    if _changed(variant, "is_active") or _in_stock_changed(variant):
        tags.add(cache_tags.STOCK)
    return tags


def _tags_for(obj: Any, status: str) -> set[str] | None:
    """The tags a changed row stales, or None for a structural change."""
    if isinstance(obj, Product):
        if status != "dirty":
            return None
        changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
        if not changed <= PER_PRODUCT_COLUMNS:
            return None
        priced = changed & {"price_min_idr", "price_max_idr"}
        return {cache_tags.product_tag(obj.id)} | ({cache_tags.PRICES} if priced else set())
    if not isinstance(obj, Variant | PriceTier | ProductPhoto):
        return None
    product_id = _product_id(obj)
    if product_id is None:
        return None  # belongs to a product being added: that is structural anyway
    if isinstance(obj, Variant) and status == "dirty" and _only_stock_counted(obj):
        return set()  # the count moved, the shelf did not: no page shows a difference
    tags = {cache_tags.product_tag(product_id)}
    return tags | (_variant_tags(obj, status) if isinstance(obj, Variant) else set())


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = [
        (obj, status)
        for status, objects in (
            ("new", session.new),
            ("dirty", session.dirty),
            ("deleted", session.deleted),
        )  # fmt: skip
        for obj in objects
        if isinstance(obj, CATALOG_MODELS) and (status != "dirty" or session.is_modified(obj))
    ]
    if not changed:
        return
    _refresh_changed_price_ranges(session)
    # Price ranges just refreshed may have dirtied their products: classify those too.
    refreshed = [
        (p, "dirty") for p in session.dirty if isinstance(p, Product) and session.is_modified(p)
    ]
    tags: set[str] = set()
    for obj, status in changed + refreshed:
        found = _tags_for(obj, status)
        if found is None:
            tags = {cache_tags.GLOBAL}
            break
        tags |= found
    session.info.setdefault(_FLUSH_TAGS, set()).update(tags)


def _after_flush(session: Session, _context: Any) -> None:
    # Recorded after the rows are written, as stock moves do: every writer locks the rows it
    # changes before their tags, so two writers never wait on each other in a cycle.
    tags = session.info.pop(_FLUSH_TAGS, None)
    if not tags:
        return
    if cache_tags.GLOBAL in tags:
        bump_catalog_version(session)
    else:
        cache_tags.bump(tags, session)
