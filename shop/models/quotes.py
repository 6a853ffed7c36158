"""Quote requests for display models: the request, the staff's offers, messages, files, history."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db
from shop.models.catalog import utcnow
from shop.models.types import value_enum


class QuoteStatus(enum.StrEnum):
    """Where a quote request is; services.quote_status owns the moves between these."""

    NEW = "new"
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    PAID = "paid"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    DECLINED = "declined"
    EXPIRED = "expired"


class QuoteRequest(db.Model):
    """An airline's or company's request for display models in its own livery."""

    __tablename__ = "quote_request"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[QuoteStatus] = mapped_column(
        value_enum(QuoteStatus, "quote_status", 16), default=QuoteStatus.NEW, index=True
    )
    organisation: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    country: Mapped[str] = mapped_column(String(2))
    aircraft_type: Mapped[str] = mapped_column(String(120))
    livery: Mapped[str] = mapped_column(String(200))
    scale: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    wanted_by: Mapped[date] = mapped_column(Date)
    finish_notes: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str] = mapped_column(String(8), default="en")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"))
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    # The order the buyer pays through; a new one replaces it when a payment lapsed.
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_order.id", ondelete="SET NULL"), index=True
    )
    production_note: Mapped[str] = mapped_column(String(300), default="")
    # Given when the buyer accepts: who is invoiced and where the models go (the quote's country).
    company_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    tax_id: Mapped[str] = mapped_column(String(40), default="", server_default="")
    delivery_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    delivery_line1: Mapped[str] = mapped_column(String(200), default="", server_default="")
    delivery_line2: Mapped[str] = mapped_column(String(200), default="", server_default="")
    delivery_city: Mapped[str] = mapped_column(String(120), default="", server_default="")
    delivery_state: Mapped[str] = mapped_column(String(120), default="", server_default="")
    delivery_postal_code: Mapped[str] = mapped_column(String(20), default="", server_default="")
    delivery_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # The day the "your transfer is due" reminder went, so it goes once.
    payment_reminder_sent_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    offers: Mapped[list[QuoteOffer]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteOffer.version"
    )
    messages: Mapped[list[QuoteMessage]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteMessage.id"
    )
    files: Mapped[list[QuoteFile]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteFile.id"
    )
    events: Mapped[list[QuoteEvent]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteEvent.id"
    )

    @property
    def current_offer(self) -> QuoteOffer | None:
        """The latest offer staff sent, or None before the first."""
        return self.offers[-1] if self.offers else None


class QuoteOffer(db.Model):
    """One version of the staff's answer: price, quantity, shipping, lead time, validity."""

    __tablename__ = "quote_offer"
    __table_args__ = (
        UniqueConstraint("quote_id", "version", name="uq_quote_offer_version"),
        CheckConstraint("unit_price_idr > 0", name="unit_price_positive"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("shipping_idr >= 0", name="shipping_not_negative"),
        CheckConstraint("lead_time_days > 0", name="lead_time_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(
        ForeignKey("quote_request.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    unit_price_idr: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer)
    shipping_idr: Mapped[int] = mapped_column(BigInteger)
    lead_time_days: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    quote: Mapped[QuoteRequest] = relationship(back_populates="offers")

    @property
    def subtotal_idr(self) -> int:
        """Unit price times quantity."""
        return self.unit_price_idr * self.quantity

    @property
    def total_idr(self) -> int:
        """The models and the shipping."""
        return self.subtotal_idr + self.shipping_idr


class QuoteMessage(db.Model):
    """One message of the thread between the buyer and the staff on a quote request."""

    __tablename__ = "quote_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(
        ForeignKey("quote_request.id", ondelete="CASCADE"), index=True
    )
    from_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    author: Mapped[str] = mapped_column(String(254))  # the buyer's name or a staff email
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    quote: Mapped[QuoteRequest] = relationship(back_populates="messages")


class QuoteFile(db.Model):
    """A reference file (livery image or PDF), kept in private storage."""

    __tablename__ = "quote_file"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(
        ForeignKey("quote_request.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(120))  # cleaned, for showing and downloading
    storage_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    quote: Mapped[QuoteRequest] = relationship(back_populates="files")

    @property
    def is_image(self) -> bool:
        """Whether the file is a (cleaned) picture rather than a PDF."""
        return self.content_type.startswith("image/")


class QuoteEvent(db.Model):
    """One entry of a quote's append-only history, shown to the buyer and staff."""

    __tablename__ = "quote_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(
        ForeignKey("quote_request.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(254))  # "buyer", "system", a staff email
    note: Mapped[str] = mapped_column(Text, default="")

    quote: Mapped[QuoteRequest] = relationship(back_populates="events")
