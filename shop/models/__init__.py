"""SQLAlchemy models; importing this package registers every table."""

from shop.models.catalog import (
    Category,
    Product,
    ProductPhoto,
    ProductStatus,
    Variant,
    Workshop,
)

__all__ = ["Category", "Product", "ProductPhoto", "ProductStatus", "Variant", "Workshop"]
