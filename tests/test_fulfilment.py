"""Fulfilment by staff: pack, ship, deliver, cancel, refund, search and export orders."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import current_app
from sqlalchemy import select

from shop.extensions import db
from shop.gateways.demo_payments import DemoGateway
from shop.gateways.payments import PaymentError, PaymentEvent, Refund
from shop.models import Order, OrderStatus, Variant
from shop.services.ordering import fulfilment, payments, refunds
from shop.services.ordering.fulfilment import (
    InvalidShipment,
    InvalidTransition,
    OrderFilter,
)
from shop.services.ordering.refunds import InvalidRefund
from tests.factories import shop_with_stock
from tests.order_factories import REFUND_REASON, SHIPPING_IDR, make_order, staff_refund

STAFF = "siti@karyabinaan.example"
JAKARTA = ZoneInfo("Asia/Jakarta")
S = OrderStatus


class RecordingGateway:
    """A gateway that remembers refunds, or refuses them all."""

    name = "recording"

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, int, str]] = []
        self.fail = fail

    def refund(self, payment_intent: str, amount_idr: int, idempotency_key: str) -> Refund:
        """Record the call; raise PaymentError when told to fail."""
        self.calls.append((payment_intent, amount_idr, idempotency_key))
        if self.fail:
            raise PaymentError("Stripe refused the refund (CardError, HTTP 402)")
        return Refund(id=f"re_{len(self.calls)}", amount_idr=amount_idr, status="succeeded")


@pytest.fixture
def variant(app) -> Variant:
    return shop_with_stock(stock=5, price=100_000).variants[0]


def fresh(order: Order) -> Order:
    db.session.expire_all()
    return db.session.get(Order, order.id)


def stock(variant: Variant) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Variant.stock).where(Variant.id == variant.id))


def snapshot(order: Order) -> tuple:
    order = fresh(order)
    return (order.status, order.refunded_idr, order.carrier, order.tracking_number,
            len(order.events), [line.reserved_quantity for line in order.lines])  # fmt: skip


def test_packing_shipping_and_delivery_are_recorded_with_the_staff_member(variant) -> None:
    order = make_order(variant)
    fulfilment.mark_packed(order, STAFF)
    fulfilment.mark_shipped(order, "  POS Indonesia ", " EE123456789ID ", STAFF)
    fulfilment.mark_delivered(order, STAFF)
    order = fresh(order)
    assert order.status == S.DELIVERED
    assert (order.carrier, order.tracking_number) == ("POS Indonesia", "EE123456789ID")
    assert order.shipped_at is not None
    moves = [(e.from_status, e.to_status, e.actor) for e in order.events[1:]]
    assert moves == [("paid", "packed", STAFF), ("packed", "shipped", STAFF),
                     ("shipped", "delivered", STAFF)]  # fmt: skip
    assert "EE123456789ID" in order.events[2].note


@pytest.mark.parametrize(
    ("carrier", "tracking", "field", "reason"),
    [("", "EE1", "carrier", "missing"), ("DHL", "   ", "tracking_number", "missing"),
     ("D" * 81, "EE1", "carrier", "too_long"), ("DHL", "9" * 121, "tracking_number", "too_long")],
)  # fmt: skip
def test_shipping_needs_a_carrier_and_a_tracking_number(variant, carrier, tracking, field, reason):
    order = make_order(variant, status=S.PACKED)
    before = snapshot(order)
    with pytest.raises(InvalidShipment) as refused:
        fulfilment.mark_shipped(order, carrier, tracking, STAFF)
    assert (refused.value.field, refused.value.reason) == (field, reason)
    assert snapshot(order) == before


@pytest.mark.parametrize(
    ("status", "action"),
    [(S.PENDING_PAYMENT, "pack"), (S.PAID, "ship"), (S.PAID, "deliver"), (S.SHIPPED, "cancel"),
     (S.DELIVERED, "pack"), (S.CANCELLED, "ship"), (S.REFUNDED, "cancel"), (S.EXPIRED, "pack")],
)  # fmt: skip
def test_moves_the_order_cannot_make_are_refused_and_change_nothing(variant, status, action):
    order = make_order(variant, status=status)
    actions = {
        "pack": lambda: fulfilment.mark_packed(order, STAFF),
        "ship": lambda: fulfilment.mark_shipped(order, "DHL", "JD014600", STAFF),
        "deliver": lambda: fulfilment.mark_delivered(order, STAFF),
        "cancel": lambda: fulfilment.cancel(order, STAFF, "customer asked"),
    }
    before, stock_before = snapshot(order), stock(variant)
    with pytest.raises(InvalidTransition):
        actions[action]()
    assert snapshot(order) == before
    assert stock(variant) == stock_before


def test_cancelling_a_paid_order_returns_the_stock_and_notes_the_refund_due(variant) -> None:
    order = make_order(variant, quantity=2)
    assert stock(variant) == 3
    fulfilment.cancel(order, STAFF, "Customer changed their mind")
    order = fresh(order)
    assert order.status == S.CANCELLED
    assert stock(variant) == 5
    assert order.lines[0].reserved_quantity == 0
    note = order.events[-1].note
    assert "Customer changed their mind" in note
    assert f"refund of {order.total_idr} IDR is still due" in note
    assert order.events[-1].actor == STAFF


def test_cancelling_an_unpaid_order_owes_the_customer_nothing(variant) -> None:
    order = make_order(variant, status=S.PENDING_PAYMENT, payment_intent=None)
    fulfilment.cancel(order, STAFF)
    order = fresh(order)
    assert (order.status, stock(variant)) == (S.CANCELLED, 5)
    assert "refund" not in order.events[-1].note


def test_a_partial_then_a_full_refund(variant) -> None:
    order = make_order(variant)  # 200.000 + 50.000 shipping
    gateway = RecordingGateway()
    staff_refund(order, 50_000, gateway, STAFF, token="first-form-token-0001")
    assert (fresh(order).status, fresh(order).refunded_idr) == (S.PARTIALLY_REFUNDED, 50_000)
    staff_refund(order, 200_000, gateway, STAFF, token="second-form-token-002")
    order = fresh(order)
    assert (order.status, order.refunded_idr) == (S.REFUNDED, 250_000)
    # Each form's own token is the provider's idempotency key.
    assert gateway.calls == [("pi_test_1", 50_000, "kb-refund-first-form-token-0001"),
                             ("pi_test_1", 200_000, "kb-refund-second-form-token-002")]  # fmt: skip
    assert [e.actor for e in order.events[-2:]] == [STAFF, STAFF]


@pytest.mark.parametrize("amount", [0, -1, 250_001])
def test_a_refund_outside_what_is_left_is_refused_before_asking_the_provider(variant, amount):
    order = make_order(variant)
    gateway = RecordingGateway()
    before = snapshot(order)
    with pytest.raises(InvalidRefund) as refused:
        staff_refund(order, amount, gateway, STAFF)
    assert (refused.value.reason, refused.value.remaining_idr) == ("amount", 250_000)
    assert gateway.calls == []
    assert snapshot(order) == before


def test_no_more_than_what_is_left_after_a_partial_refund(variant) -> None:
    order = make_order(variant)
    staff_refund(order, 200_000, RecordingGateway(), STAFF)
    with pytest.raises(InvalidRefund) as refused:
        staff_refund(order, 50_001, RecordingGateway(), STAFF)
    assert refused.value.remaining_idr == 50_000


def test_unpaid_orders_and_orders_without_a_payment_cannot_be_refunded(variant) -> None:
    unpaid = make_order(variant, status=S.PENDING_PAYMENT)
    with pytest.raises(InvalidRefund, match="not_paid"):
        staff_refund(unpaid, 1_000, RecordingGateway(), STAFF)
    no_reference = make_order(variant, quantity=1, payment_intent=None)
    with pytest.raises(InvalidRefund, match="no_payment"):
        staff_refund(no_reference, 1_000, RecordingGateway(), STAFF)


def test_a_provider_error_leaves_the_order_unchanged(variant) -> None:
    order = make_order(variant)
    before = snapshot(order)
    with pytest.raises(PaymentError):
        staff_refund(order, 10_000, RecordingGateway(fail=True), STAFF)
    assert snapshot(order) == before


def test_a_cancelled_paid_order_keeps_its_status_when_refunded(variant) -> None:
    order = make_order(variant)
    fulfilment.cancel(order, STAFF)
    staff_refund(order, fresh(order).total_idr, RecordingGateway(), STAFF)
    order = fresh(order)
    assert (order.status, order.refunded_idr) == (S.CANCELLED, order.total_idr)
    assert order.events[-1].note.startswith("Refunded 250000 IDR")
    assert REFUND_REASON in order.events[-1].note
    assert refunds.refundable_idr(order) == 0


def test_the_demo_gateway_refunds_offline(variant) -> None:
    order = make_order(variant, payment_intent="demo_pi_abc", gateway="demo")
    demo = DemoGateway(lambda session_id: f"/demo-pay/{session_id}")
    done = staff_refund(order, 250_000, demo, STAFF)
    assert done.status == "succeeded"
    assert fresh(order).status == S.REFUNDED


def test_the_providers_refund_webhook_does_not_count_a_staff_refund_twice(variant) -> None:
    order = make_order(variant)
    staff_refund(order, 50_000, RecordingGateway(), STAFF)
    event = PaymentEvent(id="evt_refund_1", type="charge.refunded", order_id=order.id,
                         amount_minor=50_000 * 100, currency="IDR")  # fmt: skip
    assert payments.handle_event(event, "stripe") == "already recorded"
    order = fresh(order)
    assert (order.status, order.refunded_idr) == (S.PARTIALLY_REFUNDED, 50_000)


# Through the real stripe library, against the local Stripe double.


def test_a_stripe_refund_is_sent_in_minor_units_with_an_idempotency_key(stripe_app, double):
    order = make_order(shop_with_stock(stock=5, price=100_000).variants[0])
    staff_refund(order, 75_000, current_app.extensions["payments"], STAFF, token="t" * 32)
    sent = double.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/v1/refunds")
    assert sent.form == {"payment_intent": "pi_test_1", "amount": "7500000"}
    assert sent.idempotency_key == "kb-refund-" + "t" * 32
    assert fresh(order).refunded_idr == 75_000


def test_a_stripe_refusal_changes_nothing(stripe_app, double) -> None:
    order = make_order(shop_with_stock(stock=5, price=100_000).variants[0])
    before = snapshot(order)
    error = {"error": {"type": "invalid_request_error", "code": "charge_already_refunded",
                       "message": "Charge has already been refunded."}}  # fmt: skip
    double.fail_next(400, error)
    with pytest.raises(PaymentError, match="charge_already_refunded"):
        staff_refund(order, 75_000, current_app.extensions["payments"], STAFF)
    assert snapshot(order) == before


# Finding and exporting orders.


@pytest.fixture
def several(variant) -> dict[str, Order]:
    """Orders on 1 and 2 March (Jakarta time), paid, shipped and awaiting payment."""
    return {
        "early": make_order(variant, quantity=1, email="early@example.com",
                            created_at=datetime(2026, 2, 28, 17, 30, tzinfo=UTC)),  # 1 Mar 00:30
        "shipped": make_order(variant, quantity=1, status=S.SHIPPED, email="ken@example.co.kr",
                              country="KR", created_at=datetime(2026, 3, 1, 16, 59, tzinfo=UTC)),
        "late": make_order(variant, quantity=2, status=S.PENDING_PAYMENT, email="Late@Example.com",
                           created_at=datetime(2026, 3, 1, 17, 0, tzinfo=UTC)),  # 2 Mar 00:00
    }  # fmt: skip


def numbers(found) -> list[str]:
    return [order.number for order in found.items]


def test_search_lists_newest_first_and_filters_by_status_days_and_text(several) -> None:
    early, shipped, late = several["early"], several["shipped"], several["late"]
    everything = fulfilment.search_orders(OrderFilter(), JAKARTA)
    assert numbers(everything) == [late.number, shipped.number, early.number]
    by_status = fulfilment.search_orders(OrderFilter(status=S.SHIPPED), JAKARTA)
    assert numbers(by_status) == [shipped.number]
    first_of_march = OrderFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 1))
    assert numbers(fulfilment.search_orders(first_of_march, JAKARTA)) == [
        shipped.number, early.number]  # fmt: skip
    from_second = OrderFilter(date_from=date(2026, 3, 2))
    assert numbers(fulfilment.search_orders(from_second, JAKARTA)) == [late.number]
    assert numbers(fulfilment.search_orders(OrderFilter(q="late@EXAMPLE"), JAKARTA)) == [
        late.number]  # fmt: skip
    assert numbers(fulfilment.search_orders(OrderFilter(q=early.number), JAKARTA)) == [
        early.number]  # fmt: skip
    assert numbers(fulfilment.search_orders(OrderFilter(q="%"), JAKARTA)) == []


def test_search_pages_with_a_fixed_number_of_queries(variant, count_queries) -> None:
    for i in range(7):
        make_order(variant, quantity=1, email=f"buyer{i}@example.com")
        variant.stock += 1
    db.session.commit()
    db.session.expire_all()
    count_queries.statements.clear()
    found = fulfilment.search_orders(OrderFilter(), JAKARTA, page=2, per_page=3)
    assert sum(line.quantity for order in found.items for line in order.lines) == 3
    assert (found.total, found.pages, len(found.items)) == (7, 3, 3)
    assert count_queries.count == 3  # count, orders, their lines


def test_csv_rows_carry_money_items_and_tracking(several) -> None:
    shipped = several["shipped"]
    shipped.carrier, shipped.tracking_number = "Korea Post", "=HYPERLINK(1)"
    db.session.commit()
    rows = list(fulfilment.orders_csv(OrderFilter(status=S.SHIPPED), JAKARTA))
    assert rows[0] == list(fulfilment.CSV_HEADER)
    assert rows[1] == [
        shipped.number, "2026-03-01T23:59:00+07:00", "shipped", "ken@example.co.kr", "KR",
        100_000, SHIPPING_IDR, 150_000, 0, f"{shipped.lines[0].sku}×1", "Korea Post",
        "'=HYPERLINK(1)", 0, "",
    ]  # fmt: skip
    assert len(list(fulfilment.orders_csv(OrderFilter(), JAKARTA))) == 4


def test_after_a_partial_refund_only_the_next_step_of_the_parcel_is_offered(variant) -> None:
    order = make_order(variant)
    fulfilment.mark_packed(order, STAFF)
    staff_refund(order, 10_000, RecordingGateway(), STAFF)
    order = fresh(order)
    assert order.status == S.PARTIALLY_REFUNDED
    assert fulfilment.next_steps(order) == {S.SHIPPED}
    with pytest.raises(InvalidTransition):
        fulfilment.mark_packed(order, STAFF)
    with pytest.raises(InvalidTransition):
        fulfilment.mark_delivered(order, STAFF)
    fulfilment.mark_shipped(order, "DHL", "JD014600", STAFF)
    assert fulfilment.next_steps(fresh(order)) == {S.DELIVERED}
