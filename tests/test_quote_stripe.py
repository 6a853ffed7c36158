"""Paying an accepted quote through Stripe Checkout (the real library, a local double)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import Order, OrderStatus, QuoteRequest, QuoteStatus
from shop.services.ordering.shipping import install_default_zones
from shop.services.quotes import offers as quote_offers
from shop.services.quotes import requests as quotes
from tests.factories import TODAY, csrf_from
from tests.stripe_double import session_object
from tests.test_webhooks import post_event


@pytest.fixture
def client(stripe_app):  # noqa: F811 - the Stripe-configured app's client
    return stripe_app.test_client()


@pytest.fixture
def accepted(client) -> QuoteRequest:
    """A request for 120 models, quoted at Rp1.250.000 each plus Rp4.500.000 shipping, accepted."""
    install_default_zones()
    db.session.commit()
    details = quotes.RequestDetails(
        organisation="Example Air", contact_name="Yuki", email="yuki@example-air.com", phone="",
        country="JP", aircraft_type="Boeing 787-9", livery="Example Air", scale="1:100",
        quantity=120, wanted_by=TODAY + timedelta(days=90),
    )  # fmt: skip
    quote = quotes.create_request(details, [], None, locale="ja")  # type: ignore[arg-type]
    offer = quote_offers.OfferDetails(
        unit_price_idr=1_250_000, quantity=120, shipping_idr=4_500_000, lead_time_days=45,
        valid_until=TODAY + timedelta(days=30),
    )  # fmt: skip
    quote_offers.send_offer(quote, offer, actor="staff@example.com")
    quotes.accept(quote, 1)
    return quote


def pay(client, quote: QuoteRequest):
    token = csrf_from(client.get(f"/quote/{quote.token}").get_data(as_text=True))
    return client.post(f"/quote/{quote.token}/pay", data={"csrf_token": token})


def fresh(quote: QuoteRequest) -> QuoteRequest:
    db.session.expire_all()
    return db.session.get(QuoteRequest, quote.id)


def test_the_checkout_session_carries_the_quoted_price(client, double, accepted) -> None:  # noqa: F811
    response = pay(client, accepted)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("https://checkout.stripe.test/")
    order = db.session.get(Order, fresh(accepted).order_id)
    form = [r for r in double.requests if r.path == "/v1/checkout/sessions"][0].form
    assert form["line_items[0][price_data][unit_amount]"] == "125000000"  # Rp1.250.000
    assert form["line_items[0][quantity]"] == "120"
    assert form["metadata[order_id]"] == str(order.id)
    rate = "shipping_options[0][shipping_rate_data]"
    assert form[f"{rate}[fixed_amount][amount]"] == "450000000"
    assert form["locale"] == "ja"
    assert order.total_idr == 154_500_000 and order.status == OrderStatus.PENDING_PAYMENT


def test_a_signed_webhook_marks_the_quote_paid_once(client, double, accepted) -> None:  # noqa: F811
    pay(client, accepted)
    order = db.session.get(Order, fresh(accepted).order_id)
    paid = session_object(
        order.payment_session_id, order_id=order.id, amount_total=order.total_idr * 100
    )
    assert post_event(client, "checkout.session.completed", paid, event_id="evt_q1").status_code
    post_event(client, "checkout.session.completed", paid, event_id="evt_q1")  # again
    quote = fresh(accepted)
    assert quote.status == QuoteStatus.PAID
    assert [e.to_status for e in quote.events].count("paid") == 1
    assert db.session.get(Order, order.id).status == OrderStatus.PAID
    again = pay(client, quote)
    assert again.status_code == 303 and "checkout.stripe.test" not in again.headers["Location"]
    assert len(db.session.scalars(select(Order)).all()) == 1


def test_a_wrong_amount_leaves_the_quote_unpaid(client, double, accepted) -> None:  # noqa: F811
    pay(client, accepted)
    order = db.session.get(Order, fresh(accepted).order_id)
    short = session_object(order.payment_session_id, order_id=order.id, amount_total=100)
    post_event(client, "checkout.session.completed", short)
    assert fresh(accepted).status == QuoteStatus.ACCEPTED
    assert db.session.get(Order, order.id).status == OrderStatus.PENDING_PAYMENT


def test_paying_again_closes_the_first_stripe_page(client, double, accepted) -> None:  # noqa: F811
    pay(client, accepted)
    first = db.session.get(Order, fresh(accepted).order_id)
    pay(client, fresh(accepted))
    db.session.expire_all()
    assert db.session.get(Order, first.id).status == OrderStatus.CANCELLED
    assert any(first.payment_session_id in r.path for r in double.requests if "expire" in r.path)
    assert fresh(accepted).order_id != first.id
