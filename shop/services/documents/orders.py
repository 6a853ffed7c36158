"""What an order's documents show: lines in the buyer's language, customs data, totals.

Item names come from the catalog's translation for the document's language (the order line
keeps the English name it was bought under, shown when no translation exists or the product
is gone). HS code, origin, material and net weight are read from the catalog as it is now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from babel import Locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.models import Order, OrderStatus, Product, Variant
from shop.services import currency
from shop.services.catalog.text import localized
from shop.services.clock import shop_day_of
from shop.services.impact.orders import OrderImpact, order_impact
from shop.services.ordering.status import PAID_STATES

MAX_BATCH = 200  # orders in one staff PDF


@dataclass(frozen=True)
class DocumentLine:
    """One line of an order as a document prints it."""

    name: str
    option: str
    sku: str
    quantity: int
    unit_price_idr: int
    total_idr: int
    hs_code: str
    origin: str
    material: str
    net_weight_g: int | None  # one piece, None when staff have not given it
    gross_weight_g: int  # one piece, packed (the shipping weight)

    @property
    def net_total_g(self) -> int | None:
        """The line's net weight, all pieces."""
        return None if self.net_weight_g is None else self.net_weight_g * self.quantity


@dataclass(frozen=True)
class OrderDocument:
    """An order with everything its invoice, packing slip and commercial invoice print."""

    order: Order
    lines: list[DocumentLine]
    paid_on: date | None
    country_name: str
    approx_currency: str | None
    approx_total: str | None  # "≈ ¥1,846" in the buyer's currency at today's rate
    # What the order pays the makers per workshop, and each figure in the buyer's currency.
    impact: OrderImpact | None = None
    impact_approx: tuple[str, ...] = ()

    @property
    def net_weight_g(self) -> int:
        """Net weight of everything with a known net weight."""
        return sum(line.net_total_g or 0 for line in self.lines)

    @property
    def gross_weight_g(self) -> int:
        """Shipping weight of all pieces."""
        return sum(line.gross_weight_g * line.quantity for line in self.lines)


def hs_display(code: str) -> str:
    """An HS code as customs forms write it: 4402.90 / 9503.00.70."""
    if len(code) <= 4:
        return code
    parts = [code[:4], code[4:6]] + ([code[6:]] if len(code) > 6 else [])
    return ".".join(parts)


def country_name(code: str, locale: str) -> str:
    """The country's name in the document's language ("日本" for JP in Japanese)."""
    if not code:
        return ""
    return Locale.parse(locale).territories.get(code.upper(), code.upper())


def _variants(orders: Iterable[Order]) -> dict[int, Variant]:
    ids = {line.variant_id for order in orders for line in order.lines if line.variant_id}
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Variant)
        .where(Variant.id.in_(ids))
        .options(selectinload(Variant.product).selectinload(Product.shown_translations))
    )
    return {v.id: v for v in rows}


def _approx(order: Order, locale: str, rates: currency.Rates) -> tuple[str | None, str | None]:
    code = currency.LOCALE_CURRENCY.get(order.locale)
    if not code or not rates.has(code):
        return None, None
    text = currency.format_approx(order.total_idr, code, rates.by_currency[code], locale)
    return code, "≈ " + text


def _impact(
    order: Order, locale: str, code: str | None, rates: currency.Rates
) -> tuple[OrderImpact | None, tuple[str, ...]]:
    impact = order_impact(order, locale)
    if impact is None or not code:
        return impact, ()
    rate = rates.by_currency[code]
    return impact, tuple(
        "≈ " + currency.format_approx(entry.wages_idr, code, rate, locale)
        for entry in impact.workshops
    )


def documents_for(orders: list[Order], locale: str | None = None) -> list[OrderDocument]:
    """The orders as documents, each in `locale` or else its buyer's language."""
    variants = _variants(orders)
    rates = currency.current_rates()
    documents = []
    for order in orders:
        lang = locale or order.locale
        lines = []
        for line in order.lines:
            variant = variants.get(line.variant_id or 0)
            product = variant.product if variant else None
            lines.append(
                DocumentLine(
                    name=localized(product, "name", lang) if product else line.product_name,
                    option=line.option_label,
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price_idr=line.unit_price_idr,
                    total_idr=line.line_total_idr,
                    hs_code=hs_display(product.hs_code) if product else "",
                    origin=product.origin_country if product else "",
                    material=localized(product, "materials", lang) if product else "",
                    net_weight_g=variant.net_weight_g if variant else None,
                    gross_weight_g=line.weight_g,
                )  # fmt: skip
            )
        code, approx = _approx(order, lang, rates)
        impact, impact_approx = _impact(order, lang, code, rates)
        documents.append(
            OrderDocument(
                order=order,
                lines=lines,
                paid_on=shop_day_of(order.paid_at) if order.paid_at else None,
                country_name=country_name(order.ship_country or order.shipping_country, lang),
                approx_currency=code,
                approx_total=approx,
                impact=impact,
                impact_approx=impact_approx,
            )  # fmt: skip
        )
    return documents


def has_invoice(order: Order) -> bool:
    """Whether the order has an invoice to download: paid (now or before) and numbered."""
    return bool(order.invoice_number) and order.paid_at is not None


def printable_orders(order_ids: list[int]) -> list[Order]:
    """The paid orders among these ids (staff print paid orders only), oldest first; with no
    ids, every order paid and waiting to be packed."""
    query = select(Order).options(selectinload(Order.lines)).order_by(Order.id)
    if order_ids:
        wanted = sorted(set(order_ids))[:MAX_BATCH]
        query = query.where(Order.id.in_(wanted), Order.status.in_(PAID_STATES))
    else:
        query = query.where(Order.status == OrderStatus.PAID).limit(MAX_BATCH)
    return list(db.session.scalars(query))
