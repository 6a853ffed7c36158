"""Checkout with the demo gateway: order, payment, stock, cart, confirmation, cancel."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import Cart, CartLine, Order, OrderStatus, Variant
from shop.services.ordering import expiry, orders
from tests.factories import csrf_from, shop_with_stock
from tests.test_cart import add


@pytest.fixture
def basket(app):
    return shop_with_stock(stock=5)


def stock_of(product) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Variant.stock).where(Variant.id == product.variants[0].id))


def checkout(client, email="aiko@example.jp", country="JP"):
    page = client.get("/checkout").get_data(as_text=True)
    return client.post(
        "/checkout", data={"email": email, "country": country, "csrf_token": csrf_from(page)}
    )


def pay_demo(client, redirect):
    page = client.get(redirect.headers["Location"]).get_data(as_text=True)
    assert "No money moves" in page
    return client.post(
        redirect.headers["Location"],
        data={"name": "Aiko Tanaka", "line1": "1-2-3 Jingumae", "city": "Tokyo",
              "postal_code": "150-0001", "csrf_token": csrf_from(page)},
    )  # fmt: skip


def test_guest_checkout_and_demo_payment_end_to_end(client, basket, app) -> None:
    add(client, basket.variants[0].sku, "2")
    redirect = checkout(client)
    assert redirect.status_code == 303
    assert "/demo-pay/demo_cs_" in redirect.headers["Location"]
    order = db.session.scalar(select(Order))
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert stock_of(basket) == 3  # reserved when the order was created
    assert (order.subtotal_idr, order.shipping_idr, order.total_idr) == (300_000, 350_000, 650_000)

    done = pay_demo(client, redirect)
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert re.search(r"KB-\d{4}-\d{6}", page)
    assert ">Paid<" in page
    db.session.expire_all()
    assert order.status == OrderStatus.PAID
    assert order.ship_city == "Tokyo"
    assert [e.to_status for e in order.events] == ["pending_payment", "paid"]
    assert db.session.query(CartLine).count() == 0
    assert stock_of(basket) == 3

    order_page = client.get(f"/orders/{order.token}").get_data(as_text=True)
    assert order.number in order_page and ">Paid<" in order_page
    outbox = list(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))
    assert len(outbox) == 2  # the buyer's confirmation and the staff notice
    mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in outbox]
    confirmation = next(m for m in mails if m["To"] == "aiko@example.jp")
    assert f"/orders/{order.token}" in confirmation.get_body(("plain",)).get_content()


def test_the_success_page_alone_never_marks_an_order_paid(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    checkout(client)
    order = db.session.scalar(select(Order))
    page = client.get(f"/checkout/done/{order.token}").get_data(as_text=True)
    assert "Processing payment" in page
    db.session.expire_all()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_cancelling_on_the_payment_page_keeps_the_cart_and_returns_the_stock(
    client, basket
) -> None:
    add(client, basket.variants[0].sku, "2")
    redirect = checkout(client)
    page = client.get(redirect.headers["Location"]).get_data(as_text=True)
    cancel = re.search(r'action="(/demo-pay/[^"]+/cancel)"', page).group(1)
    tokens = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    back = client.post(cancel, data={"csrf_token": tokens[-1]})
    cart = client.get(client.get(back.headers["Location"]).headers["Location"])
    text = cart.get_data(as_text=True)
    assert "Payment cancelled" in text and "Rattan basket" in text
    order = db.session.scalar(select(Order))
    assert order.status == OrderStatus.CANCELLED
    assert stock_of(basket) == 5
    assert db.session.query(CartLine).one().quantity == 2


def test_checking_out_an_empty_cart_is_refused(client, basket) -> None:
    response = client.get("/checkout")
    assert response.status_code == 303
    assert "Your cart is empty" in client.get("/cart").get_data(as_text=True)


def test_a_checkout_posted_after_the_cart_was_emptied_elsewhere_places_nothing(
    client, basket
) -> None:
    add(client, basket.variants[0].sku, "1")
    page = client.get("/checkout").get_data(as_text=True)
    db.session.query(CartLine).delete()  # emptied in another tab
    db.session.commit()
    response = client.post("/checkout", data={"email": "aiko@example.jp", "country": "JP",
                                              "csrf_token": csrf_from(page)})  # fmt: skip
    assert response.status_code == 303 and response.headers["Location"].endswith("/cart")
    assert "Your cart is empty" in client.get("/cart").get_data(as_text=True)
    assert db.session.query(Order).count() == 0 and stock_of(basket) == 5


def test_an_item_that_sold_out_meanwhile_stops_checkout(client, basket) -> None:
    add(client, basket.variants[0].sku, "2")
    basket.variants[0].stock = 1
    db.session.commit()
    response = checkout(client)
    assert response.headers["Location"].endswith("/cart")
    assert db.session.query(Order).count() == 0
    assert stock_of(basket) == 1


@pytest.mark.parametrize(
    ("email", "country"), [("not-an-email", "JP"), ("", "JP"), ("a@b.co", "XX"), ("a@b.co", "")]
)
def test_bad_checkout_fields_get_a_message_and_create_nothing(client, basket, email, country):
    add(client, basket.variants[0].sku, "1")
    response = checkout(client, email=email, country=country)
    assert response.status_code == 200
    assert 'class="field-error"' in response.get_data(as_text=True)
    assert db.session.query(Order).count() == 0


def test_orders_above_the_card_limit_are_sent_to_a_quote(client, basket, app) -> None:
    app.config["CARD_LIMIT_IDR"] = 400_000
    add(client, basket.variants[0].sku, "2")
    response = checkout(client)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "paid by bank transfer against a quote" in page
    assert db.session.query(Order).count() == 0


def test_a_refused_checkout_leaves_the_carts_destination_as_it_was(client, basket, app) -> None:
    app.config["CARD_LIMIT_IDR"] = 400_000
    add(client, basket.variants[0].sku, "2")
    checkout(client, country="US")
    cart = db.session.scalar(select(Cart))
    db.session.refresh(cart)
    assert cart.shipping_country is None


def test_made_to_order_items_can_be_bought_beyond_stock(client, app) -> None:
    product = shop_with_stock(stock=1, made_to_order=True)
    add(client, product.variants[0].sku, "3")
    checkout(client)
    order = db.session.scalar(select(Order))
    assert order.lines[0].reserved_quantity == 1
    assert stock_of(product) == 0
    orders.give_up(order.id, OrderStatus.CANCELLED, actor="test", note="")
    assert stock_of(product) == 1


def test_an_unknown_order_token_is_a_404(client, basket) -> None:
    assert client.get("/orders/guessed-token").status_code == 404
    assert client.get("/checkout/done/guessed-token").status_code == 404
    assert client.get("/demo-pay/demo_cs_guess").status_code == 404


def test_overdue_orders_expire_and_return_their_stock(client, basket) -> None:
    from datetime import UTC, datetime, timedelta

    add(client, basket.variants[0].sku, "2")
    checkout(client)
    assert expiry.expire_overdue(datetime.now(UTC) + timedelta(hours=1)) == 1
    assert db.session.scalar(select(Order)).status == OrderStatus.EXPIRED
    assert stock_of(basket) == 5


def test_paying_twice_for_one_order_changes_nothing(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    redirect = checkout(client)
    pay_demo(client, redirect)
    again = client.get(redirect.headers["Location"])
    assert again.status_code == 303  # the demo page sends a paid order to its confirmation
    order = db.session.scalar(select(Order))
    assert [e.to_status for e in order.events] == ["pending_payment", "paid"]


def test_csrf_is_required_on_checkout_and_demo_payment(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    response = client.post("/checkout", data={"email": "a@b.co", "country": "JP"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert db.session.query(Order).count() == 0


def test_the_checkout_page_shows_shipping_and_the_total_for_the_carts_country(
    client, basket
) -> None:
    from tests.test_cart import token_for

    add(client, basket.variants[0].sku, "1")
    before = client.get("/checkout").get_data(as_text=True)
    assert "Shipping is added for the country you choose." in before and "data-total" not in before

    client.post("/cart/destination", data={"country": "JP", "csrf_token": token_for(client)})
    page = client.get("/checkout?lang=ja").get_data(as_text=True)

    assert re.search(r"data-shipping>IDR\xa0350,000", page)
    assert re.search(r"data-total>IDR\xa0500,000", page)  # 150,000 + 350,000
    assert "東アジア" in page  # the zone in the buyer's language
    assert re.search(r'data-delivery data-delivery-min="6" data-delivery-max="12"', page)
    assert "日本への送料です。" in page


def test_the_demo_page_refuses_a_payment_once_the_window_closed(client, basket) -> None:
    """As Stripe's page does, even before any expiry sweep ran: the stock goes back."""
    add(client, basket.variants[0].sku, "2")
    redirect = checkout(client)
    page = client.get(redirect.headers["Location"]).get_data(as_text=True)
    order = db.session.scalar(select(Order))
    order.payment_expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()

    paid = client.post(
        redirect.headers["Location"],
        data={"name": "Aiko Tanaka", "line1": "1-2-3 Jingumae", "city": "Tokyo",
              "postal_code": "150-0001", "csrf_token": csrf_from(page)},
    )  # fmt: skip
    assert paid.status_code == 303 and "/checkout/done/" in paid.headers["Location"]
    db.session.expire_all()
    assert order.status == OrderStatus.EXPIRED
    assert stock_of(basket) == 5


