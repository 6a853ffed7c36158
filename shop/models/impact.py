"""Makers' wages after the sale: payouts to workshops, and the months published on /impact."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db
from shop.models.catalog import Workshop, utcnow


class WagePayout(db.Model):
    """Wages an admin recorded as paid to a workshop for one month's sales."""

    __tablename__ = "wage_payout"
    __table_args__ = (CheckConstraint("amount_idr > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="RESTRICT"), index=True
    )
    period: Mapped[date] = mapped_column(Date, index=True)  # the first of the month paid for
    paid_on: Mapped[date] = mapped_column(Date)
    amount_idr: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(120))  # the bank transfer's reference
    # The receipt scan in private storage (checked and stripped like every upload), if any.
    receipt_name: Mapped[str | None] = mapped_column(String(80))
    receipt_type: Mapped[str] = mapped_column(String(40), default="", server_default="")
    recorded_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    workshop: Mapped[Workshop] = relationship()


class ImpactMonth(db.Model):
    """A month an admin closed and approved: its figures are public, frozen as approved."""

    __tablename__ = "impact_month"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)  # the first of the month
    approved_by: Mapped[str] = mapped_column(String(254))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    figures: Mapped[list[ImpactFigure]] = relationship(
        back_populates="impact_month", cascade="all, delete-orphan", order_by="ImpactFigure.id"
    )


class ImpactFigure(db.Model):
    """One workshop's approved figures for a month, copied from the revenue split report.

    `corrects_month` is empty for the month's own sales; otherwise the row is a correction
    (a refund made after that earlier month was published), shown in this later month so the
    published month is never rewritten. Corrections may be negative.
    """

    __tablename__ = "impact_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    impact_month_id: Mapped[int] = mapped_column(
        ForeignKey("impact_month.id", ondelete="CASCADE"), index=True
    )
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="SET NULL"), index=True
    )  # None: made to order (a quote without a workshop), or a product since deleted
    workshop_name: Mapped[str] = mapped_column(String(200), default="")
    corrects_month: Mapped[date | None] = mapped_column(Date)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    pieces: Mapped[int] = mapped_column(Integer, default=0)
    sales_idr: Mapped[int] = mapped_column(BigInteger, default=0)
    maker_share_idr: Mapped[int] = mapped_column(BigInteger, default=0)
    pnbp_idr: Mapped[int] = mapped_column(BigInteger, default=0)

    impact_month: Mapped[ImpactMonth] = relationship(back_populates="figures")
