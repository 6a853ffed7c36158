"""A slow or silent Stripe must not hold a buyer: bounded waits, one retry, a clear message."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import stripe
from sqlalchemy import select

from shop.extensions import db
from shop.gateways.payments import PaymentError, ProviderUnreachable
from shop.gateways.stripe_gateway import (
    CONNECT_TIMEOUT,
    NETWORK_RETRIES,
    READ_TIMEOUT,
    StripeGateway,
)
from shop.models import CartLine, Order, OrderStatus, Variant
from tests.conftest import build_app
from tests.factories import shop_with_stock
from tests.stripe_double import StripeDouble
from tests.test_cart import add, cart_page
from tests.test_checkout import checkout
from tests.test_stripe_gateway import SECRET_KEY, WEBHOOK_SECRET, make_request

QUICK = {"connect_timeout": 0.5, "read_timeout": 0.5}


@pytest.fixture(autouse=True)
def _offline_library(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(stripe, "enable_telemetry", False)


@pytest.fixture
def quick(double: StripeDouble) -> Iterator[StripeGateway]:
    gw = StripeGateway(SECRET_KEY, WEBHOOK_SECRET, api_base=double.url, **QUICK)
    yield gw
    gw.close()


def test_default_timeouts_keep_the_worst_checkout_under_fifteen_seconds() -> None:
    backoff = 0.5  # the library's first retry delay
    worst = (NETWORK_RETRIES + 1) * (CONNECT_TIMEOUT + READ_TIMEOUT) + NETWORK_RETRIES * backoff
    assert NETWORK_RETRIES >= 1
    assert worst < 15


def test_a_silent_stripe_is_a_payment_error_within_the_timeouts(
    quick: StripeGateway, double: StripeDouble
) -> None:
    double.hang_next(10, times=2)
    started = time.monotonic()
    with pytest.raises(ProviderUnreachable, match="APIConnectionError"):
        quick.create_checkout(make_request())
    elapsed = time.monotonic() - started

    assert elapsed < 3  # two 0.5 s reads and a 0.5 s back-off, not the library's 80 s
    assert len(double.requests) == 2  # the retry happened ...
    assert {r.idempotency_key for r in double.requests} == {"checkout-order-42-v1"}  # ... safely


def test_a_late_answer_is_recovered_by_the_retry_without_a_second_session(
    quick: StripeGateway, double: StripeDouble
) -> None:
    double.hang_next(10)
    session = quick.create_checkout(make_request())

    assert list(double.sessions) == [session.id]
    assert [r.replayed for r in double.requests] == [False, True]


def test_a_refusal_is_not_called_unreachable(quick: StripeGateway, double: StripeDouble) -> None:
    double.fail_next(400, {"error": {"type": "invalid_request_error", "message": "bad"}})
    with pytest.raises(PaymentError) as caught:
        quick.create_checkout(make_request())
    assert not isinstance(caught.value, ProviderUnreachable)


@pytest.mark.parametrize(("connect", "read"), [(0, 2), (5, -1), (float("nan"), 2), (5, 1e9)])
def test_nonsense_timeouts_are_refused(connect: float, read: float) -> None:
    with pytest.raises(ValueError, match="timeouts"):
        StripeGateway(SECRET_KEY, WEBHOOK_SECRET, connect_timeout=connect, read_timeout=read)


# Through the shop: the buyer who pressed "Pay".


@pytest.fixture
def slow_app(tmp_path: Path, postgres_schema_ready, double):
    yield from build_app(
        tmp_path, STRIPE_SECRET_KEY="sk_test_123", STRIPE_WEBHOOK_SECRET="whsec_test",
        STRIPE_API_BASE=double.url, STRIPE_CONNECT_TIMEOUT=0.5, STRIPE_READ_TIMEOUT="0.5",
    )  # fmt: skip


def test_a_buyer_is_not_held_when_stripe_does_not_answer(slow_app, double) -> None:
    client = slow_app.test_client()
    product = shop_with_stock(stock=5)
    add(client, product.variants[0].sku, "2")
    double.hang_next(10, times=2)

    started = time.monotonic()
    response = checkout(client)
    # Two 0.5 s reads (from the app's config) and the 0.5 s back-off; the 2 s default would
    # take 4.5 s.
    assert time.monotonic() - started < 3
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/cart")

    page = cart_page(client)
    assert "Our payment provider could not be reached." in page
    assert "Nothing was charged and your cart is kept" in page
    db.session.expire_all()
    order = db.session.scalar(select(Order))
    assert order.status == OrderStatus.CANCELLED
    assert db.session.get(Variant, product.variants[0].id).stock == 5
    assert [line.quantity for line in db.session.scalars(select(CartLine))] == [2]


def test_timeouts_that_are_not_numbers_stop_the_shop_from_starting(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="STRIPE_READ_TIMEOUT"):
        next(build_app(tmp_path, STRIPE_SECRET_KEY="sk_test_123", STRIPE_READ_TIMEOUT="soon"))
