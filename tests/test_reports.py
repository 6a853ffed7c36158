"""Dashboard figures, from real order rows: sales windows, refunds, shares and work to do."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shop.extensions import db
from shop.models import Order, OrderLine, OrderStatus, Variant
from shop.services.reporting import reports
from tests.factories import make_category, make_product, make_workshop

NOW = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # noon in Jakarta
WIB = ZoneInfo("Asia/Jakarta")
S = OrderStatus
_numbers = itertools.count(1)


def make_order(
    status: OrderStatus,
    paid_at: datetime | None,
    lines: list[tuple[Variant, int, int]],
    *,
    shipping: int = 50_000,
    refunded: int = 0,
) -> Order:
    """Add an order; each line is (variant, quantity, pieces taken from stock)."""
    n = next(_numbers)
    subtotal = sum(variant.price_idr * quantity for variant, quantity, _ in lines)
    order = Order(
        number=f"KB-TEST-{n:04d}", token=f"token-{n}", email=f"buyer{n}@example.com",
        status=status, subtotal_idr=subtotal, shipping_idr=shipping,
        total_idr=subtotal + shipping, refunded_idr=refunded,
        shipping_country="JP", shipping_zone="asia", paid_at=paid_at,
        created_at=paid_at or NOW,
        lines=[
            OrderLine(
                variant_id=v.id, product_name=v.product.name, option_label=v.option_label,
                sku=v.sku, unit_price_idr=v.price_idr, quantity=q, reserved_quantity=r,
                maker_share_pct=v.product.maker_share_pct,
            )
            for v, q, r in lines
        ],
    )  # fmt: skip
    db.session.add(order)
    db.session.flush()
    return order


@pytest.fixture
def shop(app) -> dict[str, object]:
    """Three products in two workshops, and orders in every state over 40 days."""
    category = make_category()
    wood = make_workshop("woodcraft", "Woodcraft workshop")
    rattan = make_workshop("rattan", "Rattan workshop")
    bowl = make_product(
        "Teak bowl",
        category=category,
        workshop=wood,
        prices=(100_001,),
        stock=10,
        maker_share_pct=33,
    ).variants[0]
    plane = make_product(
        "Boeing 737 model",
        category=category,
        workshop=wood,
        prices=(250_000,),
        stock=0,
        made_to_order=True,
        lead_time_days=21,
        maker_share_pct=40,
    ).variants[0]
    basket = make_product(
        "Rattan basket", category=category, workshop=rattan, prices=(50_000,), stock=2,
        maker_share_pct=50,
    ).variants[0]  # fmt: skip
    orders = {
        "A": make_order(S.PAID, NOW - timedelta(hours=1), [(bowl, 2, 2)]),
        # 00:01 and 23:59 in Jakarta: today and yesterday, though both are the 24th in UTC.
        "B": make_order(S.PAID, datetime(2026, 11, 24, 17, 1, tzinfo=UTC), [(basket, 1, 1)]),
        "C": make_order(S.DELIVERED, datetime(2026, 11, 24, 16, 59, tzinfo=UTC), [(basket, 1, 1)]),
        "D": make_order(
            S.PARTIALLY_REFUNDED, NOW - timedelta(days=3), [(plane, 2, 0)], refunded=100_000
        ),
        "J": make_order(S.PAID, NOW - timedelta(days=5), [(plane, 3, 1)]),
        "L": make_order(S.PACKED, NOW - timedelta(days=6), [(plane, 1, 0)]),
        "E": make_order(S.SHIPPED, NOW - timedelta(days=10), [(bowl, 2, 2)]),
        "F": make_order(S.PACKED, NOW - timedelta(days=40), [(bowl, 5, 5)]),
        "G": make_order(S.PENDING_PAYMENT, None, [(bowl, 1, 1)]),
        "H": make_order(S.REFUNDED, NOW - timedelta(days=2), [(basket, 3, 3)], refunded=200_000),
        "I": make_order(S.CANCELLED, None, [(basket, 1, 1)]),
    }
    db.session.commit()
    return {"bowl": bowl, "plane": plane, "basket": basket, "category": category, **orders}


def test_revenue_today_7_and_30_days_counts_paid_orders_net_of_refunds(shop) -> None:
    totals = reports.sales_totals(reports.daily_sales(NOW, WIB))
    assert [(t.days, t.revenue_idr, t.orders) for t in totals] == [
        (1, 350_002, 2),
        (7, 2_000_002, 6),
        (30, 2_250_004, 7),
    ]


def test_days_start_at_midnight_in_the_shops_time_zone(shop) -> None:
    daily = reports.daily_sales(NOW, WIB)
    assert len(daily) == 30
    assert daily[-1].day.isoformat() == "2026-11-25"
    assert (daily[-1].revenue_idr, daily[-1].orders) == (350_002, 2)
    assert (daily[-2].revenue_idr, daily[-2].orders) == (100_000, 1)
    assert daily[0].day.isoformat() == "2026-10-27"


def test_daily_sales_net_partial_refunds_and_leave_out_full_refunds(shop) -> None:
    by_day = {d.day.isoformat(): d.revenue_idr for d in reports.daily_sales(NOW, WIB)}
    assert by_day["2026-11-22"] == 550_000 - 100_000
    assert by_day["2026-11-23"] == 0  # the fully refunded order
    assert sum(by_day.values()) == 2_250_004


def test_best_sellers_rank_variants_by_pieces_sold_in_paid_orders(shop) -> None:
    since = reports.start_of_window(NOW, WIB, 30)
    best = reports.best_sellers(since)
    assert [(b.product_name, b.quantity, b.sales_idr) for b in best] == [
        ("Boeing 737 model", 6, 1_500_000),
        ("Teak bowl", 4, 400_004),
        ("Rattan basket", 2, 100_000),
    ]
    assert len(reports.best_sellers(since, limit=2)) == 2


def test_best_sellers_show_at_most_five(shop) -> None:
    workshop = shop["plane"].product.workshop
    extra = [
        make_product(f"Spoon {i}", category=shop["category"], workshop=workshop) for i in range(5)
    ]
    make_order(S.PAID, NOW, [(p.variants[0], 1, 1) for p in extra])
    db.session.commit()
    assert len(reports.best_sellers(reports.start_of_window(NOW, WIB, 30))) == 5


def test_maker_share_is_summed_exactly_then_floored_to_the_rupiah(shop) -> None:
    rows = reports.workshop_sales(reports.start_of_window(NOW, WIB, 30))
    assert [(r.workshop_name, r.sales_idr, r.maker_share_idr) for r in rows] == [
        # 400,004 × 33% + 1,500,000 × 40% = 732,001.32; flooring per line would give 732,000.
        ("Woodcraft workshop", 1_900_004, 732_001),
        ("Rattan workshop", 100_000, 50_000),
    ]
    assert all(isinstance(r.maker_share_idr, int) for r in rows)


def test_maker_share_stays_what_was_promised_when_the_order_was_placed(shop) -> None:
    shop["basket"].product.maker_share_pct = 10  # changed after both baskets were sold
    db.session.commit()
    rows = reports.workshop_sales(reports.start_of_window(NOW, WIB, 30))
    assert ("Rattan workshop", 100_000, 50_000) in [
        (r.workshop_name, r.sales_idr, r.maker_share_idr) for r in rows
    ]


def test_low_stock_lists_stocked_active_variants_with_two_or_fewer(shop) -> None:
    workshop = shop["bowl"].product.workshop
    category = shop["category"]
    make_product("Sold-out spoon", category=category, workshop=workshop, stock=0)
    make_product("Three cups", category=category, workshop=workshop, stock=3)
    make_product("Draft tray", category=category, workshop=workshop, stock=1, status="draft")
    retired = make_product("Old vase", category=category, workshop=workshop, stock=0)
    retired.variants[0].is_active = False
    db.session.commit()
    low = reports.low_stock()
    assert [(item.product_name, item.stock) for item in low] == [
        ("Sold-out spoon", 0),
        ("Rattan basket", 2),
    ]


def test_made_to_order_work_lists_unreserved_pieces_of_paid_and_packed_orders(shop) -> None:
    work = reports.made_to_order_work(WIB)
    assert [(w.order_number, w.to_make) for w in work] == [
        (shop["L"].number, 1),
        (shop["J"].number, 2),
    ]
    assert work[0].paid_at.utcoffset() == timedelta(hours=7)


def test_orders_waiting_to_be_packed_are_paid_ones_oldest_first(shop) -> None:
    waiting = reports.waiting_to_pack(WIB)
    assert [w.number for w in waiting] == [shop["J"].number, shop["B"].number, shop["A"].number]
    assert waiting[-1].total_idr == 250_002
    assert reports.count_waiting_to_pack() == 3


def test_empty_shop_has_zero_figures(app) -> None:
    figures = reports.dashboard(NOW, WIB)
    assert [t.revenue_idr for t in figures.totals] == [0, 0, 0]
    assert len(figures.daily) == 30
    assert figures.best_sellers == figures.workshops == figures.waiting_to_pack == []


def test_dashboard_page_shows_figures_chart_and_table(client, auth, staff_user, app) -> None:
    category, workshop = make_category(), make_workshop()
    bowl = make_product("Teak bowl", category=category, workshop=workshop, prices=(100_000,))
    make_order(S.PAID, datetime.now(UTC), [(bowl.variants[0], 2, 2)])
    db.session.commit()
    auth.login(staff_user.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "IDR\xa0250,000" in page  # today's revenue and the waiting order
    assert page.count('<rect class="bar') == 30
    assert 'role="img"' in page and "<title" in page
    assert "<details" in page and "Show the numbers" in page
    # No inline style or script (the CSP forbids them); scripts come from files.
    assert "style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "Waiting to be packed" in page and "buyer" in page
