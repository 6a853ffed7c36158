"""Guest carts kept in the database, found through a random token in the signed session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db
from shop.models.catalog import Variant, utcnow


class Cart(db.Model):
    """A shopping cart."""

    __tablename__ = "cart"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    shipping_country: Mapped[str | None] = mapped_column(String(2))
    # The discount code the buyer entered, normalized; checked again whenever it is priced.
    discount_code: Mapped[str | None] = mapped_column(String(32))
    # The buyer's gift choice at checkout, kept with the cart until the order takes it over.
    is_gift: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    gift_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    gift_wrap: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # A signed-in customer's cart; a guest cart has none until its buyer signs in.
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    lines: Mapped[list[CartLine]] = relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartLine.id"
    )


class CartLine(db.Model):
    """A variant and how many of it are in a cart."""

    __tablename__ = "cart_line"
    __table_args__ = (
        UniqueConstraint("cart_id", "variant_id", name="uq_cart_line_variant"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("cart.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(Integer)

    cart: Mapped[Cart] = relationship(back_populates="lines")
    variant: Mapped[Variant] = relationship()
