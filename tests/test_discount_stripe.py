"""A discount code reaches Stripe as a coupon of its own, so Stripe's receipt shows it and its
total is the order's total to the rupiah (the real library, against the local double)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.gateways.payments import CheckoutDiscount, PaymentError
from shop.models import Order, OrderStatus
from tests.conftest import STRIPE_WEBHOOK_SECRET
from tests.discount_helpers import make_code
from tests.factories import csrf_from, shop_with_stock
from tests.stripe_double import event_payload
from tests.stripe_double import sign_payload as sign
from tests.test_cart import add, cart_page
from tests.test_checkout import checkout
from tests.test_stripe_gateway import _offline_library, gateway, make_request  # noqa: F401


def test_the_gateway_creates_a_one_time_coupon_and_applies_it(gateway, double) -> None:  # noqa: F811
    request = make_request(discount=CheckoutDiscount("GARUDA10", 2_530_000))
    session = gateway.create_checkout(request)

    coupon_call, session_call = double.requests
    assert (coupon_call.method, coupon_call.path) == ("POST", "/v1/coupons")
    assert coupon_call.form["amount_off"] == "253000000"  # Rp2.530.000 in hundredths
    assert coupon_call.form["currency"] == "idr"
    assert coupon_call.form["duration"] == "once"
    assert coupon_call.form["max_redemptions"] == "1"
    assert coupon_call.form["name"] == "GARUDA10"  # what the payment page and receipt show
    assert coupon_call.form["metadata[order_number]"] == "KB-2030-0042"
    assert coupon_call.idempotency_key == "checkout-order-42-v1-coupon"
    (coupon_id,) = double.coupons
    assert session_call.nested["discounts"] == [{"coupon": coupon_id}]

    stored = double.sessions[session.id]
    subtotal = 3 * 10_000_000 + 2_500_000_000
    assert stored["total_details"]["amount_discount"] == 253_000_000
    assert stored["amount_total"] == subtotal - 253_000_000 + 15_000_000


def test_a_retried_checkout_reuses_the_coupon(gateway, double) -> None:  # noqa: F811
    request = make_request(discount=CheckoutDiscount("GARUDA10", 10_000))
    first = gateway.create_checkout(request)
    again = gateway.create_checkout(request)
    assert first.id == again.id
    assert len(double.coupons) == 1


def test_a_coupon_stripe_refuses_is_a_payment_error(gateway, double) -> None:  # noqa: F811
    double.fail_next(400, {"error": {"type": "invalid_request_error",
                                     "message": "Invalid positive integer"}})  # fmt: skip
    with pytest.raises(PaymentError):
        gateway.create_checkout(make_request(discount=CheckoutDiscount("X", 1)))
    assert double.sessions == {}


def test_the_double_refuses_what_stripe_refuses(double) -> None:
    from tests.stripe_fixtures import coupons

    store: dict = {}
    status, body = coupons.create(store, "c1", {"amount_off": "500"})
    assert status == 400 and "currency" in body["error"]["message"]
    status, coupon = coupons.create(store, "c1", {"amount_off": "500", "currency": "usd",
                                                  "max_redemptions": "1"})  # fmt: skip
    assert status == 200
    refused, _, _ = coupons.discount_for(store, {"discounts": [{"coupon": "c1"}]}, 900, "idr")
    assert refused is not None and refused[0] == 400  # a dollar coupon on a rupiah session
    refused, _, _ = coupons.discount_for(store, {"discounts": [{"coupon": "zz"}]}, 900, "usd")
    assert refused is not None and refused[1]["error"]["code"] == "resource_missing"
    _, off, _ = coupons.discount_for(store, {"discounts": [{"coupon": "c1"}]}, 300, "usd")
    assert off == 300  # never more than the items
    coupons.redeem(store, {"discounts": [{"coupon": "c1"}]})
    assert coupon["times_redeemed"] == 1 and coupon["valid"] is False


@pytest.fixture
def client(stripe_app):
    return stripe_app.test_client()


def test_a_buyer_pays_the_discounted_total_on_stripe_and_the_order_is_paid(client, double):
    product = shop_with_stock(stock=5)
    make_code("GARUDA10")
    add(client, product.variants[0].sku, "2")
    token = csrf_from(cart_page(client))
    client.post("/cart/discount", data={"code": "garuda10", "csrf_token": token})
    response = checkout(client)
    assert response.headers["Location"].startswith("https://checkout.stripe.test/")
    order = db.session.scalar(select(Order))
    assert (order.discount_idr, order.total_idr) == (30_000, 620_000)

    (session_id,) = double.sessions
    session = double.sessions[session_id]
    assert session["amount_total"] == 620_000 * 100  # Stripe charges what the shop computed
    assert session["total_details"]["amount_discount"] == 30_000 * 100
    paid = double.pay(session_id)
    (coupon,) = double.coupons.values()
    assert coupon["times_redeemed"] == 1 and coupon["name"] == "GARUDA10"

    payload = event_payload("checkout.session.completed", paid)
    webhook = client.post(
        "/stripe/webhook", data=payload,
        headers={"Stripe-Signature": sign(payload, STRIPE_WEBHOOK_SECRET),
                 "Content-Type": "application/json"},
    )  # fmt: skip
    assert webhook.status_code == 200
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == OrderStatus.PAID
