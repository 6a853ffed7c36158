"""Catalog tables: workshops, categories, products, their variants and photos."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db
from shop.models.types import value_enum

if TYPE_CHECKING:
    from shop.models.translations import (
        CategoryTranslation,
        ProductTranslation,
        WorkshopTranslation,
    )


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class ProductStatus(enum.StrEnum):
    """Where a product is in its life: only active products are on the storefront."""

    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class PhotoState(enum.StrEnum):
    """Whether a photo's renditions exist: only ready photos are on the storefront."""

    READY = "ready"
    PROCESSING = "processing"  # a background job is making its renditions
    FAILED = "failed"  # the job gave up after its retries; staff retry or delete it


class Workshop(db.Model):
    """A producing unit inside a correctional institution."""

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    photo_key: Mapped[str | None] = mapped_column(String(64))
    photo_widths: Mapped[str] = mapped_column(String(64), default="")
    photo_alt: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    products: Mapped[list[Product]] = relationship(back_populates="workshop")
    # Staff's translations of the texts above, every language (what staff edit).
    translations: Mapped[list[WorkshopTranslation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="WorkshopTranslation.locale"
    )
    # The same rows, read-only, for the storefront: its queries load only the visitor's
    # language here (see catalog_text.shown_in), which can't leak into what staff edit.
    shown_translations: Mapped[list[WorkshopTranslation]] = relationship(viewonly=True)


class Category(db.Model):
    """A kind of handicraft: miniature aircraft, tableware, furniture, …"""

    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    products: Mapped[list[Product]] = relationship(back_populates="category")
    # Staff's translations of the texts above, every language (what staff edit).
    translations: Mapped[list[CategoryTranslation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CategoryTranslation.locale"
    )
    # The same rows, read-only, for the storefront: its queries load only the visitor's
    # language here (see catalog_text.shown_in), which can't leak into what staff edit.
    shown_translations: Mapped[list[CategoryTranslation]] = relationship(viewonly=True)


class Product(db.Model):
    """A listing on the storefront; buyers choose one of its variants."""

    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("maker_share_pct BETWEEN 0 AND 100", name="maker_share_range"),
        CheckConstraint("lead_time_days IS NULL OR lead_time_days >= 0", name="lead_time"),
        CheckConstraint(
            "price_min_idr IS NULL OR price_min_idr >= 0", name="price_min_not_negative"
        ),
        CheckConstraint(
            "price_max_idr IS NULL OR price_max_idr >= price_min_idr", name="price_range_order"
        ),
        # The storefront cuts a page of ids from one of these, in the listing's order (the id
        # breaks ties), without reading the rows it skips. The price indexes carry the other
        # end of the price range too, so a two-sided price filter is answered from the index.
        Index("ix_product_list_newest", "status", "created_at", "id"),
        Index("ix_product_list_price", "status", "price_min_idr", "id", "price_max_idr"),
        Index("ix_product_list_price_max", "status", "price_max_idr", "id", "price_min_idr"),
        Index("ix_product_list_category", "category_id", "status", "created_at", "id"),
        Index(
            "ix_product_list_category_price",
            "category_id",
            "status",
            "price_min_idr",
            "id",
            "price_max_idr",
        ),  # fmt: skip
        Index("ix_product_list_workshop", "workshop_id", "status", "created_at", "id"),
        # The back office lists the whole catalog by last change or by name, a page at a time.
        Index("ix_product_updated", "updated_at", "id"),
        Index("ix_product_name", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description_md: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"))
    materials: Mapped[str] = mapped_column(String(300), default="")
    # Customs data for the commercial invoice: the HS code (6–10 digits, stored without dots)
    # and the ISO country of origin. The material is `materials` above (translated with it);
    # the net weight is per variant, since a product's scales and sizes weigh differently.
    hs_code: Mapped[str] = mapped_column(String(10), default="", server_default="")
    origin_country: Mapped[str] = mapped_column(String(2), default="ID", server_default="ID")
    care_notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProductStatus] = mapped_column(
        value_enum(ProductStatus, "product_status", 16),
        default=ProductStatus.DRAFT,
    )
    made_to_order: Mapped[bool] = mapped_column(Boolean, default=False)
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    maker_share_pct: Mapped[int] = mapped_column(Integer, default=30)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    # Derived from the active variants by services.catalog.variants.refresh_price_range so the
    # listing can filter and sort by price without aggregating variants per request.
    price_min_idr: Mapped[int | None] = mapped_column(BigInteger)
    price_max_idr: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    category: Mapped[Category] = relationship(back_populates="products")
    workshop: Mapped[Workshop] = relationship(back_populates="products")
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product",
        order_by="Variant.position, Variant.id",
        cascade="all, delete-orphan",
    )
    # Every photo, whatever its state: what staff see and edit.
    photos: Mapped[list[ProductPhoto]] = relationship(
        back_populates="product",
        order_by="ProductPhoto.position, ProductPhoto.id",
        cascade="all, delete-orphan",
    )
    # The same rows, read-only, for the storefront: only photos whose renditions exist.
    shown_photos: Mapped[list[ProductPhoto]] = relationship(
        primaryjoin=lambda: and_(
            Product.id == ProductPhoto.product_id, ProductPhoto.state == PhotoState.READY
        ),
        order_by="ProductPhoto.position, ProductPhoto.id",
        viewonly=True,
    )
    # Staff's translations of the texts above, every language (what staff edit).
    translations: Mapped[list[ProductTranslation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ProductTranslation.locale"
    )
    # The same rows, read-only, for the storefront: its queries load only the visitor's
    # language here (see catalog_text.shown_in), which can't leak into what staff edit.
    shown_translations: Mapped[list[ProductTranslation]] = relationship(viewonly=True)

    @property
    def cover(self) -> ProductPhoto | None:
        """The first ready photo, shown on product cards."""
        return self.shown_photos[0] if self.shown_photos else None


class Variant(db.Model):
    """The thing a buyer actually buys: one scale, size or finish, with its own price."""

    __tablename__ = "variant"
    __table_args__ = (
        CheckConstraint("price_idr >= 0", name="price_not_negative"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("weight_g >= 0", name="weight_not_negative"),
        CheckConstraint("net_weight_g IS NULL OR net_weight_g >= 0", name="net_weight"),
        # "Available now": whether a product has an option on the shelf, answered from this
        # small index alone (listings filtered that way test up to a thousand products).
        Index(
            "ix_variant_in_stock",
            "product_id",
            postgresql_where=text("is_active IS true AND stock > 0"),
            sqlite_where=text("is_active IS 1 AND stock > 0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), index=True
    )
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    option_label: Mapped[str] = mapped_column(String(120))
    price_idr: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    # The goods alone, without packing (customs); weight_g above is what is shipped.
    net_weight_g: Mapped[int | None] = mapped_column(Integer)
    length_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(back_populates="variants")


class ProductPhoto(db.Model):
    """One photo of a product; the files are renditions named by content hash."""

    __tablename__ = "product_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), index=True
    )
    image_key: Mapped[str] = mapped_column(String(64))
    widths: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    alt_text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[PhotoState] = mapped_column(
        value_enum(PhotoState, "product_photo_state", 16),
        default=PhotoState.READY,
        server_default=PhotoState.READY.value,
    )
    # While processing (or failed): the private storage name of the uploaded original.
    original_key: Mapped[str | None] = mapped_column(String(80))

    product: Mapped[Product] = relationship(back_populates="photos")

    __table_args__ = (CheckConstraint("length(alt_text) > 0", name="alt_text_required"),)


class CatalogVersion(db.Model):
    """One row counting catalog changes; cached pages are keyed by it."""

    __tablename__ = "catalog_version"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class CacheTag(db.Model):
    """How often what one tag names (a product's page data) has changed; see cache_tags."""

    __tablename__ = "cache_tag"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
