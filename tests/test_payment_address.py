"""The address matches the price, and whatever Stripe sends about it is kept whole."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import Order, OrderStatus
from tests.test_webhooks import (  # noqa: F401 - fixtures
    client,
    paid_session,
    placed,
    post_event,
    refreshed,
    stock,
)

S = OrderStatus


def address(country: str, **extra: str) -> dict[str, str]:
    return {"line1": "1 Main St", "line2": "", "city": "Town", "state": "", "postal_code": "1",
            "country": country} | extra  # fmt: skip


def test_stripe_only_offers_the_countries_of_the_zone_the_shipping_was_priced_for(
    placed, double
) -> None:
    sent = [r for r in double.requests if r.path == "/v1/checkout/sessions"][0]
    offered = sent.nested["shipping_address_collection"]["allowed_countries"]
    assert offered[0] == "JP"  # the buyer's choice first
    assert sorted(offered) == ["CN", "HK", "JP", "KR", "MN", "MO", "TW"]  # East Asia only


def test_an_address_elsewhere_in_the_zone_is_paid_and_kept(client, placed) -> None:
    order, product = placed
    post_event(client, "checkout.session.completed", paid_session(order, address=address("KR")))
    order = refreshed(order)
    assert (order.status, order.ship_country, order.shipping_country) == (S.PAID, "KR", "JP")
    assert order.hold_reason is None and stock(product) == 3


def test_an_address_outside_the_priced_zone_puts_the_paid_order_on_hold(client, placed) -> None:
    order, product = placed
    response = post_event(
        client, "checkout.session.completed", paid_session(order, address=address("US"))
    )
    assert response.status_code == 200 and response.get_json()["outcome"] == "on hold"
    order = refreshed(order)
    assert (order.status, order.hold_reason, order.ship_country) == (S.ON_HOLD, "address", "US")
    assert order.paid_at is not None
    assert stock(product) == 3  # the pieces stay with the order while staff settle it
    assert "outside the zone" in order.events[-1].note


LONG = "Ōkubo " + "長い住所" * 120  # 486 characters, well past any column a shop would pick


@pytest.mark.parametrize("field", ["name", "line1", "line2", "city", "state", "postal_code"])
def test_long_and_non_ascii_names_and_addresses_are_stored_whole(client, placed, field) -> None:
    order, _ = placed
    where = address("JP", **({} if field == "name" else {field: LONG}))
    obj = paid_session(order, name=LONG if field == "name" else "Aiko Tanaka", address=where)
    response = post_event(client, "checkout.session.completed", obj)
    assert response.status_code == 200, response.get_data(as_text=True)
    order = refreshed(order)
    assert order.status == S.PAID
    assert getattr(order, f"ship_{field}") == LONG


def test_a_payment_without_any_address_is_held_for_staff(client, placed) -> None:
    order, _ = placed
    obj = paid_session(order)
    obj.pop("collected_information", None)
    obj.pop("shipping_details", None)
    obj["customer_details"] = {"email": "aiko@example.jp", "name": None, "address": None}
    assert post_event(client, "checkout.session.completed", obj).status_code == 200
    order = db.session.scalar(select(Order).where(Order.id == order.id))
    assert (refreshed(order).status, refreshed(order).hold_reason) == (S.ON_HOLD, "address")
