"""Two staff recording bank transfers on one order at once, and two reminder sweeps at once:
both sides really run together, each on its own connection (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask, url_for
from sqlalchemy import func, select

from shop.config_documents import shop_details
from shop.extensions import db
from shop.models import BankTransfer, Order, OrderEvent, OrderStatus, OutboundMail, QuoteRequest
from shop.services.ordering import bank_transfers
from shop.services.quotes import offers, reminders, requests
from shop.services.quotes import payments as quote_payments
from shop.services.quotes.acceptance import BuyerDetails
from tests.factories import TODAY
from tests.races import run_together
from tests.test_admin_quotes import an_offer, make_quote
from tests.test_quotes import ACCEPT

ROUNDS = 3
STAFF = "siti@karyabinaan.example"


def waiting_order(app: Flask) -> int:
    """A quote accepted above the card limit; the id of its order waiting for transfers."""
    quote = make_quote(app)
    offers.send_offer(quote, an_offer(), actor=STAFF)
    requests.accept(quote, 1, details=BuyerDetails.of(**ACCEPT), today=TODAY)
    order = quote_payments.payment_order(
        quote, app.extensions["payments"], card_limit_idr=1, today=TODAY
    )
    return order.id


def transfer(order_id: int, amount: int, reference: str):
    def side() -> str:
        try:
            done = bank_transfers.record_incoming(
                order_id, amount_idr=amount, reference=reference, transferred_on=TODAY,
                actor=STAFF, today=TODAY,
            )  # fmt: skip
        except bank_transfers.TransferRefused as refused:
            return refused.key
        return done.outcome

    return side


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_staff_recording_the_same_transfer_record_it_once(app, round_) -> None:
    order_id = waiting_order(app)
    results = run_together(app, transfer(order_id, 20_000_000, "BCA 77"),
                           transfer(order_id, 20_000_000, "BCA 77"))  # fmt: skip
    assert [r.error for r in results] == [None, None], [r.trace for r in results]
    assert sorted(r.value for r in results) == ["duplicate", "short"]
    order = db.session.get(Order, order_id)
    assert order.bank_received_idr == 20_000_000 and len(order.bank_transfers) == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_parts_arriving_at_once_pay_the_order_exactly_once(app, round_) -> None:
    order_id = waiting_order(app)
    total = db.session.get(Order, order_id).total_idr
    results = run_together(app, transfer(order_id, total - 6_000_000, "BCA 1"),
                           transfer(order_id, 6_000_000, "BCA 2"))  # fmt: skip
    assert [r.error for r in results] == [None, None], [r.trace for r in results]
    assert sorted(r.value for r in results) == ["paid", "short"]
    order = db.session.get(Order, order_id)
    assert (order.status, order.bank_received_idr) == (OrderStatus.PAID, total)
    paid_moves = db.session.scalar(
        select(func.count()).select_from(OrderEvent)
        .where(OrderEvent.order_id == order_id, OrderEvent.to_status == OrderStatus.PAID)
    )  # fmt: skip
    assert paid_moves == 1 and order.invoice_number
    count = db.session.scalar(
        select(func.count()).select_from(BankTransfer).where(BankTransfer.order_id == order_id)
    )
    assert count == 2


def sweep(app: Flask, today):
    def side() -> int:
        with app.test_request_context():
            return reminders.send_due(
                app.extensions["mailer"], shop_details(app.config),
                lambda o: url_for("orders.show", token=o.token, _external=True), today=today,
            )  # fmt: skip

    return side


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_reminder_sweeps_at_once_send_one_reminder(app, round_) -> None:
    order_id = waiting_order(app)
    day = TODAY + timedelta(days=28)
    results = run_together(app, sweep(app, day), sweep(app, day))
    assert [r.error for r in results] == [None, None], [r.trace for r in results]
    assert sorted(r.value for r in results) == [0, 1]
    order = db.session.get(Order, order_id)
    reminders_queued = db.session.scalar(
        select(func.count())
        .select_from(OutboundMail)
        .where(OutboundMail.recipient == order.email, OutboundMail.subject.startswith("Reminder"))
    )
    assert reminders_queued == 1
    quote = db.session.scalar(select(QuoteRequest).where(QuoteRequest.order_id == order_id))
    assert quote.payment_reminder_sent_on == day
