"""Orders: snapshots of what was bought, the money, the status and its history."""

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


class OrderStatus(enum.StrEnum):
    """Where an order is; services.ordering.status owns the moves between these."""

    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    # Paid, but staff must act before it can be packed: its stock was gone when a late payment
    # arrived, or the buyer gave an address outside the zone the shipping was priced for.
    ON_HOLD = "on_hold"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class Order(db.Model):
    """A customer's order, created when checkout starts."""

    __tablename__ = "shop_order"  # "order" is an SQL keyword
    __table_args__ = (
        CheckConstraint("subtotal_idr >= 0", name="subtotal_not_negative"),
        CheckConstraint("shipping_idr >= 0", name="shipping_not_negative"),
        CheckConstraint(
            "total_idr = subtotal_idr - discount_idr + shipping_idr + gift_wrap_idr",
            name="total_adds_up",
        ),
        CheckConstraint("gift_wrap_idr >= 0", name="gift_wrap_not_negative"),
        CheckConstraint(
            "discount_idr >= 0 AND discount_idr <= subtotal_idr", name="discount_range"
        ),
        CheckConstraint("refunded_idr >= 0 AND refunded_idr <= total_idr", name="refund_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[OrderStatus] = mapped_column(
        value_enum(OrderStatus, "order_status", 24), default=OrderStatus.PENDING_PAYMENT, index=True
    )
    currency: Mapped[str] = mapped_column(String(3), default="IDR")
    subtotal_idr: Mapped[int] = mapped_column(BigInteger)
    shipping_idr: Mapped[int] = mapped_column(BigInteger)
    # Taken off the subtotal by a discount code (`discount_code`, as the buyer saw it).
    discount_idr: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    discount_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    discount_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("discount_code.id", ondelete="SET NULL"), index=True
    )
    # Whether the order holds one of the code's uses (placed, and not lapsed unpaid).
    discount_use_held: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # A gift: the buyer's message (printed on the packing slip, which then shows no prices)
    # and the gift wrap's price when they chose it (0 without). Wrap is the shop's service,
    # not a maker's sale: it is in the total, never in the lines.
    is_gift: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    gift_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    gift_wrap_idr: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    total_idr: Mapped[int] = mapped_column(BigInteger)
    refunded_idr: Mapped[int] = mapped_column(BigInteger, default=0)
    # The refunded total the payment provider last reported (charge.refunded is cumulative):
    # refunded_idr is the larger of this and the refunds staff made here, so a refund the
    # provider reports and staff recorded is never counted twice, in whatever order.
    provider_refunded_idr: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    shipping_country: Mapped[str] = mapped_column(String(2))
    shipping_zone: Mapped[str] = mapped_column(String(16))
    delivery_min_days: Mapped[int | None] = mapped_column(Integer)
    delivery_max_days: Mapped[int | None] = mapped_column(Integer)
    # Days to make the made-to-order pieces before shipping, already inside the delivery days
    # above (0 when every piece was on the shelf): the promise made when the order was placed.
    lead_time_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Whatever the payment page collected, however long: Text, never cut (Stripe's own limits
    # are longer than any column we would pick, and an address must not be lost).
    ship_name: Mapped[str] = mapped_column(Text, default="")
    ship_line1: Mapped[str] = mapped_column(Text, default="")
    ship_line2: Mapped[str] = mapped_column(Text, default="")
    ship_city: Mapped[str] = mapped_column(Text, default="")
    ship_state: Mapped[str] = mapped_column(Text, default="")
    ship_postal_code: Mapped[str] = mapped_column(Text, default="")
    # The country the payment page collected (may differ from shipping_country, the priced one).
    ship_country: Mapped[str] = mapped_column(String(2), default="", server_default="")
    # The buyer's company and tax/VAT id, printed on invoices (quotes for airlines collect them).
    company_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    tax_id: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Bank transfers: money in (all transfers recorded) and overpayment sent back to the buyer.
    bank_received_idr: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    bank_returned_idr: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    hold_reason: Mapped[str | None] = mapped_column(String(16))  # "stock" or "address"
    cart_id: Mapped[int | None] = mapped_column(ForeignKey("cart.id", ondelete="SET NULL"))
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    payment_gateway: Mapped[str] = mapped_column(String(16), default="")
    payment_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    payment_intent: Mapped[str | None] = mapped_column(String(255), index=True)
    payment_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Given once, when the order is first paid: KB-<year>-<n>, without gaps in a year.
    invoice_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    carrier: Mapped[str] = mapped_column(String(80), default="", server_default="")
    tracking_number: Mapped[str] = mapped_column(String(120), default="", server_default="")
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderEvent.id"
    )
    bank_transfers: Mapped[list[BankTransfer]] = relationship(
        cascade="all, delete-orphan", order_by="BankTransfer.id"
    )
    refunds: Mapped[list[OrderRefund]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderRefund.id"
    )


