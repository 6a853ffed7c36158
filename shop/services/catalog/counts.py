"""How many active products there are, in all, per category and per workshop.

Every listing-type page shows these figures, and counting them means reading the whole
catalog. They change only when the catalog does, so they are counted once per catalog
version (one grouped query) and kept in the app until the version moves on (catalog.kept).

Result totals for other filters (search, price, availability) are counted with a LIMIT
instead, so a count stops after the first `COUNT_CAP` rows and the page says "1,000+".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from shop.extensions import db
from shop.models import Category, Product, ProductStatus, Workshop
from shop.services.catalog.kept import kept

COUNT_CAP = 1000


@dataclass(frozen=True)
class ActiveCounts:
    """Active products in all, per category slug and per workshop slug."""

    total: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_workshop: dict[str, int] = field(default_factory=dict)


def _count() -> ActiveCounts:
    rows = db.session.execute(
        select(Category.slug, Workshop.slug, func.count())
        .select_from(Product)
        .join(Category, Category.id == Product.category_id)
        .join(Workshop, Workshop.id == Product.workshop_id)
        .where(Product.status == ProductStatus.ACTIVE)
        .group_by(Category.slug, Workshop.slug)
    )
    total, by_category, by_workshop = 0, {}, {}
    for category, workshop, n in rows:
        total += n
        by_category[category] = by_category.get(category, 0) + n
        by_workshop[workshop] = by_workshop.get(workshop, 0) + n
    return ActiveCounts(total, by_category, by_workshop)


def active_counts() -> ActiveCounts:
    """The counts for the catalog as it is now: counted at most once per catalog version."""
    return kept("active_counts", _count)


def capped_count(ids: Select, at_least: int) -> tuple[int, bool]:
    """Count the rows `ids` selects, stopping past max(COUNT_CAP, at_least).

    Returns (number counted, whether the count stopped early: there are more).
    """
    limit = max(COUNT_CAP, at_least)
    counted = db.session.scalar(select(func.count()).select_from(ids.limit(limit + 1).subquery()))
    counted = counted or 0
    return min(counted, limit), counted > limit
