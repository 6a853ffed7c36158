"""The storefront's categories and workshops: every one with its count of active products
(read once per catalog version and language, catalog.kept), and a workshop's own page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from shop.extensions import db
from shop.models import Category, Workshop
from shop.services.catalog.counts import active_counts
from shop.services.catalog.kept import kept, snapshot
from shop.services.catalog.text import SOURCE_LOCALE, shown_in


def _with_texts(query: Select, model: type, locale: str) -> Select:
    """The query loading each entry's row in `locale` when a page needs it (not in English)."""
    if locale == SOURCE_LOCALE:
        return query
    return query.options(joinedload(shown_in(model, locale)))


def categories_with_counts(locale: str = SOURCE_LOCALE) -> list[tuple[Any, int]]:
    """Return every category (as kept.snapshot) with its number of active products, in
    display order; read once per catalog version and language."""

    def load() -> list[tuple[Any, int]]:
        counts = active_counts().by_category
        query = select(Category).order_by(Category.position, Category.name)
        categories = db.session.scalars(_with_texts(query, Category, locale)).unique()
        return [(snapshot(c), counts.get(c.slug, 0)) for c in categories]

    return kept(("categories", locale), load)


def workshops_with_counts(locale: str = SOURCE_LOCALE) -> list[tuple[Any, int]]:
    """Return every workshop (as kept.snapshot) with its number of active products, by name;
    read once per catalog version and language."""

    def load() -> list[tuple[Any, int]]:
        counts = active_counts().by_workshop
        query = select(Workshop).order_by(Workshop.name)
        workshops = db.session.scalars(_with_texts(query, Workshop, locale)).unique()
        return [(snapshot(w), counts.get(w.slug, 0)) for w in workshops]

    return kept(("workshops", locale), load)


def get_workshop(slug: str, locale: str = SOURCE_LOCALE) -> Workshop | None:
    """Return the workshop with this slug, or None."""
    query = select(Workshop).where(Workshop.slug == slug)
    return db.session.scalars(_with_texts(query, Workshop, locale)).unique().first()
