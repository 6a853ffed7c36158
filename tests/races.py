"""Run the sides of a race at once, and build the orders they race over.

Each side runs in a thread of its own, with its own app context, session and connection,
and all sides are let go together by a Barrier. One run can miss the overlap, so the
tests repeat each race on fresh orders.
"""

from __future__ import annotations

import secrets
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select, text

from shop.extensions import db
from shop.gateways.demo_payments import DemoGateway
from shop.gateways.payments import Address, PaymentEvent, Refund
from shop.models import Cart, CartLine, Order, OrderLine, Product, Variant
from shop.services.money import to_minor_units
from shop.services.ordering import orders
from tests.factories import make_product

HANG = 30  # seconds: a side still running after this is stuck (a deadlock)
ADDRESS = Address(name="Aiko Tanaka", line1="1-2-3 Jingumae", city="Tokyo",
                  postal_code="150-0001", country="JP")  # fmt: skip


@dataclass
class Side:
    """What one side of a race returned or raised."""

    value: Any = None
    error: BaseException | None = None
    trace: str = ""


def _run(app: Flask, side: Callable[[], Any], result: Side, start: threading.Barrier) -> None:
    """Run one side in its own app context (own session and connection), from `start`."""
    with app.app_context():
        try:
            db.session.execute(text("SELECT 1"))  # connect before the start, not after it
            db.session.rollback()
            start.wait(timeout=HANG)
            result.value = side()
        except BaseException as exc:  # noqa: BLE001 - reported to the test as is
            result.error = exc
            result.trace = traceback.format_exc()
        finally:
            db.session.remove()


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(timeout=HANG)
    assert not any(thread.is_alive() for thread in threads), "a side of the race hung"


def run_together(app: Flask, *sides: Callable[[], Any]) -> list[Side]:
    """Run every side at the same moment, each on its own connection; return what each did."""
    db.session.commit()  # the test's own session holds no transaction (nor SQLite's lock)
    start = threading.Barrier(len(sides))
    results = [Side() for _ in sides]
    threads = [
        threading.Thread(target=_run, args=(app, side, result, start))
        for side, result in zip(sides, results, strict=True)
    ]
    for thread in threads:
        thread.start()
    _join(threads)
    db.session.expire_all()
    return results


class Background:
    """Sides started while something else runs (e.g. from inside a gateway call)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.results: list[Side] = []
        self._threads: list[threading.Thread] = []

    def start(self, side: Callable[[], Any]) -> None:
        """Start the side now, in a thread of its own; it races whatever the caller does next."""
        result = Side()
        thread = threading.Thread(target=_run, args=(self.app, side, result, threading.Barrier(1)))
        self.results.append(result)
        self._threads.append(thread)
        thread.start()

    def finish(self) -> list[Side]:
        """Wait for every side started; return what each did."""
        _join(self._threads)
        db.session.expire_all()
        return self.results


def values(results: list[Side]) -> list[Any]:
    """What each side returned; fail with the tracebacks when a side raised."""
    failed = [r.trace for r in results if r.error is not None]
    assert not failed, "a side of the race failed:\n" + "\n".join(failed)
    return [r.value for r in results]


class SlowGateway(DemoGateway):
    """The demo gateway, counting refunds and taking its time over each (a wider window)."""

    name = "demo"

    def __init__(self, delay: float = 0.05, during: Callable[[], None] | None = None) -> None:
        super().__init__(lambda session_id: f"/demo-pay/{session_id}")
        self.delay = delay
        self.during = during  # runs inside each refund call, before the answer
        self.refunds: list[tuple[str, int, str]] = []
        self._lock = threading.Lock()

    def refund(self, payment_intent: str, amount_idr: int, idempotency_key: str) -> Refund:
        """Record the call, wait a little, and accept it."""
        with self._lock:
            self.refunds.append((payment_intent, amount_idr, idempotency_key))
        if self.during is not None:
            self.during()
        threading.Event().wait(self.delay)
        return super().refund(payment_intent, amount_idr, idempotency_key)


def new_variant(like: Product, stock: int) -> int:
    """A new product in the same category and workshop, with one variant in stock; its id."""
    product = make_product("Teak bowl", category=like.category, workshop=like.workshop,
                           prices=(120_000,), stock=stock)  # fmt: skip
    db.session.commit()
    return product.variants[0].id


def place(variant_id: int, quantity: int, *, overdue: bool = True) -> int:
    """A buyer checks out and is sent to the payment page; the window closed if `overdue`."""
    cart = Cart(token=secrets.token_urlsafe(16),
                lines=[CartLine(variant_id=variant_id, quantity=quantity)])  # fmt: skip
    db.session.add(cart)
    db.session.commit()
    order = orders.place_order(cart, email="aiko@example.jp", country="JP", locale="en",
                               card_limit_idr=10**12)  # fmt: skip
    opened = datetime.now(UTC) - (timedelta(hours=1) if overdue else timedelta())
    orders.start_payment(order, SlowGateway(), success_url="/paid", cancel_url="/cancelled",
                         now=opened)  # fmt: skip
    return order.id


def paid_event(order_id: int, event_id: str | None = None) -> PaymentEvent:
    """The provider's word that the buyer paid the order's total."""
    order = db.session.get(Order, order_id)
    assert order is not None
    return PaymentEvent(
        id=event_id or "evt_paid_" + secrets.token_hex(8), type="checkout.session.completed",
        session_id=order.payment_session_id, order_id=order.id, payment_status="paid",
        amount_minor=to_minor_units(order.total_idr, "IDR"), currency="IDR",
        payment_intent=f"pi_race_{order.id}", email=order.email, shipping_address=ADDRESS,
    )  # fmt: skip


def refunded_event(order_id: int, amount_idr: int) -> PaymentEvent:
    """The provider's report that `amount_idr` of the order's payment went back in all."""
    order = db.session.get(Order, order_id)
    assert order is not None
    minor = to_minor_units(amount_idr, "IDR")
    return PaymentEvent(
        id="evt_refund_" + secrets.token_hex(8), type="charge.refunded", order_id=order.id,
        amount_minor=minor, currency="IDR", payment_intent=f"pi_race_{order.id}",
        amount_captured_minor=to_minor_units(order.total_idr, "IDR"),
    )  # fmt: skip


def shelf(variant_id: int) -> tuple[int, int]:
    """(pieces on the shelf, pieces held by orders) of a variant, as committed."""
    db.session.expire_all()
    stock = db.session.scalar(select(Variant.stock).where(Variant.id == variant_id))
    held = db.session.scalar(
        select(func.coalesce(func.sum(OrderLine.reserved_quantity), 0)).where(
            OrderLine.variant_id == variant_id
        )
    )
    return int(stock or 0), int(held or 0)


def fresh(order_id: int) -> Order:
    """The order as committed."""
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    assert order is not None
    return order


def history(order: Order) -> list[str]:
    """The statuses the order's history moved it to, in order (notes left out)."""
    return [e.to_status for e in order.events if e.from_status != e.to_status]


def assert_history_is_one_chain(order: Order) -> None:
    """Each history row starts where the one before ended: no move was made twice or lost."""
    rows = [(e.from_status, e.to_status) for e in order.events]
    for before, after in zip(rows, rows[1:], strict=False):
        assert after[0] == before[1], f"{order.number}: history breaks its chain: {rows}"
    assert rows[-1][1] == str(order.status), f"{order.number}: history ends elsewhere: {rows}"
