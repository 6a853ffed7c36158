"""The order state machine: every allowed move, every forbidden one, and the history."""

from __future__ import annotations

import itertools

import pytest

from shop.models import Order, OrderStatus
from shop.services.ordering.status import ALLOWED, InvalidTransition, move

S = OrderStatus


def order_in(status: OrderStatus) -> Order:
    return Order(status=status, events=[])


@pytest.mark.parametrize(("start", "end"), [(a, b) for a in S for b in sorted(ALLOWED[a])])
def test_allowed_moves_change_the_status_and_append_history(start, end) -> None:
    order = order_in(start)
    move(order, end, actor="test", note="why")
    assert order.status == end
    assert (order.events[-1].from_status, order.events[-1].to_status) == (str(start), str(end))


@pytest.mark.parametrize(
    ("start", "end"),
    [(a, b) for a, b in itertools.product(S, S) if b not in ALLOWED[a]],
)
def test_forbidden_moves_raise_and_change_nothing(start, end) -> None:
    order = order_in(start)
    with pytest.raises(InvalidTransition):
        move(order, end, actor="test")
    assert order.status == start and order.events == []


def test_the_happy_path_is_allowed_in_order() -> None:
    order = order_in(S.PENDING_PAYMENT)
    for step in (S.PAID, S.PACKED, S.SHIPPED, S.DELIVERED):
        move(order, step, actor="test")
    assert [e.to_status for e in order.events] == ["paid", "packed", "shipped", "delivered"]
