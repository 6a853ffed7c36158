"""What the paged, searchable lists share: one page of results, and matching a typed word."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement

from shop.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class ResultPage(Generic[T]):
    """One page of a list: its items, how many there are in all, which page of what size.

    `more` says the count stopped at `total` and there are more results than that.
    """

    items: list[T]
    total: int
    page: int
    per_page: int
    more: bool = False

    @property
    def pages(self) -> int:
        """How many pages the results fill (at least one); with `more`, one past the count."""
        return page_count(self.total + (1 if self.more else 0), self.per_page)


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` results fill (at least one)."""
    return max(1, math.ceil(total / per_page))


def clamp_page(page: int, total: int, per_page: int) -> int:
    """The page asked for, kept between the first and the last one."""
    return min(max(page, 1), page_count(total, per_page))


def escape_like(term: str) -> str:
    """Escape LIKE's wildcards (and the escape character "\\") in what a person typed."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column: Any, word: str) -> ColumnElement[bool]:
    """The column contains `word`, ignoring case (LIKE with "\\" as the escape character)."""
    pattern = f"%{escape_like(word)}%"
    # SQLite's LIKE already ignores ASCII case (and its lower() knows nothing else), so plain
    # LIKE there avoids lower() on every row; PostgreSQL needs ILIKE.
    if db.engine.dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")
