"""Keeping one search document per product on sale, in every language, in step with the catalog.

Only products on sale (active) have a document, so a search needs no look at the product
table to leave the others out. A document holds the product's name, summary, description
and materials in English and every translation, its SKUs, and its category's and
workshop's names in every language, as tokens (search_text). ORM flushes that change any of
those (or the product's status) rewrite the documents concerned in the same transaction
(track_search_changes); Core bulk inserts call reindex_products themselves, and
`flask search-reindex` rebuilds everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, event, inspect, select
from sqlalchemy.orm import Session, scoped_session

from shop.models import (
    Category,
    CategoryTranslation,
    Product,
    ProductStatus,
    ProductTranslation,
    SearchDocument,
    SearchWord,
    Variant,
    Workshop,
    WorkshopTranslation,
)
from shop.services.catalog.search_text import document_tokens, vocabulary_words

BATCH = 500
PRODUCT_FIELDS = (
    "name",
    "summary",
    "description_md",
    "materials",
    "category_id",
    "workshop_id",
    "status",
)


def _chunks(ids: Iterable[int], size: int = BATCH) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _names(connection: Connection, model: Any, translation: Any, key: str, ids: set[int]):
    """Every name (and region, for workshops) of these categories or workshops, any language."""
    texts: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return texts
    extra = [model.region] if model is Workshop else []
    for row in connection.execute(select(model.id, model.name, *extra).where(model.id.in_(ids))):
        texts[row[0]].extend(str(v) for v in row[1:] if v)
    owner = getattr(translation, key)
    rows = connection.execute(select(owner, translation.name).where(owner.in_(ids)))
    for owner_id, name in rows:
        if name:
            texts[owner_id].append(name)
    return texts


def _documents(connection: Connection, ids: list[int]) -> list[dict[str, Any]]:
    products = connection.execute(
        select(Product.id, *(getattr(Product, f) for f in PRODUCT_FIELDS)).where(
            Product.id.in_(ids), Product.status == ProductStatus.ACTIVE
        )
    ).all()
    names: dict[int, list[str]] = defaultdict(list)
    bodies: dict[int, list[str]] = defaultdict(list)
    for p in products:
        names[p.id].append(p.name)
        bodies[p.id] += [p.summary or "", p.description_md or "", p.materials or ""]
    translated = connection.execute(
        select(
            ProductTranslation.product_id,
            ProductTranslation.name,
            ProductTranslation.summary,
            ProductTranslation.description_md,
            ProductTranslation.materials,
        ).where(ProductTranslation.product_id.in_(ids))
    )
    for t in translated:
        names[t.product_id].append(t.name or "")
        bodies[t.product_id] += [t.summary or "", t.description_md or "", t.materials or ""]
    for product_id, sku in connection.execute(
        select(Variant.product_id, Variant.sku).where(Variant.product_id.in_(ids))
    ):
        names[product_id].append(sku)
    categories = _names(
        connection, Category, CategoryTranslation, "category_id", {p.category_id for p in products}
    )
    workshops = _names(
        connection, Workshop, WorkshopTranslation, "workshop_id", {p.workshop_id for p in products}
    )
    documents = []
    for p in products:
        body = bodies[p.id] + categories[p.category_id] + workshops[p.workshop_id]
        name_text, body_text = "\n".join(names[p.id]), "\n".join(body)
        documents.append(
            {
                "product_id": p.id,
                "name_terms": " ".join(document_tokens(name_text)),
                "body_terms": " ".join(document_tokens(body_text)),
                "_words": vocabulary_words(name_text) | vocabulary_words(body_text),
            }
        )
    return documents


def _insert(connection: Connection) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _insert_ignoring_duplicates(connection: Connection, words: set[str]) -> None:
    # Sorted, so two transactions adding the same words lock them in the same order.
    rows = [{"word": w} for w in sorted(words) if len(w) <= 64]
    if rows:
        connection.execute(_insert(connection)(SearchWord).on_conflict_do_nothing(), rows)


def _upsert(connection: Connection, documents: list[dict[str, Any]]) -> None:
    """Write documents, replacing any there: two transactions rewriting the same product's
    document one after the other (e.g. a category renamed while the product is edited) never
    collide on its key."""
    statement = _insert(connection)(SearchDocument)
    statement = statement.on_conflict_do_update(
        index_elements=[SearchDocument.product_id],
        set_={
            "name_terms": statement.excluded.name_terms,
            "body_terms": statement.excluded.body_terms,
        },
    )
    connection.execute(statement, documents)


def reindex_products(connection: Connection, product_ids: Iterable[int]) -> int:
    """Rewrite the documents of these products (dropping those of products deleted or not on
    sale); return how many were written."""
    written = 0
    for ids in _chunks(product_ids):
        # Lock the products first (in id order): a concurrent change to one of them, or to
        # its category, waits for this transaction and then reads what it committed, so the
        # document written last holds both changes.
        connection.execute(
            select(Product.id).where(Product.id.in_(ids)).order_by(Product.id).with_for_update()
        )
        documents = _documents(connection, ids)
        gone = set(ids) - {d["product_id"] for d in documents}
        if gone:
            connection.execute(delete(SearchDocument).where(SearchDocument.product_id.in_(gone)))
        words: set[str] = set()
        for document in documents:
            words |= document.pop("_words")
        if documents:
            _upsert(connection, documents)
        _insert_ignoring_duplicates(connection, words)
        written += len(documents)
    return written


def reindex_all(connection: Connection) -> int:
    """Rebuild every product's document; return how many were written."""
    connection.execute(delete(SearchDocument))
    ids = list(connection.execute(select(Product.id)).scalars())
    return reindex_products(connection, ids)


