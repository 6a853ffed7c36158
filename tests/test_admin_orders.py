"""The staff's order pages over HTTP: list, filters, CSV, one order and its actions."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from shop.extensions import db
from shop.models import Order, OrderStatus, Variant
from shop.services.money import format_idr
from tests.factories import csrf_from, shop_with_stock
from tests.order_factories import make_order

S = OrderStatus


def rp(amount: int) -> str:
    """Rupiah as the English back office shows them."""
    return format_idr(amount, "en")


@pytest.fixture
def signed_in(client, auth, staff_user):
    auth.login(staff_user.email)
    return client


@pytest.fixture
def variant(app) -> Variant:
    return shop_with_stock(stock=10, price=100_000).variants[0]


@pytest.fixture
def order(variant) -> Order:
    return make_order(variant, quantity=2, created_at=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))


def fresh(order: Order) -> Order:
    db.session.expire_all()
    return db.session.get(Order, order.id)


def page_of(client, order: Order) -> str:
    return client.get(f"/admin/orders/{order.id}").get_data(as_text=True)


REFUND_TOKEN = re.compile(r'name="token"[^>]*value="([^"]+)"')


def act(client, order: Order, action: str, **data):
    """Post an action form from the order page, with that page's CSRF (and refund) token."""
    page = page_of(client, order)
    token = csrf_from(page)
    if action in ("refund", "refund-in-full"):
        found = REFUND_TOKEN.search(page)
        data = {"reason": "Damaged in transit", "token": found.group(1) if found else "x" * 32,
                **data}  # fmt: skip
    url = f"/admin/orders/{order.id}/{action}"
    response = client.post(url, data={"csrf_token": token, **data})
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"].endswith(f"/admin/orders/{order.id}")
    return client.get(response.headers["Location"]).get_data(as_text=True)


def outbox(app: Flask) -> list[email.message.EmailMessage]:
    files = sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]


def test_the_list_shows_orders_and_filters_them(signed_in, variant) -> None:
    march = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
    paid = make_order(variant, quantity=3, email="hanako@example.jp", created_at=march)
    shipped = make_order(variant, quantity=1, status=S.SHIPPED, email="ken@example.co.kr",
                         country="KR", created_at=march.replace(day=5))  # fmt: skip
    page = signed_in.get("/admin/orders").get_data(as_text=True)
    assert page.index(shipped.number) < page.index(paid.number)  # newest first
    assert "hanako@example.jp" in page and rp(350_000) in page and ">Shipped<" in page
    assert f'href="/admin/orders/{paid.id}"' in page
    page = signed_in.get("/admin/orders?status=shipped").get_data(as_text=True)
    assert shipped.number in page and paid.number not in page
    page = signed_in.get("/admin/orders?date_from=2026-03-01&date_to=2026-03-02").get_data(
        as_text=True
    )
    assert paid.number in page and shipped.number not in page
    page = signed_in.get("/admin/orders?q=KEN@example").get_data(as_text=True)
    assert shipped.number in page and paid.number not in page
    assert 'href="/admin/orders/export.csv?q=KEN@example"' in page


@pytest.mark.parametrize(
    "query",
    ["status=lost", "date_from=yesterday", "date_from=2026-03-05&date_to=2026-03-01",
     "q=" + "x" * 300, "page=-3", "page=abc", "page=99"],
)  # fmt: skip
def test_bad_filters_get_a_message_or_an_empty_page_never_an_error(signed_in, order, query):
    response = signed_in.get("/admin/orders?" + query)
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["date_from=0001-01-01", "date_to=9999-12-31"])
def test_dates_far_outside_the_shops_life_are_explained(signed_in, order, query) -> None:
    page = signed_in.get("/admin/orders?" + query)
    assert "Choose a date between 2000 and 2100." in page.get_data(as_text=True)
    assert order.number in page.get_data(as_text=True)  # the filter is left out
    assert signed_in.get("/admin/orders/export.csv?" + query).status_code == 200


def test_a_date_range_that_ends_before_it_starts_is_explained(signed_in, order) -> None:
    page = signed_in.get("/admin/orders?date_from=2026-03-05&date_to=2026-03-01")
    assert "The end date is before the start date." in page.get_data(as_text=True)


def test_the_csv_export_keeps_the_filters(signed_in, variant) -> None:
    paid = make_order(variant, quantity=2, email="hanako@example.jp")
    make_order(variant, quantity=1, status=S.SHIPPED, email="ken@example.co.kr")
    response = signed_in.get("/admin/orders/export.csv?status=paid")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="orders-')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["number", "created_at", "status", "email"]
    assert len(rows) == 2
    assert rows[1][0] == paid.number
    assert rows[1][5:10] == ["200000", "50000", "250000", "0", f"{variant.sku}×2"]


def test_the_order_page_shows_lines_address_payment_history_and_possible_actions(
    signed_in, order
) -> None:
    page = page_of(signed_in, order)
    for text in (order.number, order.lines[0].sku, rp(250_000), "1-2-3 Jingumae", "pi_test_1",
                 "Order placed", "Mark packed", "Cancel order", "Amount to refund"):  # fmt: skip
        assert text in page, text
    assert 'value="250000"' not in page  # staff type the amount themselves: nothing prefilled
    assert "Mark shipped" not in page and "Mark delivered" not in page