@pytest.mark.parametrize(
    ("language", "required"),
    [("ja", "このフィールドは必須です。"), ("ko", "이 항목은 필수입니다.")],
)
def test_a_missing_address_field_is_named_in_the_buyers_language(
    client, basket, language, required
) -> None:
    """WTForms' own messages come in the visitor's language (each catalog read once per
    process), on the first request and the next ones alike, and never in another's."""
    client.set_cookie("lang", language)
    add(client, basket.variants[0].sku, "1")
    paying = checkout(client).headers["Location"]
    for _ in range(2):
        page = client.get(paying).get_data(as_text=True)
        response = client.post(paying, data={"name": "", "line1": "1-2-3", "city": "Tokyo",
                                             "postal_code": "150-0001",
                                             "csrf_token": csrf_from(page)})  # fmt: skip
        text = response.get_data(as_text=True)
        assert required in text  # the page again, the field marked
        assert "This field is required." not in text
    assert db.session.scalar(select(Order)).status == OrderStatus.PENDING_PAYMENT


def test_without_a_worker_checkouts_sweep_overdue_orders_once_a_minute(
    app, client, basket, monkeypatch
) -> None:
    """The sweep a worker runs every minute runs, without one, at the next checkout a minute
    after the last: the overdue order's stock comes back to the shelf then, not sooner."""
    clock = [1_000.0]
    monkeypatch.setattr(expiry.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(expiry, "_last_sweep", clock[0] - 61)
    add(client, basket.variants[0].sku, "2")
    checkout(client)  # sweeps (nothing overdue yet), and holds 2 pieces
    first = db.session.scalar(select(Order))
    first.payment_expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()

    def another_buyer_checks_out_one() -> None:
        buyer = app.test_client()
        add(buyer, basket.variants[0].sku, "1")
        assert checkout(buyer).status_code == 303

    clock[0] += 30
    another_buyer_checks_out_one()  # half a minute later: no sweep
    db.session.expire_all()
    assert first.status == OrderStatus.PENDING_PAYMENT and stock_of(basket) == 5 - 2 - 1

    clock[0] += 31
    another_buyer_checks_out_one()  # a minute after the last sweep
    db.session.expire_all()
    assert first.status == OrderStatus.EXPIRED
    assert [e.note for e in first.events][-1] == "Payment window closed"
    assert stock_of(basket) == 5 - 1 - 1
