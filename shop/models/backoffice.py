"""Back-office records: stock adjustments, the audit log and the revenue split rates."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db
from shop.models.catalog import Variant, utcnow
from shop.models.types import value_enum


class StockReason(enum.StrEnum):
    """Why a variant's stock on hand changed by hand (orders move stock on their own)."""

    PRODUCED = "produced"  # new pieces finished in the workshop
    RECEIVED = "received"  # pieces delivered to the shop from elsewhere
    COUNT = "count"  # stocktake: the shelf says otherwise
    DAMAGED = "damaged"
    RETURNED = "returned"
    EDITED = "edited"  # changed in the product form
    IMPORTED = "imported"  # changed by a catalog CSV import
    OTHER = "other"


class StockAdjustment(db.Model):
    """One change of a variant's stock made by staff, with its reason: append-only."""

    __tablename__ = "stock_adjustment"
    __table_args__ = (
        CheckConstraint("delta <> 0", name="delta_not_zero"),
        CheckConstraint("stock_after >= 0", name="stock_after_not_negative"),
        Index("ix_stock_adjustment_variant_created", "variant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept when a variant is removed, so the history still names the SKU.
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variant.id", ondelete="SET NULL"))
    sku: Mapped[str] = mapped_column(String(64))
    delta: Mapped[int] = mapped_column(Integer)
    stock_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[StockReason] = mapped_column(value_enum(StockReason, "stock_reason", 16))
    note: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    variant: Mapped[Variant | None] = relationship()


class AuditEntry(db.Model):
    """Who changed what and when in the back office: append-only.

    `action` is a dotted name ("product.updated", "order.shipped"); `target_type`/`target_id`
    point at the changed row and `target_label` keeps a readable name even after it is gone;
    `changes` is JSON: {"field": [old, new], ...} or a free-form dict for bulk actions.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_created", "created_at"),
        Index("ix_audit_entry_target", "target_type", "target_id"),
        Index("ix_audit_entry_action", "action"),
        Index("ix_audit_entry_actor", "actor_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_email: Mapped[str] = mapped_column(String(254))  # "system" for the shop itself
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32), default="")
    target_id: Mapped[int | None] = mapped_column(Integer)
    target_label: Mapped[str] = mapped_column(String(200), default="")
    changes: Mapped[str] = mapped_column(Text, default="{}")


class RevenueSplitRate(db.Model):
    """The state's share (PNBP) and the default maker share, in force from a month onwards.

    Set by an admin; the revenue split report applies to each month the latest rate whose
    `effective_from` is on or before it, so a new rate never rewrites past months.
    """

    __tablename__ = "revenue_split_rate"
    __table_args__ = (
        CheckConstraint("pnbp_pct BETWEEN 0 AND 100", name="pnbp_range"),
        CheckConstraint("default_maker_share_pct BETWEEN 0 AND 100", name="maker_default_range"),
        CheckConstraint("pnbp_pct + default_maker_share_pct <= 100", name="shares_fit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, unique=True)  # the first of a month
    pnbp_pct: Mapped[int] = mapped_column(Integer)
    default_maker_share_pct: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
