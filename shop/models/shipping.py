"""Shipping zones by destination country, with fees staff can change."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db


class ShippingZone(db.Model):
    """A group of destination countries sharing one fee scale."""

    __tablename__ = "shipping_zone"
    __table_args__ = (
        CheckConstraint("base_fee_idr >= 0", name="base_fee_not_negative"),
        CheckConstraint("per_kg_fee_idr >= 0", name="per_kg_fee_not_negative"),
        CheckConstraint("min_days >= 0 AND max_days >= min_days", name="delivery_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    base_fee_idr: Mapped[int] = mapped_column(BigInteger)
    per_kg_fee_idr: Mapped[int] = mapped_column(BigInteger)
    min_days: Mapped[int] = mapped_column(Integer)
    max_days: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    countries: Mapped[list[ShippingCountry]] = relationship(
        back_populates="zone", cascade="all, delete-orphan"
    )


class ShippingCountry(db.Model):
    """A country the shop ships to, and its zone."""

    __tablename__ = "shipping_country"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # ISO 3166-1 alpha-2
    zone_id: Mapped[int] = mapped_column(ForeignKey("shipping_zone.id"), index=True)

    zone: Mapped[ShippingZone] = relationship(back_populates="countries")


class Carrier(db.Model):
    """A carrier staff ship with, and where a buyer follows a parcel on its site."""

    __tablename__ = "carrier"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # An https:// address with {number} where the tracking number goes; empty for none.
    tracking_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