class OrderLine(db.Model):
    """What was bought, frozen at the moment of purchase."""

    __tablename__ = "order_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_idr >= 0", name="unit_price_not_negative"),
        CheckConstraint(
            "discount_idr >= 0 AND discount_idr <= unit_price_idr * quantity",
            name="discount_range",
        ),
        CheckConstraint(
            "reserved_quantity >= 0 AND reserved_quantity <= quantity", name="reserved"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[int | None] = mapped_column(
        ForeignKey("variant.id", ondelete="SET NULL"), index=True
    )
    product_name: Mapped[str] = mapped_column(String(200))
    option_label: Mapped[str] = mapped_column(String(120))
    sku: Mapped[str] = mapped_column(String(64))
    unit_price_idr: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer)
    # This line's part of the order's discount: what was paid for it is the line total less this.
    discount_idr: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Taken from stock when the order was placed; the rest is made to order.
    reserved_quantity: Mapped[int] = mapped_column(Integer, default=0)
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    # The product's maker share when it was bought: what the page promised the buyer, and
    # what the revenue split report pays out even if the product's share changes later.
    maker_share_pct: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def line_total_idr(self) -> int:
        """Unit price times quantity."""
        return self.unit_price_idr * self.quantity

    @property
    def paid_idr(self) -> int:
        """What the buyer paid for the line: its total less its part of the discount."""
        return self.line_total_idr - self.discount_idr


class OrderEvent(db.Model):
    """One entry of an order's append-only history."""

    __tablename__ = "order_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(254))  # "customer", "system", a staff email
    note: Mapped[str] = mapped_column(Text, default="")

    order: Mapped[Order] = relationship(back_populates="events")


class RefundStatus(enum.StrEnum):
    """Where a refund staff asked for is: sent to the provider, accepted, or refused."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class BankTransfer(db.Model):
    """One bank transfer staff saw on the shop's account: money in, or an overpayment sent back.

    A bank's reference names one transfer, so it is recorded once per order and direction: the
    same form sent twice (double click, two staff at once) records it once.
    """

    __tablename__ = "bank_transfer"
    __table_args__ = (
        CheckConstraint("amount_idr > 0", name="amount_positive"),
        CheckConstraint("direction IN ('in', 'out')", name="direction_known"),
        UniqueConstraint(
            "order_id", "direction", "reference", name="uq_bank_transfer_one_record_per_transfer"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(3), default="in")  # "in" or "out"
    amount_idr: Mapped[int] = mapped_column(BigInteger)
    transferred_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(120))
    actor: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrderRefund(db.Model):
    """One refund staff asked for, keyed by the one-time token of the form that asked.

    The token is the provider's idempotency key: a form sent twice (double click, reload)
    finds its row and refunds nothing more. A pending row counts against what is left to
    refund, so two refunds at once can never add up past what was paid.
    """

    __tablename__ = "order_refund"
    __table_args__ = (CheckConstraint("amount_idr > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    amount_idr: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(254))
    status: Mapped[RefundStatus] = mapped_column(
        value_enum(RefundStatus, "refund_status", 16), default=RefundStatus.PENDING
    )
    provider_refund_id: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    order: Mapped[Order] = relationship(back_populates="refunds")


class InvoiceCounter(db.Model):
    """The last invoice number given in a year; taken under its row lock with the payment."""

    __tablename__ = "invoice_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class ProcessedPaymentEvent(db.Model):
    """A provider event already handled: webhooks are processed once per event id."""

    __tablename__ = "processed_payment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    event_type: Mapped[str] = mapped_column(String(80))
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_order.id", ondelete="SET NULL"), index=True
    )
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
