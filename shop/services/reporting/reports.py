"""Figures for the back-office dashboard: sales, best sellers, workshops, work to do.

Money is whole rupiah throughout; shares are computed with integer floor division.
Days run from midnight to midnight in the shop's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import ColumnElement, func, select

from shop.extensions import db
from shop.models import Order, OrderLine, OrderStatus, Product, ProductStatus, Variant, Workshop
from shop.services.ordering.status import PAID_STATES

PAID_STATUSES = tuple(PAID_STATES)  # money taken and (at least partly) kept
LOW_STOCK_THRESHOLD = 2
CHART_DAYS = 30


@dataclass(frozen=True)
class DaySales:
    """Net revenue and paid orders on one day."""

    day: date
    revenue_idr: int
    orders: int


@dataclass(frozen=True)
class SalesTotal:
    """Net revenue and paid orders over the last `days` days, today included."""

    days: int
    revenue_idr: int
    orders: int


@dataclass(frozen=True)
class BestSeller:
    """A variant and how many pieces of it were sold."""

    sku: str
    product_name: str
    option_label: str
    quantity: int
    sales_idr: int


@dataclass(frozen=True)
class WorkshopSales:
    """What a workshop's products sold for, and the makers' share of it."""

    workshop_name: str
    sales_idr: int
    maker_share_idr: int


@dataclass(frozen=True)
class LowStock:
    """An active variant close to selling out."""

    sku: str
    product_name: str
    option_label: str
    stock: int


@dataclass(frozen=True)
class MadeToOrderWork:
    """Pieces of a paid order that still have to be made."""

    order_number: str
    paid_at: datetime | None
    product_name: str
    option_label: str
    sku: str
    to_make: int


@dataclass(frozen=True)
class WaitingOrder:
    """A paid order not packed yet."""

    id: int
    number: str
    paid_at: datetime | None
    total_idr: int
    email: str


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows."""

    totals: list[SalesTotal]
    daily: list[DaySales]
    best_sellers: list[BestSeller]
    workshops: list[WorkshopSales]
    low_stock: list[LowStock]
    made_to_order: list[MadeToOrderWork]
    pieces_to_make: int
    waiting_to_pack: list[WaitingOrder]
    waiting_count: int
    on_hold_count: int = 0


