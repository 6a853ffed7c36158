"""Catalog texts in the storefront's other languages, written by staff.

English is the catalog's own language: its texts live on the product, category and workshop
rows. A translation row holds one language's version of those texts; an empty field means "not
translated", and the storefront shows the English text there instead (and says so).
`source_digest` fingerprints the English texts the translation was written from, so staff can
see when the English changed after translating.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db
from shop.models.catalog import utcnow

# The storefront languages other than English; each may have its own catalog texts.
TRANSLATED_LOCALES = ("id", "ja", "ko")
_LOCALE_CHECK = "locale IN ('id', 'ja', 'ko')"


class _Translation:
    """Columns every translation row has."""

    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    source_digest: Mapped[str] = mapped_column(String(16), default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    updated_by: Mapped[str] = mapped_column(String(254), default="")


class ProductTranslation(_Translation, db.Model):
    """A product's name, summary, description, materials and care notes in one language."""

    __tablename__ = "product_translation"
    __table_args__ = (CheckConstraint(_LOCALE_CHECK, name="locale_known"),)

    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(String(300), default="")
    description_md: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[str] = mapped_column(String(300), default="")
    care_notes: Mapped[str] = mapped_column(Text, default="")


class CategoryTranslation(_Translation, db.Model):
    """A category's name and description in one language."""

    __tablename__ = "category_translation"
    __table_args__ = (CheckConstraint(_LOCALE_CHECK, name="locale_known"),)

    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(String(500), default="")


class WorkshopTranslation(_Translation, db.Model):
    """A workshop's name, region, summary and story in one language (the institution's name is
    an official name and stays as it is)."""

    __tablename__ = "workshop_translation"
    __table_args__ = (CheckConstraint(_LOCALE_CHECK, name="locale_known"),)

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    summary: Mapped[str] = mapped_column(String(300), default="")
    story: Mapped[str] = mapped_column(Text, default="")
