"""Finding a search plan's products in the database's own index, and reading a page of them.

A product matches when every word group matches; relaxed, when any significant one does,
most groups first. Name matches rank above description matches. At most CANDIDATE_LIMIT
products are ranked and counted, so the cost of a search is bounded by that, not by the
catalog.

A ranked search with no other filter (the usual one) runs a statement built once per shape
(database, strict or relaxed, how many word groups) and kept: building and keying it cost
more CPU than running it. Every value in it (the words, the candidate limit, the page) is a
named parameter with no default, given on each execution, so a kept statement can never
run with another search's words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from shop.extensions import db
from shop.models import Product, ProductStatus, SearchDocument
from shop.services.catalog.search_text import is_cjk

CANDIDATE_LIMIT = 1000
PREFIX_FROM = 3  # shorter Latin-script tokens ("or", "a", "1") must match whole tokens

Alternative = list[str]  # tokens that must all be found (see _is_prefix)
Group = list[Alternative]  # one typed word: any alternative will do


def _is_prefix(token: str) -> bool:
    """Whether a token finds every token it begins: long ones, and a single CJK character."""
    return len(token) >= PREFIX_FROM or (len(token) == 1 and is_cjk(token))


def significant(groups: Sequence[Group]) -> list[Group]:
    """The groups worth matching on their own: not just short words like "or" or "1"."""
    return [g for g in groups if any(len(t) >= PREFIX_FROM or is_cjk(t) for a in g for t in a)]


def _tsquery(groups: Sequence[Group], joiner: str) -> str:
    def alternative(tokens: Alternative) -> str:
        return " & ".join(f"'{t}':*" if _is_prefix(t) else f"'{t}'" for t in tokens)

    return f" {joiner} ".join(
        "(" + " | ".join(f"({alternative(a)})" for a in group) + ")" for group in groups
    )


def _fts5(groups: Sequence[Group], joiner: str) -> str:
    def alternative(tokens: Alternative) -> str:
        return " AND ".join(f'"{t}"*' if _is_prefix(t) else f'"{t}"' for t in tokens)

    return f" {joiner} ".join(
        "(" + " OR ".join(f"({alternative(a)})" for a in group) + ")" for group in groups
    )


def _words(dialect: str, groups: Sequence[Group], relaxed: bool) -> dict[str, str]:
    """The values of the statement's word parameters: all groups, and each one (relaxed)."""
    if dialect == "postgresql":
        build, every, either = _tsquery, "&", "|"
    else:
        build, every, either = _fts5, "AND", "OR"
    words = {"search_all": build(groups, either if relaxed else every)}
    if relaxed:
        words |= {f"search_g{i}": build([g], every) for i, g in enumerate(groups)}
    return words


def _word(name: str, dialect: str) -> Any:
    """A word parameter: required, so it never runs with a value left from another search."""
    if dialect == "postgresql":
        return cast(bindparam(name, type_=Text, required=True), TSQUERY)
    return bindparam(name, type_=String, required=True)


def _candidates(product_id: Any, score: Any, keyed: bool) -> Select:
    """The columns a search page needs of each candidate: to rank it and fetch it, and with
    `keyed` its product's sort keys (the product is then joined)."""
    columns = [product_id.label("product_id"), cast(score, Float).label("score")]
    if keyed:
        columns += [Product.created_at, Product.price_min_idr, Product.price_max_idr]
    return select(*columns)


def _postgres(groups: int, relaxed: bool, keyed: bool) -> Select:
    wanted = _word("search_all", "postgresql")
    # The documents the GIN index finds, planned on their own (OFFSET 0 keeps them apart)
    # and joined to their products one by one until the candidate limit. Planned together
    # with that LIMIT, PostgreSQL walks every document in id order testing each instead: a
    # word in one document of twelve took 22 ms at 50,000 products, this way 6 ms.
    column = literal_column("search_document.tsv")
    found = (
        select(SearchDocument.product_id, column.label("tsv"))
        .where(column.op("@@")(wanted))
        .offset(0)
        .subquery("found")
    )
    tsv = found.c.tsv
    # Names weigh 1, descriptions 0.3 (ts_rank's weights are {D, C, B, A}).
    score = func.ts_rank(literal_column("'{0.05, 0.1, 0.3, 1.0}'::float4[]"), tsv, wanted)
    if relaxed:
        matched = [
            case((tsv.op("@@")(_word(f"search_g{i}", "postgresql")), 1.0), else_=0.0)
            for i in range(groups)
        ]
        score = sum(matched[1:], matched[0]) * 10 + score
    query = _candidates(found.c.product_id, score, keyed).select_from(found)
    if not keyed:
        return query  # only products on sale have a document (search_index)
    return query.join(Product, Product.id == found.c.product_id).where(
        Product.status == ProductStatus.ACTIVE
    )


