"""The order state machine: every allowed move, every forbidden one, the history, the stock."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from shop.extensions import db
from shop.models import Order, OrderStatus, Variant
from shop.services.ordering.status import ALLOWED, InvalidTransition, TransitionLost, move
from tests.factories import shop_with_stock
from tests.order_factories import make_order

S = OrderStatus


@pytest.fixture
def variant(app) -> Variant:
    return shop_with_stock(stock=10, price=100_000).variants[0]


def stock(variant: Variant) -> int:
    db.session.refresh(variant)
    return variant.stock


@pytest.mark.parametrize(("start", "end"), [(a, b) for a in S for b in sorted(ALLOWED[a])])
def test_allowed_moves_change_the_status_and_append_history(variant, start, end) -> None:
    order = make_order(variant, status=start)
    move(order, end, actor="test", note="why")
    db.session.commit()
    db.session.expire_all()
    assert order.status == end
    assert (order.events[-1].from_status, order.events[-1].to_status) == (str(start), str(end))


@pytest.mark.parametrize(
    ("start", "end"),
    [(a, b) for a, b in itertools.product(S, S) if b not in ALLOWED[a]],
)
def test_forbidden_moves_raise_and_change_nothing(start, end) -> None:
    order = Order(status=start, events=[])
    with pytest.raises(InvalidTransition):
        move(order, end, actor="test")
    assert order.status == start and order.events == []


def test_the_happy_path_is_allowed_in_order(variant) -> None:
    order = make_order(variant, status=S.PAID)
    for step in (S.PACKED, S.SHIPPED, S.DELIVERED):
        move(order, step, actor="test")
    db.session.commit()
    assert [e.to_status for e in order.events][-3:] == ["packed", "shipped", "delivered"]


def test_a_move_on_a_stale_order_loses_and_changes_nothing(variant) -> None:
    order = make_order(variant, status=S.PENDING_PAYMENT)
    history = len(order.events)
    # Another request expired it (and committed) after this one had read it.
    db.session.execute(
        update(Order).where(Order.id == order.id).values(status=S.EXPIRED),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    set_committed_value(order, "status", S.PENDING_PAYMENT)  # what this request still holds
    with pytest.raises(TransitionLost):
        move(order, S.CANCELLED, actor="test")
    db.session.rollback()
    db.session.refresh(order)
    assert order.status == S.EXPIRED and len(order.events) == history


@pytest.mark.parametrize("to", [S.CANCELLED, S.EXPIRED])
def test_giving_up_returns_the_pieces_in_the_same_move(variant, to) -> None:
    order = make_order(variant, status=S.PENDING_PAYMENT, quantity=3)
    assert stock(variant) == 7
    move(order, to, actor="test")
    db.session.commit()
    assert stock(variant) == 10
    assert order.lines[0].reserved_quantity == 0


@pytest.mark.parametrize(("start", "returned"), [(S.PAID, True), (S.SHIPPED, False)])
def test_a_full_refund_returns_unsent_pieces_only(variant, start, returned) -> None:
    order = make_order(variant, status=start, quantity=3)
    move(order, S.REFUNDED, actor="test")
    db.session.commit()
    assert stock(variant) == (10 if returned else 7)