def test_staff_pack_ship_and_deliver_and_the_customer_gets_the_tracking_number(
    signed_in, order, app, staff_user
) -> None:
    page = act(signed_in, order, "packed")
    assert "is packed" in page
    page = act(signed_in, order, "shipped", carrier="POS Indonesia", tracking_number="EE1234ID")
    assert "the customer was emailed" in page
    mails = outbox(app)
    assert len(mails) == 1
    assert mails[0]["To"] == "aiko@example.jp"
    assert "on its way" in mails[0]["Subject"]
    body = mails[0].get_body(("plain",)).get_content()
    assert "EE1234ID" in body and "POS Indonesia" in body
    assert f"/orders/{order.token}" in body
    page = act(signed_in, order, "delivered")
    order = fresh(order)
    assert order.status == S.DELIVERED
    assert [e.actor for e in order.events[1:]] == [staff_user.email] * 3
    assert "Nothing left to do" not in page  # a delivered order can still be refunded


def test_cancelling_needs_the_tick_then_returns_the_stock(signed_in, order, variant) -> None:
    page = act(signed_in, order, "cancel", note="Customer asked")
    assert "Tick the box to confirm the cancellation." in page
    assert fresh(order).status == S.PAID
    page = act(signed_in, order, "cancel", note="Customer asked", confirm="y")
    assert "is cancelled" in page and "refund it below" in page
    db.session.expire_all()
    assert fresh(order).status == S.CANCELLED
    assert db.session.scalar(select(Variant.stock).where(Variant.id == variant.id)) == 10


def test_a_partial_then_a_full_refund_through_the_demo_gateway(signed_in, order) -> None:
    page = act(signed_in, order, "refund", amount="Rp 50.000")
    assert f"Refunded {rp(50_000)}" in page
    assert f"Refunded so far: {rp(50_000)} of {rp(250_000)}" in page
    act(signed_in, order, "refund", amount="200000")
    order = fresh(order)
    assert (order.status, order.refunded_idr) == (S.REFUNDED, 250_000)


@pytest.mark.parametrize(
    ("amount", "message"),
    [("0", "Enter an amount between IDR\xa01 and IDR\xa0250,000."),
     ("-5", "Enter the amount in whole rupiah"),
     ("250001", "Enter an amount between IDR\xa01 and IDR\xa0250,000."),
     ("12.5", "Enter the amount in whole rupiah"),
     ("ten", "Enter the amount in whole rupiah"),
     ("", "Enter the amount to refund.")],
)  # fmt: skip
def test_bad_refund_amounts_are_explained_and_change_nothing(signed_in, order, amount, message):
    page = act(signed_in, order, "refund", amount=amount)
    assert message in page
    order = fresh(order)
    assert (order.status, order.refunded_idr, len(order.events)) == (S.PAID, 0, 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [({"carrier": "DHL", "tracking_number": ""}, "Enter the tracking number."),
     ({"carrier": "", "tracking_number": "JD1"}, "Enter the carrier"),
     ({"carrier": "DHL", "tracking_number": "   "}, "Enter the tracking number.")],
)  # fmt: skip
def test_shipping_without_carrier_or_tracking_is_explained(signed_in, variant, data, message):
    order = make_order(variant, status=S.PACKED)
    page = act(signed_in, order, "shipped", **data)
    assert message in page
    assert fresh(order).status == S.PACKED


def test_a_move_the_order_cannot_make_is_explained_and_changes_nothing(signed_in, variant):
    order = make_order(variant, status=S.PENDING_PAYMENT, payment_intent=None)
    page = act(signed_in, order, "shipped", carrier="DHL", tracking_number="JD1")
    assert "This order is Awaiting payment, so it can&#39;t be marked Shipped." in page
    page = act(signed_in, order, "delivered")
    assert "can&#39;t be marked Delivered" in page
    page = act(signed_in, order, "refund", amount="1000")
    assert "never paid" in page
    order = fresh(order)
    assert (order.status, len(order.events)) == (S.PENDING_PAYMENT, 1)


def test_an_unknown_order_is_a_404(signed_in, order) -> None:
    assert signed_in.get("/admin/orders/999999").status_code == 404
    token = csrf_from(page_of(signed_in, order))
    response = signed_in.post("/admin/orders/999999/packed", data={"csrf_token": token})
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["packed", "shipped", "delivered", "cancel", "refund"])
def test_actions_need_the_csrf_token(signed_in, order, action) -> None:
    data = {"carrier": "DHL", "tracking_number": "JD1", "confirm": "y", "amount": "1000"}
    response = signed_in.post(f"/admin/orders/{order.id}/{action}", data=data)
    assert response.status_code in (303, 400)
    page = signed_in.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert response.status_code == 400 or "The form expired" in page
    order = fresh(order)
    assert (order.status, order.refunded_idr, len(order.events)) == (S.PAID, 0, 1)


def test_the_dashboard_links_orders_waiting_to_be_packed(signed_in, order) -> None:
    page = signed_in.get("/admin/").get_data(as_text=True)
    assert f'href="/admin/orders/{order.id}"' in page
    detail = signed_in.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert order.number in detail and "Mark packed" in detail


def test_the_customer_order_page_shows_the_carrier_and_tracking_number(app, order) -> None:
    order.carrier, order.tracking_number = "Pos Indonesia EMS", "EE123456789ID"
    db.session.commit()
    page = app.test_client().get(f"/orders/{order.token}").get_data(as_text=True)
    assert "Sent with Pos Indonesia EMS, tracking number EE123456789ID." in page
