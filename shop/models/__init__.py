"""SQLAlchemy models; importing this package registers every table."""

from shop.models.backoffice import AuditEntry, RevenueSplitRate, StockAdjustment, StockReason
from shop.models.cart import Cart, CartLine
from shop.models.catalog import (
    CacheTag,
    CatalogVersion,
    Category,
    PhotoState,
    Product,
    ProductPhoto,
    ProductStatus,
    Variant,
    Workshop,
)
from shop.models.currency import ExchangeRate
from shop.models.customers import Customer, CustomerAddress, PriceTier, SavedItem
from shop.models.discounts import DiscountCode, DiscountKind, discount_code_category
from shop.models.impact import ImpactFigure, ImpactMonth, WagePayout
from shop.models.mail import MailStatus, OutboundMail, OutboundMailAttachment
from shop.models.orders import (
    BankTransfer,
    InvoiceCounter,
    Order,
    OrderEvent,
    OrderLine,
    OrderRefund,
    OrderStatus,
    ProcessedPaymentEvent,
    RefundStatus,
)
from shop.models.pages import PAGE_LOCALES, ShopPage, ShopPageVersion
from shop.models.quotes import (
    QuoteEvent,
    QuoteFile,
    QuoteMessage,
    QuoteOffer,
    QuoteRequest,
    QuoteStatus,
)
from shop.models.search import SearchDocument, SearchSynonym, SearchWord
from shop.models.shipping import Carrier, ShippingCountry, ShippingZone
from shop.models.stock_alerts import AlertStatus, StockAlert
from shop.models.translations import (
    TRANSLATED_LOCALES,
    CategoryTranslation,
    ProductTranslation,
    WorkshopTranslation,
)
from shop.models.users import Role, StaffRecoveryCode, User

__all__ = [
    "BankTransfer",
    "AlertStatus",
    "StockAlert",
    "SearchDocument",
    "SearchSynonym",
    "SearchWord",
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
    "DiscountCode",
    "DiscountKind",
    "discount_code_category",
    "CustomerAddress",
    "ExchangeRate",
    "ImpactFigure",
    "ImpactMonth",
    "WagePayout",
    "InvoiceCounter",
    "MailStatus",
    "OutboundMail",
    "OutboundMailAttachment",
    "Order",
    "OrderEvent",
    "OrderRefund",
    "RefundStatus",
    "OrderLine",
    "OrderStatus",
    "PhotoState",
    "PriceTier",
    "ProcessedPaymentEvent",
    "Product",
    "ProductPhoto",
    "ProductStatus",
    "RevenueSplitRate",
    "SavedItem",
    "QuoteEvent",
    "QuoteFile",
    "QuoteMessage",
    "QuoteOffer",
    "QuoteRequest",
    "QuoteStatus",
    "Role",
    "PAGE_LOCALES",
    "ShippingCountry",
    "Carrier",
    "ShopPage",
    "ShopPageVersion",
    "ShippingZone",
    "StockAdjustment",
    "StockReason",
    "StaffRecoveryCode",
    "User",
    "Variant",
    "Workshop",
]
