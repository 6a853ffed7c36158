"""The shop's own pages (contact, shipping, returns, privacy, terms, FAQ, about), edited by staff.

A page's text lives only in its versions: every save adds a version row for one language, with
who wrote it and when, and the newest version of a language is what the storefront shows. So
the history is complete by construction, and restoring an old text is saving it again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db
from shop.models.catalog import utcnow

PAGE_LOCALES = ("en", "id", "ja", "ko")


class ShopPage(db.Model):
    """One of the shop's pages, known by its slug; its texts are in `versions`."""

    __tablename__ = "shop_page"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    versions: Mapped[list[ShopPageVersion]] = relationship(
        back_populates="page", cascade="all, delete-orphan", order_by="ShopPageVersion.id"
    )


class ShopPageVersion(db.Model):
    """A page's title and Markdown text in one language, as saved once by someone."""

    __tablename__ = "shop_page_version"
    __table_args__ = (
        CheckConstraint("locale IN ('en', 'id', 'ja', 'ko')", name="locale_known"),
        Index("ix_shop_page_version_page_locale", "page_id", "locale", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("shop_page.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200), default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254))  # a staff email, or "system"
    # The version this one copies, when staff restored an older text.
    restored_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_page_version.id", ondelete="SET NULL"), nullable=True
    )

    page: Mapped[ShopPage] = relationship(back_populates="versions")
