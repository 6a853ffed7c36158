"""Synonyms staff keep for search: a word buyers type, and the catalog's words it should find."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shop.extensions import db
from shop.models import SearchSynonym
from shop.services.catalog.kept import kept
from shop.services.catalog.search_text import segments
from shop.services.reporting import audit

ANY_LOCALE = ""
MAX_TERM_LENGTH = 64
MAX_EXPANSION_LENGTH = 300
MAX_ALTERNATIVES = 8

# (term, locale or "" for any, alternatives): buyers' words → the words the catalog uses.
DEFAULT_SYNONYMS: tuple[tuple[str, str, str], ...] = (
    ("飛行機", "", "aircraft, 航空機, pesawat"),
    ("航空機", "", "aircraft, 飛行機"),
    ("旅客機", "", "aircraft, 航空機"),
    ("模型", "", "model, モデル"),
    ("ボーイング", "", "boeing"),
    ("エアバス", "", "airbus"),
    ("ガルーダ", "", "garuda"),
    ("비행기", "", "aircraft, 항공기, pesawat"),
    ("항공기", "", "aircraft, 비행기"),
    ("보잉", "", "boeing"),
    ("에어버스", "", "airbus"),
    ("가루다", "", "garuda"),
    ("모형", "", "model, 모델"),
    ("pesawat", "", "aircraft"),
    ("miniatur", "", "miniature, model"),
    ("maket", "id", "model"),
    ("plane", "", "aircraft"),
    ("airplane", "", "aircraft"),
    ("aeroplane", "", "aircraft"),
    ("airliner", "", "aircraft"),
    ("jet", "", "aircraft"),
    ("model", "en", "miniature, replica"),
    ("replica", "", "model"),
)


def normalise_term(term: str) -> str:
    """How a synonym's term is stored and looked up: one folded word."""
    return " ".join(segments(term))[:MAX_TERM_LENGTH]


def alternatives(expansion: str) -> list[str]:
    """The words or phrases of an expansion, in order, without blanks or repeats."""
    found = dict.fromkeys(part.strip() for part in expansion.split(","))
    found.pop("", None)
    return list(found)[:MAX_ALTERNATIVES]


def _by_term() -> dict[str, list[tuple[str, list[str]]]]:
    """Every synonym: for each term, (language or "", alternatives) in language then id order."""
    rows = db.session.execute(
        select(SearchSynonym.term, SearchSynonym.locale, SearchSynonym.expansion).order_by(
            SearchSynonym.locale, SearchSynonym.id
        )
    )
    table: dict[str, list[tuple[str, list[str]]]] = {}
    for term, locale, expansion in rows:
        table.setdefault(term, []).append((locale, alternatives(expansion)))
    return table


def _table() -> dict[str, list[tuple[str, list[str]]]]:
    # Synonyms are part of the catalog version (a change to one bumps it): read once per version.
    return kept("search_synonyms", _by_term)


def expansions(words: Iterable[str], locale: str) -> dict[str, list[str]]:
    """For each typed word with synonyms (in this language or any), its alternatives."""
    terms = {normalise_term(w) for w in words} - {""}
    table = _table() if terms else {}
    found: dict[str, list[str]] = {}
    for term in terms:
        for row_locale, words_for in table.get(term, ()):
            if row_locale in (ANY_LOCALE, locale):
                found.setdefault(term, [])
                found[term] += [a for a in words_for if a not in found[term]]
    return found


def known_terms(limit: int = 2000) -> list[str]:
    """Synonym terms (for correcting a misspelled one), bounded."""
    return list(_table())[:limit]


def list_synonyms() -> list[SearchSynonym]:
    """Every synonym, by term and language, for the back office."""
    return list(
        db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.term, SearchSynonym.locale))
    )


class SynonymError(ValueError):
    """A synonym staff cannot save, with the reason (shown to them)."""


def add_synonym(term: str, locale: str, expansion: str, actor: audit.Actor = None) -> SearchSynonym:
    """Add a synonym (or extend an existing one for the same term and language), logged."""
    key = normalise_term(term)
    words = alternatives(expansion)
    if not key:
        raise SynonymError("term")
    if not words or len(", ".join(words)) > MAX_EXPANSION_LENGTH:
        raise SynonymError("expansion")
    existing = db.session.scalar(
        select(SearchSynonym).where(SearchSynonym.term == key, SearchSynonym.locale == locale)
    )
    synonym = existing or SearchSynonym(term=key, locale=locale, expansion="")
    before = synonym.expansion
    merged = alternatives(f"{before}, {', '.join(words)}")
    synonym.expansion = ", ".join(merged)[:MAX_EXPANSION_LENGTH]
    db.session.add(synonym)
    db.session.flush()
    audit.record(
        actor, "synonym.added", target_type="search_synonym", target_id=synonym.id,
        label=f"{key} ({locale or '*'})", changes={"expansion": [before, synonym.expansion]},
    )  # fmt: skip
    return synonym


def delete_synonym(synonym_id: int, actor: audit.Actor = None) -> SearchSynonym | None:
    """Delete one synonym, logged; return what it was, or None if it was already gone."""
    synonym = db.session.get(SearchSynonym, synonym_id)
    if synonym is not None:
        audit.record(
            actor, "synonym.deleted", target_type="search_synonym", target_id=synonym.id,
            label=f"{synonym.term} ({synonym.locale or '*'})",
            changes={"expansion": [synonym.expansion, None]},
        )  # fmt: skip
        db.session.delete(synonym)
    return synonym


def seed_default_synonyms(session: Session | None = None) -> int:
    """Add the default synonyms when there are none yet; return how many were added."""
    session = session or db.session
    if session.scalar(select(func.count(SearchSynonym.id))):
        return 0
    for term, locale, expansion in DEFAULT_SYNONYMS:
        session.add(SearchSynonym(term=normalise_term(term), locale=locale, expansion=expansion))
    session.flush()
    return len(DEFAULT_SYNONYMS)
