"""Discount codes: what they take off, where buyers see it, and how their uses are counted."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import Cart, DiscountCode, Order, OrderStatus
from shop.services.ordering import discounts, orders
from shop.services.ordering import status as order_status
from tests.discount_helpers import cart_with, make_code, place
from tests.factories import csrf_from, make_product, shop_with_stock
from tests.test_cart import add, cart_page
from tests.test_checkout import checkout, pay_demo


@pytest.fixture
def basket(app):
    return shop_with_stock(stock=10)  # Rp150.000 a piece, shipping to JP Rp350.000


def uses(code: DiscountCode) -> int:
    db.session.expire_all()
    return db.session.get(DiscountCode, code.id).uses


def apply(client, code: str):
    token = csrf_from(cart_page(client))
    return client.post("/cart/discount", data={"code": code, "csrf_token": token})


def stored_code() -> str | None:
    db.session.expire_all()
    return db.session.scalar(select(Cart.discount_code))


# Pricing ---------------------------------------------------------------------------------


def test_a_percentage_is_floored_and_spread_over_the_lines_to_the_rupiah() -> None:
    # 600.6, 300.3 and 100.1: the rupiah left over goes to the largest fraction
    assert discounts.spread(1001, [300_000, 150_000, 50_001]) == [601, 300, 100]
    assert discounts.spread(15, [3, 5, 7]) == [3, 5, 7]
    assert discounts.spread(0, [1, 2]) == [0, 0]


def test_codes_are_found_in_any_case_and_spacing(basket) -> None:
    make_code("GARUDA10")
    for typed in ("garuda10", " Garuda 10 ", "GARUDA10"):
        assert discounts.find(typed).code == "GARUDA10"
    assert discounts.normalize("spring sale 5") == "SPRINGSALE5"


def test_a_fixed_amount_never_exceeds_the_lines_it_applies_to(basket) -> None:
    make_code("BIG", amount=1_000_000)
    lines = [discounts.PricedLine(basket.category_id, 150_000)]
    applied = discounts.evaluate("big", lines, 150_000)
    assert applied.amount_idr == 150_000 and applied.line_amounts == (150_000,)


def test_a_code_limited_to_a_category_discounts_only_its_lines(basket) -> None:
    other = make_product("Teak bowl", category=_category("tableware"), workshop=basket.workshop,
                         prices=(100_000,))  # fmt: skip
    make_code("RATTAN20", percent=20, categories=(basket.category,))
    lines = [discounts.PricedLine(basket.category_id, 300_000),
             discounts.PricedLine(other.category_id, 100_000)]  # fmt: skip
    applied = discounts.evaluate("RATTAN20", lines, 400_000)
    assert applied.amount_idr == 60_000 and applied.line_amounts == (60_000, 0)
    with pytest.raises(discounts.DiscountRefused) as refused:
        discounts.evaluate("RATTAN20", lines[1:], 100_000)
    assert refused.value.reason == "not_applicable"


def _category(slug: str):
    from tests.factories import make_category

    return make_category(slug, slug.title())


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"paused": True}, "paused"),
        ({"starts_at": datetime.now(UTC) + timedelta(days=1)}, "not_started"),
        ({"ends_at": datetime.now(UTC) - timedelta(minutes=1)}, "expired"),
        ({"max_uses": 2, "uses": 2}, "used_up"),
        ({"min_subtotal_idr": 500_000}, "below_minimum"),
    ],
)
def test_a_code_that_cannot_be_used_says_why(basket, settings, reason) -> None:
    make_code("NOPE", **settings)
    lines = [discounts.PricedLine(basket.category_id, 300_000)]
    with pytest.raises(discounts.DiscountRefused) as refused:
        discounts.evaluate("nope", lines, 300_000)
    assert refused.value.reason == reason
    with pytest.raises(discounts.DiscountRefused) as unknown:
        discounts.evaluate("NOSUCHCODE", lines, 300_000)
    assert unknown.value.reason == "unknown"


# The cart ------------------------------------------------------------------------------


def test_the_buyer_applies_a_code_in_the_cart_and_sees_it_in_the_totals(client, basket) -> None:
    make_code("GARUDA10")
    add(client, basket.variants[0].sku, "2")
    response = apply(client, "garuda10")
    assert response.status_code == 303
    page = cart_page(client)
    assert "Discount code GARUDA10 applied: IDR\xa030,000 off." in page
    assert "Discount (GARUDA10)" in page and "−IDR\xa030,000" in page
    assert stored_code() == "GARUDA10"

    token = csrf_from(page)
    client.post("/cart/discount/remove", data={"csrf_token": token})
    assert "Discount (GARUDA10)" not in cart_page(client)
    assert stored_code() is None


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"ends_at": datetime.now(UTC) - timedelta(hours=1)}, "That discount code has expired."),
        ({"max_uses": 1, "uses": 1}, "That discount code has been used up."),
        ({"min_subtotal_idr": 1_000_000}, "needs an order of at least IDR\xa01,000,000."),
        ({"paused": True}, "That discount code cannot be used at the moment."),
    ],
)
def test_a_refused_code_is_explained_and_changes_nothing(client, basket, settings, message):
    make_code("LIMITED", **settings)
    add(client, basket.variants[0].sku, "1")
    before = cart_page(client)
    apply(client, "limited")
    page = cart_page(client)
    assert message in page
    assert stored_code() is None
    assert "Discount (LIMITED)" not in page
    assert before.count("IDR\xa0150,000") == page.count("IDR\xa0150,000")


def test_an_unknown_code_or_a_missing_token_changes_nothing(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    apply(client, "WHATEVER")
    assert "know that discount code. Please check it" in cart_page(client)
    assert client.post("/cart/discount", data={"code": "X"}).status_code in (302, 303, 400)
    assert stored_code() is None
    too_long = apply(client, "A" * 5000)
    assert too_long.status_code == 303 and stored_code() is None


def test_a_code_that_lapses_after_it_was_applied_stops_checkout(client, basket) -> None:
    code = make_code("GARUDA10")
    add(client, basket.variants[0].sku, "1")
    apply(client, "GARUDA10")
    code.ends_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    assert "That discount code has expired." in cart_page(client)
    response = checkout(client)
    assert response.headers["Location"].endswith("/cart")
    assert "That discount code has expired." in cart_page(client)
    assert db.session.scalar(select(Order)) is None and uses(code) == 0


# Orders --------------------------------------------------------------------------------


def test_the_order_keeps_the_code_the_discount_and_each_lines_part(basket) -> None:
    code = make_code("GARUDA10")
    order = place(cart_with(basket.variants[0].id, 3, "GARUDA10"))
    assert (order.subtotal_idr, order.discount_idr, order.shipping_idr, order.total_idr) == (
        450_000, 45_000, 480_000, 885_000,
    )  # fmt: skip
    assert order.discount_code == "GARUDA10" and order.discount_code_id == code.id
    assert [line.discount_idr for line in order.lines] == [45_000]
    assert order.lines[0].paid_idr == 405_000
    assert uses(code) == 1 and order.discount_use_held


def test_the_per_email_limit_counts_the_buyers_earlier_orders_in_any_case(basket) -> None:
    code = make_code("ONCE", max_uses_per_email=1)
    place(cart_with(basket.variants[0].id, 1, "ONCE"), "Aiko@Example.jp")
    with pytest.raises(orders.DiscountNotAvailable) as refused:
        place(cart_with(basket.variants[0].id, 1, "ONCE"), "aiko@example.jp")
    assert refused.value.refused.reason == "used_by_you"
    assert db.session.query(Order).count() == 1 and uses(code) == 1
    place(cart_with(basket.variants[0].id, 1, "ONCE"), "min-ji@example.kr")
    assert uses(code) == 2


@pytest.mark.parametrize("to", [OrderStatus.EXPIRED, OrderStatus.CANCELLED])
def test_an_order_that_lapses_unpaid_gives_its_use_back(basket, to) -> None:
    code = make_code("LAST", max_uses=1)
    order = place(cart_with(basket.variants[0].id, 1, "LAST"))
    assert uses(code) == 1
    with pytest.raises(orders.DiscountNotAvailable):
        place(cart_with(basket.variants[0].id, 1, "LAST"), "min-ji@example.kr")
    assert orders.give_up(order.id, to, actor="system", note="lapsed")
    assert uses(code) == 0
    second = place(cart_with(basket.variants[0].id, 1, "LAST"), "min-ji@example.kr")
    assert second.discount_idr == 15_000 and uses(code) == 1


def test_a_paid_order_keeps_its_use_and_a_late_payment_takes_it_again(basket) -> None:
    code = make_code("LAST", max_uses=1)
    order = place(cart_with(basket.variants[0].id, 1, "LAST"))
    orders.give_up(order.id, OrderStatus.EXPIRED, actor="system", note="window closed")
    assert uses(code) == 0
    locked = order_status.lock(order.id)
    order_status.pay(locked, actor="gateway:demo", note="Payment received")
    db.session.commit()
    assert uses(code) == 1 and fresh_order(order.id).discount_use_held
    locked = order_status.lock(order.id)  # staff cancel a paid order: the use stays taken
    order_status.move(locked, OrderStatus.CANCELLED, actor="staff", note="cancelled")
    db.session.commit()
    assert uses(code) == 1


def fresh_order(order_id: int) -> Order:
    db.session.expire_all()
    return db.session.get(Order, order_id)


def test_the_discount_shows_on_the_payment_page_order_page_mail_and_invoice(
    client, basket, app
) -> None:
    make_code("GARUDA10")
    add(client, basket.variants[0].sku, "2")
    apply(client, "GARUDA10")
    checkout_page = client.get("/checkout").get_data(as_text=True)
    assert "Discount (GARUDA10)" in checkout_page and "−IDR\xa030,000" in checkout_page
    redirect = checkout(client)
    demo = client.get(redirect.headers["Location"]).get_data(as_text=True)
    assert "Discount (GARUDA10)" in demo and "IDR\xa0620,000" in demo
    done = pay_demo(client, redirect)
    order = db.session.scalar(select(Order))
    assert order.status == OrderStatus.PAID and order.total_idr == 620_000
    confirmation = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Discount (GARUDA10)" in confirmation and "−IDR\xa030,000" in confirmation
    order_page = client.get(f"/orders/{order.token}").get_data(as_text=True)
    assert "Discount (GARUDA10)" in order_page and "−IDR\xa030,000" in order_page
    assert stored_code() is None  # the paid cart starts afresh

    mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
             for p in Path(app.config["MAIL_OUTBOX"]).glob("*.eml")]  # fmt: skip
    buyer = next(m for m in mails if m["To"] == "aiko@example.jp")
    assert "Discount (GARUDA10): −IDR\xa030,000" in buyer.get_body(("plain",)).get_content()
    assert "Discount (GARUDA10)" in buyer.get_body(("html",)).get_content()

    from tests.test_documents import pdf_text, squash

    invoice = client.get(f"/orders/{order.token}/invoice.pdf")
    text = squash(pdf_text(invoice.data))
    assert squash("Discount (GARUDA10)") in text and squash("−IDR 30,000") in text
    assert squash("IDR 620,000") in text


def test_the_revenue_split_counts_the_price_paid_after_the_discount(basket) -> None:
    from shop.services.clock import shop_timezone
    from shop.services.reporting import revenue

    basket.maker_share_pct = 40
    db.session.commit()
    make_code("HALF", percent=50)
    order = place(cart_with(basket.variants[0].id, 2, "HALF"))  # 300.000 - 150.000
    locked = order_status.lock(order.id)
    order_status.pay(locked, actor="gateway:demo", note="Payment received")
    db.session.commit()
    month = datetime.now(shop_timezone()).date()
    report = revenue.revenue_split(month, month, shop_timezone())
    assert report.total.sales_idr == 150_000
    assert report.total.maker_share_idr == 60_000  # 40 % of what was paid, not of 300.000


def test_a_code_entered_as_a_guest_survives_signing_in(app, basket) -> None:
    from shop.services.accounts import customers as accounts

    make_code("GARUDA10")
    customer = accounts.register("aiko@example.jp", "a long enough password 1", name="Aiko")
    account = accounts.new_account_cart(customer.id)
    db.session.commit()
    guest = cart_with(basket.variants[0].id, 1, "GARUDA10")
    merged = accounts.merge_guest_cart(customer, guest.token)
    assert merged.cart.id == account.id and merged.cart.discount_code == "GARUDA10"


def test_the_cart_speaks_japanese_and_korean_about_codes(client, basket) -> None:
    """Needs the merged ja/ko catalogs (strings in /tmp/kb/po/discount.json)."""
    make_code("GARUDA10")
    add(client, basket.variants[0].sku, "1")
    token = csrf_from(cart_page(client))
    client.post("/cart/discount?lang=ko", data={"code": "nope", "csrf_token": token})
    assert "확인되지 않는 할인 코드입니다." in client.get("/cart?lang=ko").get_data(as_text=True)
    client.post("/cart/discount?lang=ja", data={"code": "garuda10", "csrf_token": token})
    page = client.get("/cart?lang=ja").get_data(as_text=True)
    assert "割引（GARUDA10）" in page and "割引コードを取り消す" in page
