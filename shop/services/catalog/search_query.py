"""Turning what a buyer typed into an indexed search: synonyms, spelling, matching, ranking.

Each typed word becomes a group of alternatives (the word, its synonyms, or the closest
catalog word when the word is unknown); each alternative is a list of tokens that must all
be found, each as a prefix. A product matches when every group matches; when none does,
products matching some groups are shown, most groups first. Name matches rank above
description matches. At most CANDIDATE_LIMIT products are ranked and counted, so the cost of
a search is bounded by that, not by the catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import (
    Float,
    Select,
    Subquery,
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
from shop.models import Product, ProductStatus, SearchDocument, SearchWord
from shop.services.catalog import synonyms
from shop.services.catalog.search_text import is_cjk, is_spellable, query_tokens, similarity

CANDIDATE_LIMIT = 1000
MAX_WORDS = 6
# A correction shares a third of its trigrams with the typed word ("modle" → "model"), or
# shares a fifth and is one edit away from a word of 5-6 letters ("chiar" → "chair"), two
# from a longer one ("mahagony" → "mahogany").
SPELLING_THRESHOLD = 0.33
NEAR_THRESHOLD = 0.2
NEAR_MIN_LENGTH = 5
SQLITE_VOCABULARY_SCAN = 5000
KNOWN_WORDS_KEPT = 20_000

Alternative = list[str]  # tokens that must all be found (see _is_prefix)
Group = list[Alternative]  # one typed word: any alternative will do


@dataclass(frozen=True)
class SearchPlan:
    """What a typed query searches for, and what to tell the buyer about it."""

    query: str
    groups: list[Group] = field(default_factory=list)
    corrected: str | None = None  # the query with misspelled words corrected, if any were
    relaxed: bool = False  # no product matched every word: these match some


def _is_known(word: str) -> bool:
    """Whether some catalog word starts with this word (an index range read).

    The vocabulary only grows (search_index adds words, nothing removes one), so a word
    found once is known for good: the app keeps the words it found.
    """
    known: set[str] = current_app.extensions.setdefault("known_search_words", set())
    if word in known:
        return True
    hit = db.session.scalar(
        select(SearchWord.word)
        .where(SearchWord.word >= word, SearchWord.word < word + "\U0010ffff")
        .limit(1)
    )
    if hit is None:
        return False
    if len(known) >= KNOWN_WORDS_KEPT:
        known.clear()
    known.add(word)
    return True


def _vocabulary_near(word: str) -> list[str]:
    if db.engine.dialect.name == "postgresql":
        # `%` (which the trigram index serves) uses this threshold; local to the transaction.
        db.session.execute(
            select(func.set_config("pg_trgm.similarity_threshold", str(NEAR_THRESHOLD), True))
        )
        similar = SearchWord.word.op("%")(word)
        query = (
            select(SearchWord.word)
            .where(similar)
            .order_by(func.similarity(SearchWord.word, word).desc(), SearchWord.word)
            .limit(5)
        )
        return list(db.session.scalars(query))
    # SQLite: a bounded slice of the vocabulary of about the same length, ranked here.
    length = func.length(SearchWord.word)
    query = (
        select(SearchWord.word)
        .where(length.between(len(word) - 2, len(word) + 2))
        .limit(SQLITE_VOCABULARY_SCAN)
    )
    return list(db.session.scalars(query))


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) turning one word into the other."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def _close_enough(word: str, candidate: str, score: float) -> bool:
    if score >= SPELLING_THRESHOLD:
        return True
    if score < NEAR_THRESHOLD or len(word) < NEAR_MIN_LENGTH:
        return False
    return edit_distance(word, candidate) <= (1 if len(word) < 7 else 2)


def closest_word(word: str) -> str | None:
    """The catalog word or synonym closest to a word nobody uses, if any is close enough."""
    candidates = set(_vocabulary_near(word)) | set(synonyms.known_terms())
    scored = [(similarity(word, c), c) for c in candidates if c != word]
    scored = [(s, c) for s, c in scored if _close_enough(word, c, s)]
    if not scored:
        return None
    return max(scored, key=lambda sc: (sc[0], -len(sc[1]), sc[1]))[1]


def _group(word: str, expansions: dict[str, list[str]]) -> Group:
    key = synonyms.normalise_term(word)
    alternatives = [query_tokens(word)] + [query_tokens(a) for a in expansions.get(key, [])]
    return [a for a in alternatives if a]


def plan_search(query: str, locale: str) -> SearchPlan:
    """Read a typed query: its words, their synonyms, and corrections for unknown words."""
    words = [w for w in query.split()[:MAX_WORDS] if query_tokens(w)]
    expansions = synonyms.expansions(words, locale)
    groups: list[Group] = []
    shown: list[str] = []
    corrected = False
    for word in words:
        key = synonyms.normalise_term(word)
        if key not in expansions and is_spellable(key) and not _is_known(key):
            fix = closest_word(key)
            if fix is not None:
                groups.append(_group(fix, expansions | synonyms.expansions([fix], locale)))
                shown.append(fix)
                corrected = True
                continue
        groups.append(_group(word, expansions))
        shown.append(word)
    return SearchPlan(query, groups, " ".join(shown) if corrected else None)


# --- Matching, per database ---

PREFIX_FROM = 3  # shorter Latin-script tokens ("or", "a", "1") must match whole tokens


def _is_prefix(token: str) -> bool:
    """Whether a token finds every token it begins: long ones, and a single CJK character."""
    return len(token) >= PREFIX_FROM or (len(token) == 1 and is_cjk(token))


def _significant(groups: Sequence[Group]) -> list[Group]:
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


def _candidates(product_id: Any, score: Any, keyed: bool) -> Select:
    """The columns a search page needs of each candidate: to rank it and fetch it, and with
    `keyed` its product's sort keys (the product is then joined)."""
    columns = [product_id.label("product_id"), cast(score, Float).label("score")]
    if keyed:
        columns += [Product.created_at, Product.price_min_idr, Product.price_max_idr]
    return select(*columns)


