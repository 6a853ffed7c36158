"""Checkout through Stripe (the real library against a local double) and signed webhooks."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import CartLine, Order, OrderStatus, ProcessedPaymentEvent, Variant
from tests.conftest import STRIPE_WEBHOOK_SECRET as SECRET
from tests.factories import shop_with_stock
from tests.stripe_double import charge_object, event_payload, session_object
from tests.stripe_double import sign_payload as sign
from tests.test_cart import add
from tests.test_checkout import checkout


@pytest.fixture
def client(stripe_app):
    return stripe_app.test_client()


@pytest.fixture
def placed(client, double):
    """A buyer put two baskets in the cart and was sent to Stripe Checkout."""
    product = shop_with_stock(stock=5)
    add(client, product.variants[0].sku, "2")
    response = checkout(client)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("https://checkout.stripe.test/")
    return db.session.scalar(select(Order)), product


def post_event(client, event_type: str, obj: dict, *, event_id=None, secret=SECRET, ts=None):
    payload = event_payload(event_type, obj, event_id=event_id)
    return client.post(
        "/stripe/webhook",
        data=payload,
        headers={"Stripe-Signature": sign(payload, secret, ts), "Content-Type": "application/json"},
    )


def paid_session(order: Order, **kw) -> dict:
    values = {"order_id": order.id, "amount_total": order.total_idr * 100} | kw
    return session_object(order.payment_session_id, **values)


def refreshed(order: Order) -> Order:
    db.session.expire_all()
    return db.session.get(Order, order.id)


def stock(product) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Variant.stock).where(Variant.id == product.variants[0].id))


def test_checkout_session_is_created_with_server_prices(placed, double) -> None:
    order, _ = placed
    sent = [r for r in double.requests if r.path == "/v1/checkout/sessions"][0]
    form = sent.form
    assert form["mode"] == "payment"
    assert form["line_items[0][price_data][currency]"] == "idr"
    assert form["line_items[0][price_data][unit_amount]"] == "15000000"  # Rp150.000
    assert form["line_items[0][quantity]"] == "2"
    assert form["metadata[order_id]"] == str(order.id)
    assert form["client_reference_id"] == str(order.id)
    assert form["customer_email"] == "aiko@example.jp"
    assert form["locale"] == "en"
    assert form["shipping_address_collection[allowed_countries][0]"] == "JP"
    rate = "shipping_options[0][shipping_rate_data]"
    assert form[f"{rate}[fixed_amount][amount]"] == "35000000"
    assert form[f"{rate}[delivery_estimate][minimum][value]"] == "6"
    assert 1800 <= int(form["expires_at"]) - time.time() <= 3600
    assert sent.idempotency_key == f"kb-checkout-{order.number}"
    assert order.payment_session_id.startswith("cs_test_")


def test_a_signed_completed_event_marks_the_order_paid_once(client, placed) -> None:
    order, product = placed
    response = post_event(
        client, "checkout.session.completed", paid_session(order), event_id="evt_1"
    )
    assert response.status_code == 200
    order = refreshed(order)
    assert order.status == OrderStatus.PAID
    assert order.ship_city == "Tokyo" and order.payment_intent == "pi_test_1"
    assert db.session.query(CartLine).count() == 0
    again = post_event(client, "checkout.session.completed", paid_session(order), event_id="evt_1")
    assert again.get_json()["outcome"] == "duplicate"
    assert [e.to_status for e in refreshed(order).events].count("paid") == 1
    assert stock(product) == 3


@pytest.mark.parametrize(
    "signature",
    [None, "t=1,v1=deadbeef", "garbage"],
)
def test_unsigned_or_garbled_signatures_are_refused(client, placed, signature) -> None:
    order, _ = placed
    payload = event_payload("checkout.session.completed", paid_session(order))
    headers = {"Stripe-Signature": signature} if signature else {}
    response = client.post("/stripe/webhook", data=payload, headers=headers)
    assert response.status_code == 400
    assert refreshed(order).status == OrderStatus.PENDING_PAYMENT
    assert db.session.query(ProcessedPaymentEvent).count() == 0


def test_forged_and_stale_events_are_refused(client, placed) -> None:
    order, _ = placed
    forged = post_event(client, "checkout.session.completed", paid_session(order), secret="whsec_x")
    stale = post_event(
        client, "checkout.session.completed", paid_session(order), ts=int(time.time()) - 600
    )
    assert forged.status_code == stale.status_code == 400
    assert refreshed(order).status == OrderStatus.PENDING_PAYMENT


def test_a_body_that_is_not_json_is_refused(client, placed) -> None:
    payload = b"this is not json"
    response = client.post(
        "/stripe/webhook", data=payload, headers={"Stripe-Signature": sign(payload, SECRET)}
    )
    assert response.status_code == 400


def test_a_payment_for_the_wrong_amount_does_not_mark_the_order_paid(client, placed) -> None:
    order, _ = placed
    cheap = paid_session(order, amount_total=100)
    assert post_event(client, "checkout.session.completed", cheap).get_json()["outcome"] == (
        "amount mismatch"
    )
    wrong_currency = paid_session(order, currency="usd")
    post_event(client, "checkout.session.completed", wrong_currency)
    order = refreshed(order)
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert "does not match" in order.events[-1].note


def test_expiry_cancels_the_order_and_returns_the_stock(client, placed) -> None:
    order, product = placed
    expired = paid_session(order, payment_status="unpaid", status="expired")
    post_event(client, "checkout.session.expired", expired)
    assert refreshed(order).status == OrderStatus.EXPIRED
    assert stock(product) == 5


def test_coming_back_without_paying_closes_the_stripe_page(client, placed, double) -> None:
    order, product = placed
    response = client.get(f"/checkout/cancel/{order.token}")
    assert response.status_code == 303
    assert refreshed(order).status == OrderStatus.CANCELLED
    assert stock(product) == 5
    assert double.sessions[order.payment_session_id]["status"] == "expired"


def test_a_page_stripe_will_not_close_still_cancels_the_order(client, placed, double) -> None:
    order, product = placed
    double.fail_next(400, {"error": {"type": "invalid_request_error", "message": "paid"}})
    assert client.get(f"/checkout/cancel/{order.token}").status_code == 303
    assert refreshed(order).status == OrderStatus.CANCELLED
    # Paid on the old tab a moment before: the webhook still counts it.
    post_event(client, "checkout.session.completed", paid_session(order))
    assert refreshed(order).status == OrderStatus.PAID


def test_a_late_expiry_after_payment_changes_nothing(client, placed) -> None:
    order, product = placed
    post_event(client, "checkout.session.completed", paid_session(order))
    post_event(client, "checkout.session.expired", paid_session(order, status="expired"))
    assert refreshed(order).status == OrderStatus.PAID
    assert stock(product) == 3


def test_payment_arriving_after_expiry_still_counts_and_takes_stock_again(client, placed) -> None:
    order, product = placed
    post_event(client, "checkout.session.expired", paid_session(order, payment_status="unpaid"))
    assert stock(product) == 5
    post_event(client, "checkout.session.completed", paid_session(order))
    assert refreshed(order).status == OrderStatus.PAID
    assert stock(product) == 3


def test_delayed_payment_methods_wait_then_succeed_or_fail(client, placed, double) -> None:
    order, product = placed
    pending = paid_session(order, payment_status="unpaid")
    assert post_event(client, "checkout.session.completed", pending).get_json()["outcome"] == (
        "awaiting payment"
    )
    assert refreshed(order).status == OrderStatus.PENDING_PAYMENT
    post_event(client, "checkout.session.async_payment_succeeded", paid_session(order))
    assert refreshed(order).status == OrderStatus.PAID


def test_a_failed_delayed_payment_cancels_and_frees_the_stock(client, placed) -> None:
    order, product = placed
    failed = paid_session(order, payment_status="unpaid")
    post_event(client, "checkout.session.async_payment_failed", failed)
    assert refreshed(order).status == OrderStatus.CANCELLED
    assert stock(product) == 5


def test_refunds_in_part_then_in_full(client, placed) -> None:
    order, _ = placed
    post_event(client, "checkout.session.completed", paid_session(order))
    total_minor = order.total_idr * 100
    part = charge_object(order_id=order.id, amount=total_minor, amount_refunded=10_000_000)
    post_event(client, "charge.refunded", part)
    order = refreshed(order)
    assert (order.status, order.refunded_idr) == (OrderStatus.PARTIALLY_REFUNDED, 100_000)
    full = charge_object(order_id=order.id, amount=total_minor, amount_refunded=total_minor)
    post_event(client, "charge.refunded", full)
    order = refreshed(order)
    assert (order.status, order.refunded_idr) == (OrderStatus.REFUNDED, order.total_idr)


def test_the_provider_being_down_keeps_the_cart_and_frees_the_stock(client, double) -> None:
    product = shop_with_stock(stock=5)
    add(client, product.variants[0].sku, "1")
    double.fail_next(500, {"error": {"type": "api_error", "message": "down"}}, times=3)
    response = checkout(client)
    assert response.headers["Location"].endswith("/cart")
    order = db.session.scalar(select(Order))
    assert order.status == OrderStatus.CANCELLED
    assert stock(product) == 5
    assert db.session.query(CartLine).count() == 1
