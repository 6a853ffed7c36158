"""Back-in-stock alerts: a buyer asked to be told when a sold-out option is made again."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db
from shop.models.catalog import Variant, utcnow
from shop.models.types import value_enum


class AlertStatus(enum.StrEnum):
    """Where an alert is: waiting for its confirmation, armed, used once, or withdrawn."""

    PENDING = "pending"  # the address has not confirmed yet (double opt-in)
    ACTIVE = "active"  # confirmed: one mail goes out at the next restock
    SENT = "sent"  # the restock mail was queued; the alert is spent
    UNSUBSCRIBED = "unsubscribed"


class StockAlert(db.Model):
    """One address waiting for one variant to be back in stock."""

    __tablename__ = "stock_alert"
    __table_args__ = (
        UniqueConstraint("variant_id", "email", name="uq_stock_alert_variant_email"),
        # The restock hook looks up the armed alerts of one variant.
        Index("ix_stock_alert_variant_status", "variant_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[AlertStatus] = mapped_column(
        value_enum(AlertStatus, "stock_alert_status", 16), default=AlertStatus.PENDING
    )
    # How many confirmation mails were sent for the current request (a cap against abuse).
    confirmations_sent: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    variant: Mapped[Variant] = relationship()
