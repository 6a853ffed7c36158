"""Two buyers check out at the same moment for a code's last use: exactly one gets it.

Both sides really run at once (threads on their own connections, let go by a Barrier), on
SQLite and on PostgreSQL, repeated on fresh codes since one run can miss the overlap.
"""

from __future__ import annotations

from functools import partial

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import DiscountCode, Order, OrderStatus
from shop.services.ordering import orders
from tests.discount_helpers import cart_with, make_code, place
from tests.factories import shop_with_stock
from tests.races import run_together

ROUNDS = 5


def try_place(cart_id: int, email: str) -> str:
    """A side: check the cart out; say whether the order was placed or why not."""
    from shop.models import Cart

    cart = db.session.get(Cart, cart_id)
    try:
        order = place(cart, email)
    except orders.DiscountNotAvailable as refused:
        return refused.refused.reason
    return f"placed {order.discount_idr}"


def held_uses(code_id: int) -> tuple[int, int]:
    """(the code's use count, orders holding a use), as committed."""
    db.session.expire_all()
    count = db.session.scalar(select(DiscountCode.uses).where(DiscountCode.id == code_id))
    held = db.session.scalar(
        select(func.count(Order.id)).where(
            Order.discount_code_id == code_id, Order.discount_use_held.is_(True)
        )
    )
    return int(count or 0), int(held or 0)


@pytest.fixture
def variant_id(app) -> int:
    return shop_with_stock(stock=1000).variants[0].id


def test_two_checkouts_for_the_last_use_give_it_to_exactly_one(app, variant_id) -> None:
    for round_ in range(ROUNDS):
        code = make_code(f"LAST{round_}", max_uses=3, uses=2)
        carts = [cart_with(variant_id, 1, code.code).id for _ in range(2)]
        sides = [partial(try_place, carts[0], "aiko@example.jp"),
                 partial(try_place, carts[1], "min-ji@example.kr")]  # fmt: skip
        results = run_together(app, *sides)
        outcomes = sorted(str(r.value) for r in results if r.error is None)
        assert [r.trace for r in results if r.error] == []
        assert outcomes == ["placed 15000", "used_up"], outcomes
        assert held_uses(code.id) == (3, 1)


def test_one_buyer_checking_out_twice_at_once_gets_a_once_per_buyer_code_once(
    app, variant_id
) -> None:
    for round_ in range(ROUNDS):
        code = make_code(f"ONCE{round_}", max_uses_per_email=1)
        carts = [cart_with(variant_id, 1, code.code).id for _ in range(2)]
        sides = [partial(try_place, carts[0], "aiko@example.jp"),
                 partial(try_place, carts[1], "AIKO@example.jp")]  # fmt: skip
        results = run_together(app, *sides)
        assert [r.trace for r in results if r.error] == []
        assert sorted(str(r.value) for r in results) == ["placed 15000", "used_by_you"]
        assert held_uses(code.id) == (1, 1)


def test_a_use_given_back_by_expiry_while_a_buyer_takes_it_is_counted_once(app, variant_id) -> None:
    for round_ in range(ROUNDS):
        code = make_code(f"SWAP{round_}", max_uses=1)
        first = place(cart_with(variant_id, 1, code.code))
        rival = cart_with(variant_id, 1, code.code).id
        expire = partial(orders.give_up, first.id, OrderStatus.EXPIRED, actor="system",
                         note="window closed")  # fmt: skip
        results = run_together(app, expire, partial(try_place, rival, "min-ji@example.kr"))
        assert [r.trace for r in results if r.error] == []
        assert results[0].value is True
        count, held = held_uses(code.id)
        assert count == held <= 1
        assert results[1].value in ("placed 15000", "used_up")
        assert held == (1 if results[1].value == "placed 15000" else 0)
