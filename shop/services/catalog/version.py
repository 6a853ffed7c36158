"""A counter that changes whenever anything shown on the storefront changes.

Rendered storefront pages are cached under keys that include this version, so a change
anywhere in the catalog makes every worker render fresh pages on the next request, with no
cache invalidation to forget. ORM changes to catalog rows bump it inside the same transaction
(see track_catalog_changes), which also keeps each product's stored price range in step
with its variants; code that changes catalog rows with Core statements (bulk
inserts, conditional stock updates) calls bump_catalog_version itself.

Lock order: the version row first, then catalog rows. A flush bumps the version before it
writes, so code that writes with Core statements bumps first too; otherwise a checkout
holding a variant while it waits for the version, and a staff edit holding the version while
it waits for that variant, deadlock (PostgreSQL ends one of them: a 503 for the visitor).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, update
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
    Variant,
    Workshop,
    WorkshopTranslation,
)
from shop.services.catalog.products import refresh_price_range

# Volume prices, approximate prices in other currencies and translated texts show on
# storefront pages: a tier, exchange rate or translation change must refresh them too.
CATALOG_MODELS = (
    Category, CategoryTranslation, ExchangeRate, PriceTier, Product, ProductPhoto,
    ProductTranslation, Variant, Workshop, WorkshopTranslation,
)  # fmt: skip


def catalog_version() -> int:
    """Return the current catalog version (0 before anything was ever recorded)."""
    return db.session.scalar(select(CatalogVersion.version).where(CatalogVersion.id == 1)) or 0


def bump_catalog_version(session: Session | None = None) -> None:
    """Record that the catalog changed, in the caller's transaction."""
    # Core statements on the session's connection: no autoflush, so this is safe mid-flush.
    connection = (session or db.session).connection()
    table = CatalogVersion.__table__
    updated = connection.execute(
        update(table).where(table.c.id == 1).values(version=table.c.version + 1)
    )
    if updated.rowcount == 0:
        connection.execute(table.insert().values(id=1, version=1))


def _touches_catalog(session: Session) -> bool:
    changed = (*session.new, *session.dirty, *session.deleted)
    return any(isinstance(obj, CATALOG_MODELS) for obj in changed)


def track_catalog_changes(session: scoped_session | Session) -> None:
    """Bump the catalog version whenever a flush writes catalog rows."""
    target: Any = Session if isinstance(session, scoped_session) else session
    if event.contains(target, "before_flush", _before_flush):
        return
    event.listen(target, "before_flush", _before_flush)


def _refresh_changed_price_ranges(session: Session) -> None:
    """Keep each product's stored price range true to its variants, whoever changed them."""
    changed = [
        o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, Variant)
    ]
    products = {id(v.product): v.product for v in changed if v.product is not None}
    for product in products.values():
        refresh_price_range(product, removed=session.deleted)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if _touches_catalog(session):
        _refresh_changed_price_ranges(session)
        bump_catalog_version(session)
