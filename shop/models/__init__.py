"""SQLAlchemy models; importing this package registers every table."""

from shop.models.backoffice import AuditEntry, RevenueSplitRate, StockAdjustment, StockReason
from shop.models.cart import Cart, CartLine
from shop.models.catalog import (
    CacheTag,
    CatalogVersion,
    Category,
    Product,
    ProductPhoto,
    ProductStatus,
    Variant,
    Workshop,
)
from shop.models.currency import ExchangeRate
from shop.models.customers import Customer, CustomerAddress, PriceTier
from shop.models.orders import (
    Order,
    OrderEvent,
    OrderLine,
    OrderRefund,
    OrderStatus,
    ProcessedPaymentEvent,
    RefundStatus,
)
from shop.models.quotes import (
    QuoteEvent,
    QuoteFile,
    QuoteMessage,
    QuoteOffer,
    QuoteRequest,
    QuoteStatus,
)
from shop.models.shipping import ShippingCountry, ShippingZone
from shop.models.translations import (
    TRANSLATED_LOCALES,
    CategoryTranslation,
    ProductTranslation,
    WorkshopTranslation,
)
from shop.models.users import Role, StaffRecoveryCode, User

__all__ = [
    "TRANSLATED_LOCALES",
    "CategoryTranslation",
    "ProductTranslation",
    "WorkshopTranslation",
    "AuditEntry",
    "Cart",
    "CartLine",
    "CacheTag",
    "CatalogVersion",
    "Category",
    "Customer",
    "CustomerAddress",
    "ExchangeRate",
    "Order",
    "OrderEvent",
    "OrderRefund",
    "RefundStatus",
    "OrderLine",
    "OrderStatus",
    "PriceTier",
    "ProcessedPaymentEvent",
    "Product",
    "ProductPhoto",
    "ProductStatus",
    "RevenueSplitRate",
    "QuoteEvent",
    "QuoteFile",
    "QuoteMessage",
    "QuoteOffer",
    "QuoteRequest",
    "QuoteStatus",
    "Role",
    "ShippingCountry",
    "ShippingZone",
    "StockAdjustment",
    "StockReason",
    "StaffRecoveryCode",
    "User",
    "Variant",
    "Workshop",
]
