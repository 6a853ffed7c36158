"""Discount codes: what they take off, when and how often they may be used."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db
from shop.models.catalog import Category, utcnow
from shop.models.types import value_enum

MAX_CODE_LENGTH = 32

discount_code_category = Table(
    "discount_code_category",
    db.metadata,
    Column(
        "discount_code_id",
        ForeignKey("discount_code.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("category_id", ForeignKey("category.id", ondelete="CASCADE"), primary_key=True),
)


class DiscountKind(enum.StrEnum):
    """How a code takes money off: a percentage of the lines, or a fixed rupiah amount."""

    PERCENT = "percent"
    FIXED = "fixed"


class DiscountCode(db.Model):
    """A code buyers type in the cart; `uses` counts orders holding one of its uses."""

    __tablename__ = "discount_code"
    __table_args__ = (
        CheckConstraint("percent_off IS NULL OR (percent_off >= 1 AND percent_off <= 100)",
                        name="percent_range"),
        CheckConstraint("amount_off_idr IS NULL OR amount_off_idr >= 1", name="amount_positive"),
        CheckConstraint("min_subtotal_idr >= 0", name="min_subtotal_not_negative"),
        CheckConstraint("uses >= 0", name="uses_not_negative"),
        CheckConstraint("max_uses IS NULL OR max_uses >= 1", name="max_uses_positive"),
        CheckConstraint("max_uses_per_email IS NULL OR max_uses_per_email >= 1",
                        name="max_uses_per_email_positive"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    # Upper case, no spaces: what the buyer typed in any case finds it.
    code: Mapped[str] = mapped_column(String(MAX_CODE_LENGTH), unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[DiscountKind] = mapped_column(value_enum(DiscountKind, "discount_kind", 8))
    percent_off: Mapped[int | None] = mapped_column(Integer)
    amount_off_idr: Mapped[int | None] = mapped_column(BigInteger)
    min_subtotal_idr: Mapped[int] = mapped_column(BigInteger, default=0)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    max_uses: Mapped[int | None] = mapped_column(Integer)
    max_uses_per_email: Mapped[int | None] = mapped_column(Integer)
    # Taken with a conditional UPDATE when an order is placed, given back if it lapses unpaid.
    uses: Mapped[int] = mapped_column(Integer, default=0)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    # Empty: every line counts; otherwise only lines of products in these categories.
    categories: Mapped[list[Category]] = relationship(
        secondary=discount_code_category, order_by="Category.position"
    )
