"""What each order pays the makers, per workshop, on every surface the buyer sees.

The worked example: an order of 2 teak bowls (Rp100.001, 33%) and a plane (Rp250.000, 40%)
from the woodcraft workshop and a rattan basket (Rp50.000, 50%), Rp70.001 refunded. The
refund comes off the goods pro rata to each line's total: Rp28.001, Rp35.000 and Rp7.000
(the rupiah left by rounding goes to the bowls, the largest fraction). Wages: woodcraft
⌊172.001 × 33% + 215.000 × 40%⌋ = Rp142.760; rattan 43.000 × 50% = Rp21.500.
"""

from __future__ import annotations

from datetime import date

import pytest

from shop.extensions import db
from shop.models import ExchangeRate, OrderStatus, Product, QuoteRequest
from shop.services.impact.orders import order_impact
from shop.services.money import format_idr
from shop.services.ordering import mail as notifications
from shop.services.reporting import revenue
from shop.services.reporting.revenue import spread_refund
from tests.factories import csrf_from
from tests.impact_factories import paid_order, shop_of_two_workshops, utc
from tests.test_documents import pdf_text, squash

WOOD, RATTAN = 142_760, 21_500


class Recorder:
    """A mailer that keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list = []

    def send(self, message) -> None:
        """Keep the message."""
        self.sent.append(message)


@pytest.fixture
def order(app):
    """The worked example, paid on 5 October 2026 (Jakarta), partially refunded."""
    shop = shop_of_two_workshops()
    db.session.add(ExchangeRate(currency="USD", idr_per_unit_e4=160_000_000, updated_by="t"))
    db.session.add(ExchangeRate(currency="JPY", idr_per_unit_e4=1_080_000, updated_by="t"))
    db.session.commit()
    return paid_order(
        [(shop["bowl"], 2), (shop["plane"], 1), (shop["basket"], 1)],
        utc(2026, 10, 5, 4),
        refunded=70_001,
        status=OrderStatus.PARTIALLY_REFUNDED,
    )


def rp(amount: int) -> str:
    return format_idr(amount, "en")


def test_a_partial_refund_comes_off_each_line_pro_rata_to_its_total() -> None:
    assert spread_refund([200_002, 250_000, 50_000], 70_001) == [172_001, 215_000, 43_000]
    # A refund that also returned the shipping stops at the goods.
    assert spread_refund([200_002, 250_000, 50_000], 600_000) == [0, 0, 0]


def test_the_order_pays_each_workshop_its_promised_share_net_of_the_refund(order) -> None:
    impact = order_impact(order)
    assert [(e.name, e.slug, e.wages_idr) for e in impact.workshops] == [
        ("Rattan workshop", "rattan", RATTAN),
        ("Woodcraft workshop", "woodcraft", WOOD),
    ]
    assert impact.total_idr == WOOD + RATTAN and impact.refunded


def test_the_products_share_changing_later_does_not_change_what_the_order_pays(order) -> None:
    for product in db.session.query(Product):
        product.maker_share_pct = 5
    db.session.commit()
    assert order_impact(order).total_idr == WOOD + RATTAN


def test_the_staff_report_counts_the_same_wages_to_the_rupiah(order) -> None:
    report = revenue.revenue_split(date(2026, 10, 1), date(2026, 10, 1), revenue_tz())
    rows = {row.workshop_name: row.split for row in report.months[0].rows}
    assert rows["Woodcraft workshop"].maker_share_idr == WOOD
    assert rows["Rattan workshop"].maker_share_idr == RATTAN
    assert rows["Woodcraft workshop"].pieces == 3 and rows["Rattan workshop"].pieces == 1


def revenue_tz():
    from shop.services import clock

    return clock.shop_timezone()


def test_the_order_page_and_confirmation_show_the_wages_and_link_the_stories(client, order):
    for url in (f"/orders/{order.token}", f"/checkout/done/{order.token}"):
        page = client.get(url, headers={"Cookie": "currency=USD"}).get_data(as_text=True)
        block = page[page.index("data-order-impact") :]
        assert f'data-wages="{WOOD}"' in block and rp(WOOD) in block
        assert f'data-wages="{RATTAN}"' in block and rp(RATTAN) in block
        assert f'data-wages-total="{WOOD + RATTAN}"' in block
        assert 'href="/workshops/woodcraft"' in block and 'href="/workshops/rattan"' in block
        assert "≈" in block.split("data-wages-total")[0]  # the approximate value in dollars


def test_a_full_refund_leaves_no_wages(client, order) -> None:
    order.refunded_idr, order.status = order.total_idr, OrderStatus.REFUNDED
    db.session.commit()
    assert order_impact(order).total_idr == 0


def test_a_cancelled_order_shows_no_wages(client, order) -> None:
    order.status = OrderStatus.CANCELLED
    db.session.commit()
    assert order_impact(order) is None
    assert "data-order-impact" not in client.get(f"/orders/{order.token}").get_data(as_text=True)


def test_the_order_mails_show_the_wages_with_links(app, order) -> None:
    mailer = Recorder()
    with app.test_request_context():
        notifications.send_order_confirmation(mailer, order, "https://shop.test/orders/x")
        notifications.send_refund_notice(mailer, order, 70_001, "https://shop.test/orders/x")
        order.carrier, order.tracking_number = "JNE", "JNE123"
        notifications.send_order_shipped(mailer, order, "https://shop.test/orders/x")
    assert len(mailer.sent) == 3
    for message in mailer.sent:
        for body in (message.text, message.html):
            assert rp(WOOD) in body and rp(RATTAN) in body
            assert "/workshops/woodcraft" in body and "/workshops/rattan" in body
            assert "≈" in body.split(rp(WOOD))[1][:80]  # yen beside the rupiah (sent to JP)


def test_the_invoice_shows_the_wages(client, order) -> None:
    response = client.get(f"/orders/{order.token}/invoice.pdf")
    assert response.status_code == 200
    text = squash(pdf_text(response.data))
    assert squash(rp(WOOD)) in text and squash(rp(RATTAN)) in text
    assert "Woodcraftworkshop" in text and "/workshops/woodcraft" in text


def _quote_order(app, product_id: int | None):
    from shop.models import Order, OrderLine

    order = Order(
        number="KB-Q-1", token="quote-order-token", email="sari@example.co.id",
        status=OrderStatus.PAID, subtotal_idr=1_000_000, shipping_idr=0, total_idr=1_000_000,
        shipping_country="ID", shipping_zone="ID", paid_at=utc(2026, 10, 6, 4),
        lines=[OrderLine(variant_id=None, product_name="Boeing 737 — Garuda",
                         option_label="1:100 · Q-1", sku="QUOTE-Q-1", unit_price_idr=100_000,
                         quantity=10, maker_share_pct=30)],
    )  # fmt: skip
    db.session.add(order)
    db.session.flush()
    db.session.add(
        QuoteRequest(
            number="Q-1",
            token="quote-token",
            organisation="Garuda",
            contact_name="Sari",
            email="sari@example.co.id",
            country="ID",
            aircraft_type="Boeing 737",
            livery="Garuda",
            scale="1:100",
            quantity=10,
            wanted_by=date(2027, 1, 1),
            product_id=product_id,
            order_id=order.id,
        )  # fmt: skip
    )
    db.session.commit()
    return order


def test_a_quote_order_counts_under_its_products_workshop(app, order) -> None:
    plane = db.session.query(Product).filter_by(name="Boeing 737 model").one()
    quote_order = _quote_order(app, plane.id)
    impact = order_impact(quote_order)
    assert [(e.slug, e.wages_idr) for e in impact.workshops] == [("woodcraft", 300_000)]
    report = revenue.revenue_split(date(2026, 10, 1), date(2026, 10, 1), revenue_tz())
    rows = {row.workshop_name: row.split for row in report.months[0].rows}
    assert rows["Woodcraft workshop"].maker_share_idr == WOOD + 300_000


def test_a_quote_without_a_product_is_made_to_order(client, order) -> None:
    quote_order = _quote_order(client.application, None)
    impact = order_impact(quote_order)
    assert [(e.workshop_id, e.wages_idr) for e in impact.workshops] == [(None, 300_000)]
    page = client.get(f"/orders/{quote_order.token}").get_data(as_text=True)
    assert "Made to order" in page[page.index("data-order-impact") :]


def test_one_order_across_two_workshops_with_a_partial_refund_is_right_on_every_surface(
    app, client, auth, admin_user, order
) -> None:
    """The worked example on the confirmation, order page, mails, invoice, staff report and
    /impact: Rp142.760 to the woodcraft makers and Rp21.500 to the rattan makers."""
    app.config["IMPACT_MIN_SALES"] = 1
    wages = {"woodcraft": WOOD, "rattan": RATTAN}

    def has_both(text: str) -> bool:
        return all(squash(rp(amount)) in squash(text) for amount in wages.values())

    for url in (f"/checkout/done/{order.token}", f"/orders/{order.token}"):
        page = client.get(url).get_data(as_text=True)
        block = page[page.index("data-order-impact") :]
        for slug, amount in wages.items():
            assert f'href="/workshops/{slug}"' in block and f'data-wages="{amount}"' in block
    mailer = Recorder()
    with app.test_request_context():
        notifications.send_order_confirmation(mailer, order, "https://shop.test/o")
        notifications.send_refund_notice(mailer, order, 70_001, "https://shop.test/o")
    assert all(has_both(m.text) and has_both(m.html) for m in mailer.sent)
    assert has_both(pdf_text(client.get(f"/orders/{order.token}/invoice.pdf").data))

    auth.login(admin_user.email)
    staff = client.get("/admin/reports/revenue-split?first=2026-10&last=2026-10")
    staff_page = staff.get_data(as_text=True)
    assert f'data-owed="{WOOD}"' in staff_page and f'data-owed="{RATTAN}"' in staff_page
    token = csrf_from(staff_page)
    published = client.post(
        "/admin/reports/revenue-split/approve", data={"csrf_token": token, "month": "2026-10"}
    )
    assert published.status_code == 303
    impact = client.get("/impact").get_data(as_text=True)
    rows = impact[impact.index("data-impact-rows") :]
    assert has_both(rows) and rp(WOOD + RATTAN) in impact[impact.index("data-impact-total") :]
