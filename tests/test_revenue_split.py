"""The revenue split report: sales per workshop and month, divided into wages, PNBP and the rest."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry, Order, OrderLine, OrderStatus, RevenueSplitRate, Variant
from shop.services.money import format_idr
from shop.services.reporting import audit, revenue
from tests.factories import csrf_from, make_category, make_product, make_workshop

WIB = ZoneInfo("Asia/Jakarta")
JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
S = OrderStatus
_numbers = itertools.count(1)


def rp(amount: int) -> str:
    """Rupiah as the English back office shows them."""
    return format_idr(amount, "en")


def make_order(
    status: OrderStatus,
    paid_at: datetime | None,
    lines: list[tuple[Variant, int, int]],
    *,
    refunded: int = 0,
    shipping: int = 50_000,
) -> Order:
    """Add an order; each line is (variant, quantity, maker share % promised at the time)."""
    n = next(_numbers)
    subtotal = sum(variant.price_idr * quantity for variant, quantity, _ in lines)
    order = Order(
        number=f"KB-RS-{n:04d}", token=f"rs-token-{n}", email=f"buyer{n}@example.com",
        status=status, subtotal_idr=subtotal, shipping_idr=shipping,
        total_idr=subtotal + shipping, refunded_idr=refunded, shipping_country="JP",
        shipping_zone="asia", paid_at=paid_at, created_at=paid_at or utc(2026, 2, 3, 4),
        lines=[
            OrderLine(
                variant_id=v.id, product_name=v.product.name, option_label=v.option_label,
                sku=v.sku, unit_price_idr=v.price_idr, quantity=q, maker_share_pct=share,
            )
            for v, q, share in lines
        ],
    )  # fmt: skip
    db.session.add(order)
    db.session.flush()
    return order


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def sales(app) -> dict[str, object]:
    """Two workshops' orders in January and February 2026 (Jakarta time), in every state.

    January: O1 bowls ×2 (33%) + basket (50%); O8 plane (40%) paid 23:59 on 31 January.
    February: O2 plane paid 03:00 on 1 February (still 31 January in UTC); O3 bowls ×3 and a
    basket, Rp70.001 refunded; O4 two baskets refunded in full with its shipping.
    Left out: a cancelled paid order, a pending one, an expired one.
    """
    category = make_category()
    wood = make_workshop("woodcraft", "Woodcraft workshop")
    rattan = make_workshop("rattan", "Rattan workshop")

    def variant(name: str, workshop, price: int) -> Variant:
        return make_product(name, category=category, workshop=workshop, prices=(price,)).variants[0]

    bowl = variant("Teak bowl", wood, 100_001)
    plane = variant("Boeing 737 model", wood, 250_000)
    basket = variant("Rattan basket", rattan, 50_000)
    orders = {
        "O1": make_order(S.PAID, utc(2026, 1, 10, 3), [(bowl, 2, 33), (basket, 1, 50)]),
        "O8": make_order(S.SHIPPED, utc(2026, 1, 31, 16, 59), [(plane, 1, 40)]),
        "O2": make_order(S.DELIVERED, utc(2026, 1, 31, 20, 0), [(plane, 1, 40)]),
        "O3": make_order(
            S.PARTIALLY_REFUNDED,
            utc(2026, 2, 5, 4),
            [(bowl, 3, 33), (basket, 1, 50)],
            refunded=70_001,
        ),  # fmt: skip
        "O4": make_order(S.REFUNDED, utc(2026, 2, 10, 4), [(basket, 2, 50)], refunded=150_000),
        "cancelled": make_order(S.CANCELLED, utc(2026, 1, 12, 4), [(plane, 4, 40)]),
        "pending": make_order(S.PENDING_PAYMENT, None, [(plane, 2, 40)]),
        "expired": make_order(S.EXPIRED, None, [(bowl, 1, 33)]),
    }
    # The products' shares change later: the report keeps what was promised at the time.
    bowl.product.maker_share_pct = 10
    basket.product.maker_share_pct = 10
    db.session.commit()
    return {"bowl": bowl, "plane": plane, "basket": basket, **orders}


def set_rate(month: date, pnbp: int, maker: int = 30) -> None:
    db.session.add(
        RevenueSplitRate(
            effective_from=month, pnbp_pct=pnbp, default_maker_share_pct=maker, set_by="a@b.c"
        )
    )
    db.session.commit()


def table(report: revenue.RevenueReport) -> dict[tuple[str, str], tuple[int, ...]]:
    """{(month, workshop): (orders, sales, maker, pnbp, remainder)}, month totals as "TOTAL"."""
    found = {}
    for month in report.months:
        key = f"{month.month:%Y-%m}"
        for row in month.rows:
            s = row.split
            found[key, row.workshop_name] = (
                s.orders, s.sales_idr, s.maker_share_idr, s.pnbp_idr, s.remainder_idr,
            )  # fmt: skip
        t = month.total
        found[key, "TOTAL"] = (
            t.orders,
            t.sales_idr,
            t.maker_share_idr,
            t.pnbp_idr,
            t.remainder_idr,
        )
    return found


def test_the_worked_example_splits_each_workshop_and_month(sales) -> None:
    set_rate(JAN, 10)
    report = revenue.revenue_split(JAN, FEB, WIB)
    assert table(report) == {
        # 200,002 × 33% + 250,000 × 40% = 166,000.66 → 166,000; PNBP 45,000.2 → 45,000.
        ("2026-01", "Woodcraft workshop"): (2, 450_002, 166_000, 45_000, 239_002),
        ("2026-01", "Rattan workshop"): (1, 50_000, 25_000, 5_000, 20_000),
        ("2026-01", "TOTAL"): (2, 500_002, 191_000, 50_000, 259_002),
        # O3's Rp70,001 refund: 60,000.94 on the bowls and 10,000.06 on the basket; the
        # rupiah lost to flooring goes to the bowls, the larger fraction.
        # Bowls 240,002 × 33% + plane 250,000 × 40% = 179,200.66 → 179,200.
        ("2026-02", "Woodcraft workshop"): (2, 490_002, 179_200, 49_000, 261_802),
        # 40,000 from O3, nothing from O4, refunded in full (shipping too).
        ("2026-02", "Rattan workshop"): (2, 40_000, 20_000, 4_000, 16_000),
        ("2026-02", "TOTAL"): (3, 530_002, 199_200, 53_000, 277_802),
    }
    assert (report.total.orders, report.total.sales_idr) == (5, 1_030_004)
    assert (report.total.maker_share_idr, report.total.pnbp_idr) == (390_200, 103_000)
    assert report.total.remainder_idr == 536_804


def test_the_three_parts_always_add_up_to_the_sales(sales) -> None:
    set_rate(JAN, 7)
    report = revenue.revenue_split(JAN, FEB, WIB)
    splits = [row.split for m in report.months for row in m.rows]
    splits += [m.total for m in report.months] + [report.total]
    for s in splits:
        assert s.maker_share_idr + s.pnbp_idr + s.remainder_idr == s.sales_idr


def test_awkward_prices_and_refunds_still_add_up_exactly() -> None:
    for totals, refund in [([99_999, 1, 33_333], 12_345), ([7, 7, 7], 10), ([5], 9), ([3, 0], 2)]:
        nets = revenue.spread_refund(totals, refund)
        assert sum(nets) == max(sum(totals) - refund, 0)
        assert all(0 <= net <= total for net, total in zip(nets, totals, strict=True))
        for share, pnbp in itertools.product((0, 33, 37, 100), (0, 11, 100)):
            sales_idr = sum(nets)
            split = revenue.divide(sales_idr, sales_idr * share, pnbp)
            assert split.maker_share_idr + split.pnbp_idr + split.remainder_idr == sales_idr


def test_a_month_starts_at_midnight_in_the_shops_time_zone(sales) -> None:
    report = revenue.revenue_split(JAN, JAN, WIB)
    assert report.months[0].total.orders == 2  # O1 and O8 (23:59 on 31 January in Jakarta)
    utc_report = revenue.revenue_split(JAN, JAN, ZoneInfo("UTC"))
    assert utc_report.months[0].total.orders == 3  # in UTC, O2 was paid in January too


def test_without_a_rate_pnbp_is_zero_and_the_page_says_so(sales, client, auth, staff_user):
    report = revenue.revenue_split(JAN, FEB, WIB)
    assert [m.pnbp_pct for m in report.months] == [None, None]
    assert report.total.pnbp_idr == 0
    assert report.total.remainder_idr == 1_030_004 - 390_200

    auth.login(staff_user.email)
    page = client.get("/admin/reports/revenue-split?first=2026-01&last=2026-02").get_data(
        as_text=True
    )
    assert page.count("No rate set: PNBP counted as 0") == 2
    assert "No rate set yet" in page


def test_a_new_rate_from_a_later_month_leaves_earlier_months_alone(sales) -> None:
    set_rate(JAN, 10)
    set_rate(FEB, 20)
    found = table(revenue.revenue_split(JAN, FEB, WIB))
    assert found["2026-01", "Woodcraft workshop"][3] == 45_000
    assert found["2026-02", "Woodcraft workshop"][3] == 98_000  # 490,002 × 20%, floored
    assert found["2026-02", "Rattan workshop"][3:] == (8_000, 12_000)


def test_a_rate_set_before_the_period_applies_to_it(sales) -> None:
    set_rate(date(2025, 6, 1), 10)
    assert [m.pnbp_pct for m in revenue.revenue_split(JAN, FEB, WIB).months] == [10, 10]


def test_staff_see_the_report_and_the_rates_but_no_form(sales, client, auth, staff_user) -> None:
    set_rate(JAN, 10)
    auth.login(staff_user.email)
    response = client.get("/admin/reports/revenue-split?first=2026-01&last=2026-02")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in ("January 2026", "February 2026", "Woodcraft workshop", "Rattan workshop"):
        assert text in page
    for amount in (450_002, 166_000, 45_000, 239_002, 1_030_004, 536_804):
        assert rp(amount) in page
    assert "in proportion to their prices" in page  # the refund rule is explained
    assert "PNBP 10%" in page
    assert "Only admins can change the rates." in page
    assert 'name="pnbp_pct"' not in page


def test_staff_cannot_post_rates(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    token = csrf_from(client.get("/admin/reports/revenue-split").get_data(as_text=True))
    data = {"csrf_token": token, "effective_from": "2026-01", "pnbp_pct": "10",
            "default_maker_share_pct": "30"}  # fmt: skip
    assert client.post("/admin/reports/revenue-split/rates", data=data).status_code == 403
    assert db.session.scalars(select(RevenueSplitRate)).all() == []


def post_rate(client, month: str, pnbp: str, maker: str):
    token = csrf_from(client.get("/admin/reports/revenue-split").get_data(as_text=True))
    data = {"csrf_token": token, "effective_from": month, "pnbp_pct": pnbp,
            "default_maker_share_pct": maker}  # fmt: skip
    return client.post("/admin/reports/revenue-split/rates", data=data)


def test_an_admin_sets_then_replaces_a_months_rate(client, auth, admin_user) -> None:
    auth.login(admin_user.email)
    response = post_rate(client, "2026-03", "10", "35")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "From March 2026 on: PNBP 10%, default maker share 35%." in page
    assert "March 2026" in page and admin_user.email in page

    assert post_rate(client, "2026-03", "12", "30").status_code == 303
    rates = db.session.scalars(select(RevenueSplitRate)).all()
    assert [(r.effective_from, r.pnbp_pct, r.default_maker_share_pct) for r in rates] == [
        (date(2026, 3, 1), 12, 30)
    ]
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "revenue_rate.set").order_by(AuditEntry.id)
    ).all()
    assert [audit.changes_of(e) for e in entries] == [
        {"pnbp_pct": [None, 10], "default_maker_share_pct": [None, 35]},
        {"pnbp_pct": [10, 12], "default_maker_share_pct": [35, 30]},
    ]
    assert {(e.actor_email, e.target_label) for e in entries} == {(admin_user.email, "2026-03")}


@pytest.mark.parametrize(
    ("month", "pnbp", "maker", "message"),
    [
        ("2026-03", "101", "0", "Enter a whole percentage from 0 to 100."),
        ("2026-03", "-1", "30", "Enter a whole percentage from 0 to 100."),
        ("2026-03", "10", "abc", "Enter a whole percentage from 0 to 100."),
        ("2026-03", "60", "41", "PNBP and maker share together can be at most 100%."),
        ("2026-13", "10", "30", "Not a valid date value."),
        ("", "10", "30", "Choose the first month the rate applies to."),
        ("0001-01", "10", "30", "Choose a date between 2000 and 2100."),
    ],
)
def test_bad_rates_are_explained_and_write_nothing(
    client, auth, admin_user, month, pnbp, maker, message
) -> None:
    auth.login(admin_user.email)
    response = post_rate(client, month, pnbp, maker)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(RevenueSplitRate)).all() == []
    assert (
        db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("revenue%"))).all() == []
    )


def test_a_rate_set_by_an_account_loaded_before_a_commit_is_saved(app, admin_user) -> None:
    db.session.commit()  # expires the account, as any earlier change in the request would
    revenue.set_rate(JAN, 10, 30, admin_user)
    rate = db.session.scalars(select(RevenueSplitRate)).one()
    assert (rate.pnbp_pct, rate.set_by) == (10, admin_user.email)


def test_the_service_refuses_shares_over_the_whole(app) -> None:
    with pytest.raises(revenue.InvalidRate):
        revenue.set_rate(JAN, 50, 51, "admin@example.com")
    assert db.session.scalars(select(RevenueSplitRate)).all() == []


@pytest.mark.parametrize(
    "query", ["first=2026-13&last=2026-02", "first=2026-03&last=2026-01", "first=abc",
              "first=0001-01", "first=2000-01&last=2100-12"],
)  # fmt: skip
def test_a_bad_period_is_explained_and_the_last_12_months_shown(client, auth, staff_user, query):
    auth.login(staff_user.email)
    response = client.get(f"/admin/reports/revenue-split?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Showing the last 12 months instead." in page
    assert page.count('class="month-head"') == 12


def test_the_default_period_is_the_last_twelve_months(client, auth, staff_user) -> None:
    assert revenue.default_period(date(2026, 3, 15)) == (date(2025, 4, 1), date(2026, 3, 1))
    auth.login(staff_user.email)
    page = client.get("/admin/reports/revenue-split").get_data(as_text=True)
    assert page.count('class="month-head"') == 12
    assert "Showing the last 12 months instead." not in page


def test_the_csv_has_a_row_per_workshop_and_month(sales, client, auth, staff_user) -> None:
    set_rate(JAN, 10)
    auth.login(staff_user.email)
    response = client.get("/admin/reports/revenue-split.csv?first=2026-01&last=2026-02")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "revenue-split-202601-202602.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [
        ["month", "workshop", "orders", "sales_idr", "maker_share_idr", "pnbp_pct", "pnbp_idr",
         "remainder_idr"],
        ["2026-01", "Rattan workshop", "1", "50000", "25000", "10", "5000", "20000"],
        ["2026-01", "Woodcraft workshop", "2", "450002", "166000", "10", "45000", "239002"],
        ["2026-02", "Rattan workshop", "2", "40000", "20000", "10", "4000", "16000"],
        ["2026-02", "Woodcraft workshop", "2", "490002", "179200", "10", "49000", "261802"],
    ]  # fmt: skip


def test_a_line_whose_product_is_gone_still_counts(sales) -> None:
    db.session.delete(sales["plane"])  # the variant row; the order line keeps its snapshot
    db.session.commit()
    found = table(revenue.revenue_split(JAN, JAN, WIB))
    assert found["2026-01", ""] == (1, 250_000, 100_000, 0, 150_000)
    assert found["2026-01", "TOTAL"][1] == 500_002


def test_the_report_reads_the_period_in_two_queries(sales, count_queries) -> None:
    before = count_queries.count
    revenue.revenue_split(JAN, FEB, WIB)
    assert count_queries.count - before == 2  # the rates, and the period's order lines
