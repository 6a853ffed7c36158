"""Two events for one order at the same moment: whichever wins, the order and its stock agree.

Every race really runs both sides at once (threads on their own connections, let go by a
Barrier), on SQLite and on PostgreSQL, and is repeated on fresh orders since one run can
miss the overlap.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from functools import partial

import pytest

from shop.extensions import db
from shop.models import Cart, Order, OrderStatus, Product
from shop.services.ordering import expiry, orders, payments, refunds
from tests.factories import shop_with_stock
from tests.order_factories import make_order
from tests.races import (
    Background,
    SlowGateway,
    assert_history_is_one_chain,
    fresh,
    history,
    new_variant,
    paid_event,
    place,
    refunded_event,
    run_together,
    shelf,
    values,
)

S = OrderStatus
ROUNDS = 5
STAFF = "siti@karyabinaan.example"


@pytest.fixture
def product(app) -> Product:
    return shop_with_stock(stock=10)


def pay(order_id: int, event=None, on_paid=None):
    """A side that applies the paid event (a new one unless given)."""
    event = event or paid_event(order_id)
    return lambda: payments.handle_event(event, "demo", on_paid=on_paid)


def sweep():
    """A side that runs the expiry sweep."""
    return lambda: expiry.expire_overdue(datetime.now(UTC))


def assert_paid_holding_its_pieces(order: Order, variant_id: int, initial: int) -> None:
    stock, held = shelf(variant_id)
    quantity = sum(line.quantity for line in order.lines)
    assert order.status == S.PAID, f"{order.number} ended {order.status}: {history(order)}"
    assert order.paid_at is not None and order.hold_reason is None
    assert [ln.reserved_quantity for ln in order.lines] == [ln.quantity for ln in order.lines]
    assert (stock, held) == (initial - quantity, quantity), "a paid order's pieces went back"


# 1. pay vs expire


def test_a_payment_racing_the_expiry_sweep_ends_paid_with_its_pieces(app, product) -> None:
    for _ in range(ROUNDS):
        variant = new_variant(product, stock=5)
        order_id = place(variant, 2)
        outcome, expired = values(run_together(app, pay(order_id), sweep()))
        order = fresh(order_id)
        assert outcome == "paid", f"the payment was {outcome!r}"
        assert expired in (0, 1)
        assert_paid_holding_its_pieces(order, variant, 5)
        moves = history(order)
        assert moves in (["paid"], ["expired", "paid"]), f"history {moves}"
        assert moves.count("expired") == expired, "the sweep's count disagrees with the history"
        assert_history_is_one_chain(order)


def test_a_late_payment_racing_expiry_and_a_rival_buyer_never_sells_a_piece_twice(
    app, product
) -> None:
    for _ in range(ROUNDS):
        variant = new_variant(product, stock=2)
        order_id = place(variant, 2)  # the shelf is now empty
        rival = partial(place, variant, 2, overdue=False)
        results = run_together(app, pay(order_id), sweep(), rival)
        values(results[:2])
        got_it = results[2].error is None
        assert got_it or isinstance(results[2].error, orders.CheckoutError), results[2].trace
        order = fresh(order_id)
        stock, held = shelf(variant)
        assert stock >= 0 and stock + held == 2, f"pieces lost or made: {stock} + {held}"
        assert order.paid_at is not None
        if got_it:  # expiry came first and the rival took the pieces: paid, on hold, no stock
            assert (order.status, order.hold_reason) == (S.ON_HOLD, "stock"), history(order)
            assert results[0].value == "on hold"
            assert [ln.reserved_quantity for ln in order.lines] == [0]
            assert (stock, held) == (0, 2)
        else:
            assert_paid_holding_its_pieces(order, variant, 2)
        assert_history_is_one_chain(order)


def test_pieces_sold_after_expiry_put_the_late_payment_on_hold(app, product) -> None:
    variant = new_variant(product, stock=2)
    order_id = place(variant, 2)
    assert expiry.expire_overdue(datetime.now(UTC)) == 1
    place(variant, 2, overdue=False)  # someone else buys the two pieces meanwhile
    assert values(run_together(app, pay(order_id))) == ["on hold"]
    order = fresh(order_id)
    assert (order.status, order.hold_reason) == (S.ON_HOLD, "stock")
    assert shelf(variant) == (0, 2), "the rival's pieces must stay with the rival"
    assert history(order) == ["expired", "on_hold"]


# 2. pay vs cancel


def test_a_payment_racing_the_buyers_cancel_ends_paid_holding_its_pieces(app, product) -> None:
    for _ in range(ROUNDS):
        variant = new_variant(product, stock=5)
        order_id = place(variant, 2, overdue=False)

        def cancel(order_id: int = order_id) -> bool:
            order = db.session.get(Order, order_id)
            return orders.cancel_payment(order, SlowGateway(), actor="customer",
                                         note="Left the payment page")  # fmt: skip

        outcome, cancelled = values(run_together(app, pay(order_id), cancel))
        order = fresh(order_id)
        assert outcome == "paid"
        assert order.status != S.CANCELLED or order.paid_at is None, "cancelled yet paid"
        assert_paid_holding_its_pieces(order, variant, 5)
        assert history(order) == (["cancelled", "paid"] if cancelled else ["paid"])
        assert_history_is_one_chain(order)


# 3. pay vs pay


def test_two_payment_events_at_once_pay_the_order_once(app, product) -> None:
    for _ in range(ROUNDS):
        variant = new_variant(product, stock=5)
        order_id = place(variant, 2, overdue=False)
        mails: list[int] = []
        mail = partial(count_mail, mails, threading.Lock())

        first, second = paid_event(order_id), paid_event(order_id)
        outcomes = values(
            run_together(app, pay(order_id, first, mail), pay(order_id, second, mail))
        )
        order = fresh(order_id)
        assert sorted(outcomes) == ["already paid", "paid"], outcomes
        assert mails == [order_id], f"the buyer got {len(mails)} payment mails"
        assert history(order) == ["paid"]
        assert [e.note for e in order.events].count("Payment received") == 1
        assert order.cart_id is not None, "the order lost its cart"
        cart = db.session.get(Cart, order.cart_id)
        assert cart is not None and cart.lines == [], "the paid cart still has lines"
        assert_paid_holding_its_pieces(order, variant, 5)


def count_mail(mails: list[int], counting: threading.Lock, order: Order) -> None:
    """The `on_paid` callback: one payment mail per call."""
    with counting:
        mails.append(order.id)


def test_the_same_event_delivered_twice_at_once_is_applied_once(app, product) -> None:
    for _ in range(ROUNDS):
        variant = new_variant(product, stock=5)
        order_id = place(variant, 2, overdue=False)
        event = paid_event(order_id)
        outcomes = values(run_together(app, pay(order_id, event), pay(order_id, event)))
        assert sorted(outcomes) == ["duplicate", "paid"], outcomes
        order = fresh(order_id)
        assert history(order) == ["paid"]
        assert_paid_holding_its_pieces(order, variant, 5)


# 4. expire vs expire


def test_two_sweeps_at_once_expire_each_order_once(app, product) -> None:
    for _ in range(ROUNDS):
        variant = new_variant(product, stock=8)
        order_ids = [place(variant, 2) for _ in range(4)]
        assert shelf(variant) == (0, 8)
        counts = values(run_together(app, sweep(), sweep()))
        assert sum(counts) == 4, f"the sweeps expired {counts} orders between them"
        for order_id in order_ids:
            order = fresh(order_id)
            assert order.status == S.EXPIRED
            assert history(order) == ["expired"], f"{order.number}: {history(order)}"
        assert shelf(variant) == (8, 0), "stock was returned more or less than once"


# 5. refund vs refund


def paid_order(product: Product) -> tuple[int, int]:
    variant = product.variants[0]
    order = make_order(variant, quantity=1, status=S.PAID, payment_intent="pi_race")
    return order.id, order.total_idr


def refund(order_id: int, amount: int, token: str, gateway: SlowGateway):
    return lambda: refunds.refund(order_id, amount, token=token, reason="Arrived broken",
                                  gateway=gateway, actor=STAFF)  # fmt: skip


def test_one_refund_form_sent_twice_at_once_refunds_once(app, product) -> None:
    for _ in range(ROUNDS):
        order_id, total = paid_order(product)
        gateway, token = SlowGateway(), refunds.new_token()
        results = run_together(app, *[refund(order_id, 40_000, token, gateway)] * 2)
        done = [r for r in results if r.error is None]
        refused = [r.error for r in results if r.error is not None]
        assert len(done) == 1 and len(refused) == 1, [r.trace for r in results]
        assert isinstance(refused[0], refunds.InvalidRefund), results[1].trace or results[0].trace
        assert refused[0].reason == "replayed"
        assert len(gateway.refunds) == 1, f"the provider was asked {len(gateway.refunds)} times"
        order = fresh(order_id)
        assert (order.status, order.refunded_idr) == (S.PARTIALLY_REFUNDED, 40_000)
        assert total > 40_000


def test_two_refunds_at_once_never_add_up_past_the_payment(app, product) -> None:
    for _ in range(ROUNDS):
        order_id, total = paid_order(product)
        gateway = SlowGateway()
        amount = total * 6 // 10  # each fits alone, both together exceed the payment
        sides = [refund(order_id, amount, refunds.new_token(), gateway) for _ in range(2)]
        results = run_together(app, *sides)
        refused = [r.error for r in results if r.error is not None]
        assert len(refused) == 1, [r.trace for r in results]
        assert isinstance(refused[0], refunds.InvalidRefund) and refused[0].reason == "amount"
        assert len(gateway.refunds) == 1, f"the provider was asked {len(gateway.refunds)} times"
        order = fresh(order_id)
        assert order.refunded_idr == amount <= order.total_idr
        assert order.status == S.PARTIALLY_REFUNDED


def test_the_providers_report_of_a_staff_refund_in_flight_counts_it_once(app, product) -> None:
    for delay in (0.0, 0.05, 0.0, 0.02, 0.0):  # the answer before, with or after the report
        variant = new_variant(product, stock=5)
        order_id = place(variant, 2, overdue=False)
        assert values(run_together(app, pay(order_id))) == ["paid"]
        total = fresh(order_id).total_idr
        webhook = Background(app)  # the provider reports the refund while still answering it
        report = pay(order_id, refunded_event(order_id, total))
        gateway = SlowGateway(delay, during=lambda w=webhook, r=report: w.start(r))
        values(run_together(app, refund(order_id, total, refunds.new_token(), gateway)))
        [outcome] = values(webhook.finish())
        assert outcome in ("refunded", "already recorded"), outcome
        assert len(gateway.refunds) == 1
        assert_refunded_in_full(order_id, variant, 5)


# 6. refund vs pay


def assert_refunded_in_full(order_id: int, variant: int, initial: int) -> None:
    order = fresh(order_id)
    assert order.status == S.REFUNDED, f"{order.number} ended {order.status}: {history(order)}"
    assert order.refunded_idr == order.total_idr and order.paid_at is not None
    assert shelf(variant) == (initial, 0), "a refunded order's pieces did not go back"
    assert history(order).count("refunded") == 1
    assert_history_is_one_chain(order)


def test_a_full_refund_report_racing_the_payment_ends_refunded(app, product) -> None:
    for _ in range(ROUNDS):
        variant = new_variant(product, stock=5)
        order_id = place(variant, 2, overdue=False)
        total = fresh(order_id).total_idr
        refund_event = refunded_event(order_id, total)
        outcomes = values(run_together(app, pay(order_id), pay(order_id, refund_event)))
        assert outcomes[0] == "paid" and outcomes[1] == "refunded", outcomes
        assert_refunded_in_full(order_id, variant, 5)


@pytest.mark.parametrize("refund_first", [False, True])
def test_refund_and_payment_one_after_the_other_end_the_same(app, product, refund_first):
    variant = new_variant(product, stock=5)
    order_id = place(variant, 2, overdue=False)
    events = [paid_event(order_id), refunded_event(order_id, fresh(order_id).total_idr)]
    for event in reversed(events) if refund_first else events:
        assert values(run_together(app, pay(order_id, event))) != ["ignored"]
    assert_refunded_in_full(order_id, variant, 5)