def products_of(connection: Connection, column: Any, owner_ids: set[int]) -> set[int]:
    """The products in these categories or workshops (`column` is Product.category_id, …)."""
    if not owner_ids:
        return set()
    return set(connection.execute(select(Product.id).where(column.in_(owner_ids))).scalars())


def _changed(obj: Any, attributes: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)


def _affected(session: Session) -> tuple[set[int], set[int], set[int]]:
    """The products, categories and workshops whose searchable texts this flush changed."""
    products: set[int] = set()
    categories: set[int] = set()
    workshops: set[int] = set()
    new_or_gone = [*session.new, *session.deleted]
    dirty = list(session.dirty)
    for obj in new_or_gone + dirty:
        is_dirty = obj not in new_or_gone
        if isinstance(obj, Product):
            if not is_dirty or _changed(obj, PRODUCT_FIELDS):
                products.add(obj.id)
        elif isinstance(obj, ProductTranslation):
            products.add(obj.product_id)
        elif isinstance(obj, Variant):
            if not is_dirty or _changed(obj, ("sku", "product_id")):
                products.add(obj.product_id)
        elif isinstance(obj, Category | CategoryTranslation):
            if not is_dirty or _changed(obj, ("name",)):
                categories.add(obj.id if isinstance(obj, Category) else obj.category_id)
        elif isinstance(obj, Workshop):
            if not is_dirty or _changed(obj, ("name", "region")):
                workshops.add(obj.id)
        elif isinstance(obj, WorkshopTranslation):
            if not is_dirty or _changed(obj, ("name",)):
                workshops.add(obj.workshop_id)
    products.discard(None)  # type: ignore[arg-type]
    return products, categories, workshops


def _after_flush(session: Session, _context: Any) -> None:
    products, categories, workshops = _affected(session)
    if not (products or categories or workshops):
        return
    connection = session.connection()
    products |= products_of(connection, Product.category_id, categories)
    products |= products_of(connection, Product.workshop_id, workshops)
    reindex_products(connection, products)


def track_search_changes(session: scoped_session | Session) -> None:
    """Rewrite the search documents a flush makes stale, in the same transaction."""
    target: Any = Session if isinstance(session, scoped_session) else session
    if not event.contains(target, "after_flush", _after_flush):
        # First among the flush hooks: it locks the products it rewrites, and every writer
        # locks catalog rows before it bumps cache tags or the catalog version (see
        # catalog.version). Run after the version bump, a category rename and a product rename
        # at once deadlocked on PostgreSQL.
        event.listen(target, "after_flush", _after_flush, insert=True)