def _sqlite(groups: int, relaxed: bool, keyed: bool) -> Select:
    fts = table("search_fts")
    rowid = literal_column("search_fts.rowid")
    match = literal_column("search_fts").op("MATCH")
    # bm25 is lower for better matches; names weigh ten times descriptions.
    score = -func.bm25(literal_column("search_fts"), 10.0, 1.0)
    if relaxed:
        for i in range(groups):
            inner = select(literal_column("rowid")).select_from(fts)
            inner = inner.where(match(_word(f"search_g{i}", "sqlite")))
            score = score + case((rowid.in_(inner), 10.0), else_=0.0)
    query = _candidates(rowid, score, keyed).select_from(fts)
    query = query.where(match(_word("search_all", "sqlite")))
    if keyed:
        query = query.join(Product, Product.id == rowid).where(
            Product.status == ProductStatus.ACTIVE
        )
    return query.order_by(rowid)  # FTS5 reads in rowid order anyway: free


def _matched(dialect: str, groups: int, relaxed: bool, keyed: bool) -> Select:
    build = _postgres if dialect == "postgresql" else _sqlite
    return build(groups, relaxed, keyed)


def _page(matched: Any, order: Sequence[Any]) -> Select:
    """One page of the candidates in this order, each with their number (a window count)."""
    limit = bindparam("per_page", type_=Integer, required=True)
    skip = bindparam("skip", type_=Integer, required=True)
    counted = select(matched.c.product_id, func.count().over().label("total"))
    return counted.order_by(*order).limit(limit).offset(skip)


def _capped(query: Select) -> Any:
    return query.limit(bindparam("candidates", type_=Integer, required=True)).subquery("matched")


@lru_cache(maxsize=64)
def _ranked(dialect: str, groups: int, relaxed: bool) -> Select:
    """The statement of a ranked search with no other filter, kept per shape."""
    matched = _capped(_matched(dialect, groups, relaxed, keyed=False))
    return _page(matched, (matched.c.score.desc(), matched.c.product_id.desc()))


def _sorted(dialect: str, groups: int, relaxed: bool, sort: str, narrow: Callable) -> Select:
    """The statement of a filtered or sorted search, made for this request."""
    matched = _capped(narrow(_matched(dialect, groups, relaxed, keyed=True)))
    key = {
        "relevance": matched.c.score.desc(),
        "price_asc": matched.c.price_min_idr.asc(),
        "price_desc": matched.c.price_max_idr.desc(),
    }.get(sort, matched.c.created_at.desc())
    return _page(matched, (key, matched.c.product_id.desc()))


@dataclass(frozen=True)
class Found:
    """A search's candidates in the database, ready to be read a page at a time."""

    statement: Select
    params: dict[str, Any]

    def page(self, number: int, per_page: int) -> tuple[list[int], int]:
        """The ids on this page (1 is the first) and how many candidates there are in all:
        at most CANDIDATE_LIMIT + 1 (one more tells that the count stopped there)."""
        params = self.params | {"per_page": per_page, "skip": (number - 1) * per_page}
        rows = db.session.execute(self.statement, params).all()
        return [row.product_id for row in rows], rows[0].total if rows else 0


def find(
    groups: list[Group],
    *,
    relaxed: bool = False,
    sort: str = "relevance",
    narrow: Callable[[Select], Select] | None = None,
) -> Found | None:
    """The active products these word groups find, at most CANDIDATE_LIMIT, ranked by how
    well they match or, with another `sort`, in that order; None when there is nothing to
    search for. `narrow` adds the listing's other filters (the product is then joined).

    Relaxed, products matching any significant word group, most groups first.

    The cap takes the first candidates in the order the index and table are read: by rowid
    on SQLite; on PostgreSQL in table order, from the table's start (the engine turns off
    synchronised scans, which start a large table's scan wherever another one has got to:
    the same search would rank different candidates on each request, and its pages would
    overlap). Sorting every match by id first would cost as much as the catalog holds
    matches, which the cap is there to avoid.
    """
    groups = significant(groups) if relaxed else groups
    if not groups:
        return None
    dialect = db.engine.dialect.name
    count = len(groups) if relaxed else 0  # strict: one parameter for all of them
    if narrow is None and sort == "relevance":
        statement = _ranked(dialect, count, relaxed)
    else:
        statement = _sorted(dialect, count, relaxed, sort, narrow or (lambda query: query))
    params = _words(dialect, groups, relaxed) | {"candidates": CANDIDATE_LIMIT + 1}
    return Found(statement, params)
