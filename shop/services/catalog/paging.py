"""Cutting one page of product ids in a listing's order, at a cost bounded by the page.

The storefront sorts and skips on ids alone, read from an index in the listing's order (see
the Product model's indexes), then loads just the page's rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from shop.extensions import db
from shop.models import Product

# Each order ends with the id, in the same direction as the column before it, so that one
# index (see the Product model) serves it read forwards or backwards and stops at the page.
ORDERS: dict[str, tuple[tuple[InstrumentedAttribute[Any], bool], ...]] = {
    "newest": ((Product.created_at, False), (Product.id, False)),
    "price_asc": ((Product.price_min_idr, True), (Product.id, True)),
    "price_desc": ((Product.price_max_idr, False), (Product.id, False)),
}


def apply_sort(query: Select, sort: str, *, backwards: bool = False) -> Select:
    order = ORDERS.get(sort, ORDERS["newest"])
    return query.order_by(
        *(column.asc() if ascending != backwards else column.desc() for column, ascending in order)
    )


def page_ids(ids: Select, sort: str, offset: int, limit: int, total: int | None) -> list[int]:
    """The ids of one page; past the middle of a known total, read from the end backwards.

    The index walk skips `offset` entries: from the end, the last page costs what the first
    one does.
    """
    if total is None or offset <= total // 2:
        return list(db.session.scalars(apply_sort(ids, sort).limit(limit).offset(offset)))
    shown = max(min(limit, total - offset), 0)
    skipped = max(total - offset - limit, 0)
    backwards = apply_sort(ids, sort, backwards=True).limit(shown).offset(skipped)
    return list(db.session.scalars(backwards))[::-1]