def _postgres(groups: list[Group], relaxed: bool, keyed: bool) -> Select:
    def tsquery(groups: Sequence[Group], joiner: str, name: str):
        return cast(bindparam(name, _tsquery(groups, joiner), type_=Text), TSQUERY)

    wanted = tsquery(groups, "|" if relaxed else "&", "search_all")
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
            case((tsv.op("@@")(tsquery([g], "&", f"search_g{i}")), 1.0), else_=0.0)
            for i, g in enumerate(groups)
        ]
        score = sum(matched[1:], matched[0]) * 10 + score
    query = _candidates(found.c.product_id, score, keyed).select_from(found)
    if not keyed:
        return query  # only products on sale have a document (search_index)
    return query.join(Product, Product.id == found.c.product_id).where(
        Product.status == ProductStatus.ACTIVE
    )


def _sqlite(groups: list[Group], relaxed: bool, keyed: bool) -> Select:
    fts = table("search_fts")
    rowid = literal_column("search_fts.rowid")
    match = literal_column("search_fts").op("MATCH")
    # bm25 is lower for better matches; names weigh ten times descriptions.
    score = -func.bm25(literal_column("search_fts"), 10.0, 1.0)
    if relaxed:
        for i, group in enumerate(groups):
            inner = select(literal_column("rowid")).select_from(fts)
            inner = inner.where(match(bindparam(f"search_g{i}", _fts5([group], "AND"))))
            score = score + case((rowid.in_(inner), 10.0), else_=0.0)
    wanted = bindparam("search_all", _fts5(groups, "OR" if relaxed else "AND"))
    query = _candidates(rowid, score, keyed).select_from(fts).where(match(wanted))
    if keyed:
        query = query.join(Product, Product.id == rowid).where(
            Product.status == ProductStatus.ACTIVE
        )
    return query.order_by(rowid)  # FTS5 reads in rowid order anyway: free


def matching(
    plan: SearchPlan,
    *,
    relaxed: bool = False,
    narrow: Callable[[Select], Select] | None = None,
) -> Subquery | None:
    """The active products the plan finds, at most CANDIDATE_LIMIT (one more, to tell that
    there are more: the page then says "1,000+"), with their score and sort
    keys; None when the query has nothing to search for. Without `narrow`, the candidates are
    (product_id, score), read from the search documents alone; with it, the product is joined
    and `narrow` adds the listing's other filters, and the sort keys (created_at,
    price_min_idr, price_max_idr) come too.

    Relaxed, products matching any significant word, most words first.

    The cap takes the first candidates in the order the index and table are read: by rowid
    on SQLite; on PostgreSQL in table order, from the table's start (the engine turns off
    synchronised scans, which start a large table's scan wherever another one has got to:
    the same search would rank different candidates on each request, and its pages would
    overlap). Sorting every match by id first would cost as much as the catalog holds
    matches, which the cap is there to avoid.
    """
    groups = _significant(plan.groups) if relaxed else plan.groups
    if not groups:
        return None
    keyed = narrow is not None
    if db.engine.dialect.name == "postgresql":
        query = _postgres(groups, relaxed, keyed)
    else:
        query = _sqlite(groups, relaxed, keyed)
    if narrow is not None:
        query = narrow(query)
    return query.limit(CANDIDATE_LIMIT + 1).subquery("matched")
