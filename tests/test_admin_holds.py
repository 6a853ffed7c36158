"""Staff settle paid orders on hold, and refund through forms that can't run twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import Order, OrderRefund, OrderStatus, Variant
from tests.factories import csrf_from
from tests.order_factories import make_order
from tests.test_admin_orders import (  # noqa: F401 - fixtures
    REFUND_TOKEN,
    act,
    fresh,
    outbox,
    page_of,
    signed_in,
    variant,
)

S = OrderStatus


def on_hold(variant: Variant, reason: str) -> Order:
    order = make_order(variant, quantity=2, status=S.ON_HOLD)
    order.hold_reason = reason
    if reason == "stock":  # the pieces went to another buyer while the order had lapsed
        order.lines[0].reserved_quantity = 0
        variant.stock = 0
    db.session.commit()
    return order


def shelf(variant: Variant) -> int:
    db.session.expire_all()
    return db.session.get(Variant, variant.id).stock


def test_the_order_page_says_why_it_is_held_and_offers_release_and_full_refund(
    signed_in, variant
) -> None:
    order = on_hold(variant, "address")
    page = page_of(signed_in, order)
    assert "Needs attention before packing" in page
    assert "outside the zone the shipping was priced for" in page
    assert "Release to packing" in page and "in full" in page
    assert "Mark packed" not in page  # not to the packing table while on hold


def test_releasing_an_address_hold_sends_it_to_packing(signed_in, variant) -> None:
    order = on_hold(variant, "address")
    page = act(signed_in, order, "release", note="Buyer agreed to pay the difference")
    assert f"Order {order.number} goes to packing." in page
    order = fresh(order)
    assert (order.status, order.hold_reason) == (S.PAID, None)
    assert "Buyer agreed" in order.events[-1].note


def test_a_stock_hold_is_released_only_once_the_pieces_are_on_the_shelf(signed_in, variant) -> None:
    order = on_hold(variant, "stock")
    page = act(signed_in, order, "release")
    assert "still not in stock" in page
    assert fresh(order).status == S.ON_HOLD
    db.session.get(Variant, variant.id).stock = 5  # the workshop made them
    db.session.commit()
    act(signed_in, order, "release", note="Made two more")
    order = fresh(order)
    assert (order.status, order.lines[0].reserved_quantity) == (S.PAID, 2)
    assert shelf(variant) == 3


def test_one_click_refunds_a_held_order_in_full_and_puts_its_pieces_back(
    app, signed_in, variant
) -> None:
    order = on_hold(variant, "address")
    before = shelf(variant)
    page = act(signed_in, order, "refund-in-full")
    assert "the customer has been emailed" in page
    order = fresh(order)
    assert (order.status, order.refunded_idr) == (S.REFUNDED, order.total_idr)
    assert shelf(variant) == before + 2
    mail = outbox(app)[-1]
    assert mail["To"] == order.email and order.number in mail["Subject"]
    assert "refunded" in mail.get_body(("plain",)).get_content()


def test_a_refund_form_sent_twice_refunds_once_and_says_so(signed_in, variant) -> None:
    order = make_order(variant, quantity=2)
    page = page_of(signed_in, order)
    form = {"csrf_token": csrf_from(page), "token": REFUND_TOKEN.search(page).group(1),
            "amount": "50000", "reason": "One bowl arrived chipped"}  # fmt: skip
    first = signed_in.post(f"/admin/orders/{order.id}/refund", data=form)
    again = signed_in.post(f"/admin/orders/{order.id}/refund", data=form)  # reload, double click
    assert first.status_code == again.status_code == 303
    page = signed_in.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "already sent, so nothing more was refunded" in page
    order = fresh(order)
    assert (order.status, order.refunded_idr) == (S.PARTIALLY_REFUNDED, 50_000)
    assert db.session.scalar(select(func.count(OrderRefund.id))) == 1
    assert "One bowl arrived chipped" in order.events[-1].note


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Say why the money goes back."),
        ({"reason": "x" * 501}, "Field cannot be longer than 500 characters."),
        ({"token": ""}, "This field is required."),
        ({"token": "t" * 65}, "Field cannot be longer than 64 characters."),
        ({"token": "not a token!"}, "The form expired. Please try again."),
        ({"amount": "lots"}, "Enter the amount in whole rupiah"),
    ],
)
def test_a_refund_form_with_bad_input_is_explained_and_changes_nothing(
    signed_in, variant, data, message
) -> None:
    order = make_order(variant, quantity=2)
    page = act(signed_in, order, "refund", **({"amount": "1000"} | data))
    assert message in page
    order = fresh(order)
    assert (order.status, order.refunded_idr, len(order.events)) == (S.PAID, 0, 1)
    assert db.session.scalar(select(func.count(OrderRefund.id))) == 0


def test_releasing_an_order_that_is_not_on_hold_is_refused(signed_in, variant) -> None:
    order = make_order(variant, quantity=2)
    page = act(signed_in, order, "release")
    assert "can&#39;t be marked Paid" in page
    assert fresh(order).status == S.PAID