def _local(moment: datetime | None, tz: tzinfo) -> datetime | None:
    """Return the moment in the shop's zone (SQLite hands back naive UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz)


def start_of_window(now: datetime, tz: tzinfo, days: int) -> datetime:
    """Return local midnight `days - 1` days before today, in UTC."""
    first_day = now.astimezone(tz).date() - timedelta(days=days - 1)
    return datetime.combine(first_day, time.min, tzinfo=tz).astimezone(UTC)


def _paid_since(since: datetime) -> tuple[ColumnElement[bool], ...]:
    return (Order.status.in_(PAID_STATUSES), Order.paid_at >= since)


def daily_sales(now: datetime, tz: tzinfo, days: int = CHART_DAYS) -> list[DaySales]:
    """Net revenue (total less refunds) and paid orders per local day, oldest first."""
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    revenue = dict.fromkeys((first + timedelta(days=i) for i in range(days)), 0)
    orders = dict.fromkeys(revenue, 0)
    rows = db.session.execute(
        select(Order.paid_at, Order.total_idr - Order.refunded_idr).where(
            *_paid_since(start_of_window(now, tz, days))
        )
    )
    for paid_at, net in rows:
        day = _local(paid_at, tz).date()
        if day in revenue:
            revenue[day] += int(net)
            orders[day] += 1
    return [DaySales(day, revenue[day], orders[day]) for day in revenue]


def sales_totals(daily: list[DaySales], windows: tuple[int, ...] = (1, 7, 30)) -> list[SalesTotal]:
    """Sum the last N days of a daily series for each window (1 = today)."""
    return [
        SalesTotal(
            days=n,
            revenue_idr=sum(d.revenue_idr for d in daily[-n:]),
            orders=sum(d.orders for d in daily[-n:]),
        )
        for n in windows
    ]


def best_sellers(since: datetime, limit: int = 5) -> list[BestSeller]:
    """The variants sold in the most pieces since `since`, from paid orders."""
    quantity = func.sum(OrderLine.quantity)
    rows = db.session.execute(
        select(
            OrderLine.sku,
            func.max(OrderLine.product_name),
            func.max(OrderLine.option_label),
            quantity,
            func.sum(OrderLine.unit_price_idr * OrderLine.quantity),
        )
        .select_from(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .where(*_paid_since(since))
        .group_by(OrderLine.sku)
        .order_by(quantity.desc(), OrderLine.sku)
        .limit(limit)
    )
    return [
        BestSeller(sku, name, label, int(qty), int(sales)) for sku, name, label, qty, sales in rows
    ]


def workshop_sales(since: datetime) -> list[WorkshopSales]:
    """Item sales per workshop since `since`, with the makers' share (floored to the rupiah).

    The share is each line's own, as the product page promised it when the order was placed.
    """
    line_total = OrderLine.unit_price_idr * OrderLine.quantity
    sales = func.sum(line_total)
    rows = db.session.execute(
        select(Workshop.name, sales, func.sum(line_total * OrderLine.maker_share_pct))
        .select_from(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .join(Variant, Variant.id == OrderLine.variant_id)
        .join(Product, Product.id == Variant.product_id)
        .join(Workshop, Workshop.id == Product.workshop_id)
        .where(*_paid_since(since))
        .group_by(Workshop.id, Workshop.name)
        .order_by(sales.desc(), Workshop.name)
    )
    # Sum (price × quantity × percent) exactly, then divide once: no rounding per line.
    return [WorkshopSales(name, int(total), int(weighted) // 100) for name, total, weighted in rows]


def low_stock(threshold: int = LOW_STOCK_THRESHOLD, limit: int = 30) -> list[LowStock]:
    """Active variants of active, kept-in-stock products with `threshold` pieces or fewer."""
    rows = db.session.execute(
        select(Variant.sku, Product.name, Variant.option_label, Variant.stock)
        .join(Product, Product.id == Variant.product_id)
        .where(
            Variant.is_active.is_(True),
            Product.status == ProductStatus.ACTIVE,
            Product.made_to_order.is_(False),
            Variant.stock <= threshold,
        )
        .order_by(Variant.stock, Product.name, Variant.sku)
        .limit(limit)
    )
    return [LowStock(*row) for row in rows]


def _made_to_order_filter() -> tuple[ColumnElement[bool], ...]:
    return (
        Order.status.in_((OrderStatus.PAID, OrderStatus.PACKED)),
        OrderLine.quantity > OrderLine.reserved_quantity,
    )


def count_made_to_order_work() -> int:
    """How many pieces paid or packed orders still need made."""
    pieces = func.sum(OrderLine.quantity - OrderLine.reserved_quantity)
    total = db.session.scalar(
        select(pieces).select_from(OrderLine).join(Order).where(*_made_to_order_filter())
    )
    return int(total or 0)


def made_to_order_work(tz: tzinfo, limit: int = 15) -> list[MadeToOrderWork]:
    """Lines of paid or packed orders with pieces not taken from stock, oldest payment first."""
    rows = db.session.execute(
        select(Order.number, Order.id, Order.paid_at, OrderLine)
        .select_from(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .where(*_made_to_order_filter())
        .order_by(Order.paid_at, Order.id, OrderLine.id)
        .limit(limit)
    )
    return [
        MadeToOrderWork(
            order_number=number or f"#{order_id}",
            paid_at=_local(paid_at, tz),
            product_name=line.product_name,
            option_label=line.option_label,
            sku=line.sku,
            to_make=line.quantity - line.reserved_quantity,
        )
        for number, order_id, paid_at, line in rows
    ]


def waiting_to_pack(tz: tzinfo, limit: int = 15) -> list[WaitingOrder]:
    """Paid orders not packed yet, the longest waiting first."""
    rows = db.session.execute(
        select(Order.number, Order.id, Order.paid_at, Order.total_idr, Order.email)
        .where(Order.status == OrderStatus.PAID)
        .order_by(Order.paid_at, Order.id)
        .limit(limit)
    )
    return [
        WaitingOrder(order_id, number or f"#{order_id}", _local(paid_at, tz), int(total), email)
        for number, order_id, paid_at, total, email in rows
    ]


def count_waiting_to_pack() -> int:
    """How many paid orders are not packed yet."""
    return db.session.scalar(select(func.count(Order.id)).where(Order.status == OrderStatus.PAID))


def count_on_hold() -> int:
    """How many paid orders are on hold for staff (stock gone, or an address elsewhere)."""
    return db.session.scalar(
        select(func.count(Order.id)).where(Order.status == OrderStatus.ON_HOLD)
    )


def dashboard(now: datetime, tz: tzinfo) -> Dashboard:
    """Collect the dashboard's figures as of `now`, with days in the zone `tz`."""
    daily = daily_sales(now, tz)
    since = start_of_window(now, tz, CHART_DAYS)
    return Dashboard(
        totals=sales_totals(daily),
        daily=daily,
        best_sellers=best_sellers(since),
        workshops=workshop_sales(since),
        low_stock=low_stock(),
        made_to_order=made_to_order_work(tz),
        pieces_to_make=count_made_to_order_work(),
        waiting_to_pack=waiting_to_pack(tz),
        waiting_count=count_waiting_to_pack(),
        on_hold_count=count_on_hold(),
    )
