"""Search tables: one document per product, the words it knows, and staff's synonyms.

The full-text index itself depends on the database, so it is made beside the tables (by
the DDL events below when tests build the schema from the models, and by the `search`
migration): on PostgreSQL a generated tsvector column with a GIN index, and a pg_trgm index
on the words; on SQLite an FTS5 table kept in step with the documents by triggers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, DateTime, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db
from shop.models.catalog import utcnow

# Name tokens weigh A, the rest B. Tokens are space-separated letters and digits only, so
# they are read as tsvector lexemes as they are (no parser); each gets position 1, since
# only a lexeme with a position can carry a weight.
_LEXEMES = "regexp_replace({}, '(\\S+)', '\\1:1', 'g')::tsvector"
POSTGRES_DOCUMENT_DDL = (
    "ALTER TABLE search_document ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    f"setweight({_LEXEMES.format('name_terms')}, 'A') || "
    f"setweight({_LEXEMES.format('body_terms')}, 'B')) STORED",
    # No pending list: the planner's cost of a pending list made it scan the whole table.
    "CREATE INDEX ix_search_document_tsv ON search_document USING gin (tsv) "
    "WITH (fastupdate = off)",
)
# A search reads each candidate's tsv: kept in the row (MAIN), never in the TOAST table,
# where each value read is an index lookup and a chunk fetch of its own. The token texts,
# read only to make the tsv, go there first instead (EXTERNAL): a candidate is then about
# one page read in five, and testing 1,000 of them at 10,000 products went from 1.8 to 0.6 ms.
POSTGRES_DOCUMENT_STORAGE = (
    "ALTER TABLE search_document ALTER COLUMN tsv SET STORAGE MAIN, "
    "ALTER COLUMN name_terms SET STORAGE EXTERNAL, ALTER COLUMN body_terms SET STORAGE EXTERNAL",
)
POSTGRES_WORD_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_search_word_trgm ON search_word USING gin (word gin_trgm_ops)",
)
SQLITE_DOCUMENT_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(name_terms, body_terms, "
    "content='search_document', content_rowid='product_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, name_terms, body_terms) "
    "VALUES (new.product_id, new.name_terms, new.body_terms); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, name_terms, body_terms) "
    "VALUES ('delete', old.product_id, old.name_terms, old.body_terms); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, name_terms, body_terms) "
    "VALUES ('delete', old.product_id, old.name_terms, old.body_terms); "
    "INSERT INTO search_fts(rowid, name_terms, body_terms) "
    "VALUES (new.product_id, new.name_terms, new.body_terms); END",
)
SQLITE_DOCUMENT_DROP = ("DROP TABLE IF EXISTS search_fts",)


class SearchDocument(db.Model):
    """Everything a product is found by, in every language, as tokens (search_text)."""

    __tablename__ = "search_document"

    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    name_terms: Mapped[str] = mapped_column(Text, default="")
    body_terms: Mapped[str] = mapped_column(Text, default="")


class SearchWord(db.Model):
    """A word the catalog uses, for "did you mean" (never removed: a stale word finds less)."""

    __tablename__ = "search_word"

    word: Mapped[str] = mapped_column(String(64), primary_key=True)


class SearchSynonym(db.Model):
    """A word buyers use and what else it should find, in one language or any ("")."""

    __tablename__ = "search_synonym"
    __table_args__ = (UniqueConstraint("term", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8), default="")
    # Comma-separated words or phrases, each an alternative to the term.
    expansion: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def _listen(table: object, when: str, statements: tuple[str, ...], dialect: str) -> None:
    for statement in statements:
        event.listen(table, when, DDL(statement).execute_if(dialect=dialect))


_listen(SearchDocument.__table__, "after_create", POSTGRES_DOCUMENT_DDL, "postgresql")
_listen(SearchDocument.__table__, "after_create", POSTGRES_DOCUMENT_STORAGE, "postgresql")
_listen(SearchWord.__table__, "after_create", POSTGRES_WORD_DDL, "postgresql")
_listen(SearchDocument.__table__, "after_create", SQLITE_DOCUMENT_DDL, "sqlite")
_listen(SearchDocument.__table__, "before_drop", SQLITE_DOCUMENT_DROP, "sqlite")


# What the DDL above makes beside the tables, which the models (and so autogenerate) don't know.
DATABASE_SPECIFIC = {
    ("column", "tsv"),
    ("index", "ix_search_document_tsv"),
    ("index", "ix_search_word_trgm"),
}


def include_in_autogenerate(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's include_object: leave the search index's database-specific parts alone."""
    if (type_, name) in DATABASE_SPECIFIC:
        return False
    return not (type_ == "table" and reflected and (name or "").startswith("search_fts"))
