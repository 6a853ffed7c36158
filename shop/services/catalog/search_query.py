"""Turning what a buyer typed into a search plan: words, synonyms and spelling.

Each typed word becomes a group of alternatives (the word, its synonyms, or the closest
catalog word when the word is unknown); each alternative is a list of tokens that must all
be found, each as a prefix. search_match finds the plan's products in the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import (
    func,
    select,
)

from shop.extensions import db
from shop.models import SearchWord
from shop.services.catalog import synonyms
from shop.services.catalog.search_match import Group
from shop.services.catalog.search_text import is_spellable, query_tokens, similarity

MAX_WORDS = 6
# A correction shares a third of its trigrams with the typed word ("modle" → "model"), or
# shares a fifth and is one edit away from a word of 5-6 letters ("chiar" → "chair"), two
# from a longer one ("mahagony" → "mahogany").
SPELLING_THRESHOLD = 0.33
NEAR_THRESHOLD = 0.2
NEAR_MIN_LENGTH = 5
SQLITE_VOCABULARY_SCAN = 5000
KNOWN_WORDS_KEPT = 20_000


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
