"""SQLAlchemy models; importing this package registers every table."""

from shop.models.catalog import (
    CatalogVersion,
    Category,
    Product,
    ProductPhoto,
    ProductStatus,
    Variant,
    Workshop,
)

__all__ = [
    "CatalogVersion",
    "Category",
    "Product",
    "ProductPhoto",
    "ProductStatus",
    "Variant",
    "Workshop",
]
