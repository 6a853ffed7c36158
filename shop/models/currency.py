"""Exchange rates staff set, for showing approximate prices in a buyer's currency."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db
from shop.models.catalog import utcnow


class ExchangeRate(db.Model):
    """How many rupiah one unit of a currency costs, to four decimals (scaled by 10,000)."""

    __tablename__ = "exchange_rate"
    __table_args__ = (CheckConstraint("idr_per_unit_e4 > 0", name="rate_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), unique=True)
    # 1 USD = Rp16.250,5 is stored as 162_505_000: integers only, like every amount here.
    idr_per_unit_e4: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    updated_by: Mapped[str] = mapped_column(String(254), default="")
