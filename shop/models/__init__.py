"""SQLAlchemy models; importing this package registers every table."""

from shop.models.cart import Cart, CartLine
from shop.models.catalog import (
    CatalogVersion,
    Category,
    Product,
    ProductPhoto,
    ProductStatus,
    Variant,
    Workshop,
)
from shop.models.orders import Order, OrderEvent, OrderLine, OrderStatus, ProcessedPaymentEvent
from shop.models.shipping import ShippingCountry, ShippingZone
from shop.models.users import Role, User

__all__ = [
    "Cart",
    "CartLine",
    "CatalogVersion",
    "Category",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "ProcessedPaymentEvent",
    "Product",
    "ProductPhoto",
    "ProductStatus",
    "Role",
    "ShippingCountry",
    "ShippingZone",
    "User",
    "Variant",
    "Workshop",
]
