"""Races over one quote: both sides at once, each on its own connection (SQLite and PostgreSQL)."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from shop.extensions import db
from shop.gateways.demo_payments import DemoGateway
from shop.gateways.payments import Address, PaymentEvent
from shop.models import Order, OrderStatus, QuoteRequest, QuoteStatus
from shop.services.money import to_minor_units
from shop.services.ordering import payments
from shop.services.quotes import offers, requests
from shop.services.quotes import payments as quote_payments
from shop.services.quotes.status import InvalidQuoteTransition
from tests.factories import TODAY
from tests.races import run_together
from tests.test_admin_quotes import an_offer, make_quote

S, Q = OrderStatus, QuoteStatus
ROUNDS = 5
STAFF = "siti@karyabinaan.example"
GATEWAY = DemoGateway(lambda session_id: f"/demo-pay/{session_id}")


def accepted_quote(app: Flask) -> int:
    """A request answered with version 1 and accepted by the buyer; its id."""
    quote = make_quote(app)
    offers.send_offer(quote, an_offer(), actor=STAFF)
    requests.accept(quote, 1, today=TODAY)
    return quote.id


def pay_page(quote_id: int) -> Order:
    quote = db.session.get(QuoteRequest, quote_id)
    return quote_payments.payment_order(quote, GATEWAY, card_limit_idr=10**12, today=TODAY)


def pending_order(quote_id: int) -> int:
    order = pay_page(quote_id)
    order.payment_gateway, order.payment_session_id = "demo", f"demo_cs_{secrets.token_hex(6)}"
    db.session.commit()
    return order.id


def paid_event(order_id: int) -> PaymentEvent:
    order = db.session.get(Order, order_id)
    assert order is not None
    address = Address(name="Sari", line1="Jl. Merdeka 1", city="Jakarta", country="ID")
    return PaymentEvent(
        id="evt_" + secrets.token_hex(8), type="checkout.session.completed",
        session_id=order.payment_session_id, order_id=order.id, payment_status="paid",
        amount_minor=to_minor_units(order.total_idr, "IDR"), currency="IDR",
        payment_intent=f"pi_{order.id}", shipping_address=address,
    )  # fmt: skip


def orders_of(quote_id: int) -> list[Order]:
    db.session.expire_all()
    sku = f"QUOTE-{db.session.get(QuoteRequest, quote_id).number}"
    return list(
        db.session.scalars(
            select(Order).join(Order.lines).where(Order.lines.any(sku=sku)).distinct()
        )
    )


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_payment_pages_opened_at_once_leave_one_order_to_pay(app, round_) -> None:
    quote_id = accepted_quote(app)
    results = run_together(app, lambda: pay_page(quote_id).id, lambda: pay_page(quote_id).id)
    assert [r.error for r in results] == [None, None], [r.trace for r in results]
    made = orders_of(quote_id)
    waiting = [o for o in made if o.status == S.PENDING_PAYMENT]
    assert len(made) == 2 and len(waiting) == 1, [(o.number, o.status) for o in made]
    assert db.session.get(QuoteRequest, quote_id).order_id == waiting[0].id
    replaced = next(o for o in made if o.status == S.CANCELLED)
    assert replaced.events[-1].note == "A new payment was started"


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_revision_racing_the_payment_never_loses_the_payment(app, round_) -> None:
    quote_id = accepted_quote(app)
    order_id = pending_order(quote_id)
    event = paid_event(order_id)
    revision = an_offer(unit_price_idr=500_000, valid_until=TODAY + timedelta(days=20))

    def revise() -> str:
        quote = db.session.get(QuoteRequest, quote_id)
        offers.send_offer(quote, revision, actor=STAFF, gateway=GATEWAY, today=TODAY)
        return "revised"

    revised, paid = run_together(app, revise, lambda: payments.handle_event(event, "stripe"))
    assert paid.error is None, paid.trace
    assert paid.value == "paid"  # the money always counts
    order = db.session.get(Order, order_id)
    quote = db.session.get(QuoteRequest, quote_id)
    assert order.status == S.PAID and order.paid_at is not None
    if revised.error is None:  # the revision came first: the payment was for version 1
        assert quote.status == Q.ANSWERED and quote.current_offer.version == 2
        assert "earlier version" in quote.events[-1].note
    else:  # the payment came first: a paid quote is not revised
        assert isinstance(revised.error, InvalidQuoteTransition), revised.trace
        assert quote.status == Q.PAID and quote.current_offer.version == 1


def answered_quote(app: Flask) -> int:
    """A request answered with version 1, not yet accepted; its id."""
    quote = make_quote(app)
    offers.send_offer(quote, an_offer(), actor=STAFF)
    return quote.id


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_the_buyer_accepting_as_staff_revise_never_accepts_the_old_terms_silently(
    app, round_
) -> None:
    quote_id = answered_quote(app)
    revision = an_offer(unit_price_idr=500_000)

    def accept() -> str:
        requests.accept(db.session.get(QuoteRequest, quote_id), 1, today=TODAY)
        return "accepted"

    def revise() -> str:
        quote = db.session.get(QuoteRequest, quote_id)
        offers.send_offer(quote, revision, actor=STAFF, gateway=GATEWAY, today=TODAY)
        return "revised"

    accepted, revised = run_together(app, accept, revise)
    assert revised.error is None, revised.trace
    quote = db.session.get(QuoteRequest, quote_id)
    # Whatever came first, the revision stands and waits for the buyer's answer.
    assert (quote.status, quote.current_offer.version) == (Q.ANSWERED, 2)
    if accepted.error is not None:  # the revision came first: version 1 is refused
        assert isinstance(accepted.error, requests.QuoteError), accepted.trace
        assert accepted.error.key == "revised"
    moves = [(e.from_status, e.to_status) for e in quote.events if e.from_status]
    assert all(a[1] == b[0] for a, b in zip(moves, moves[1:], strict=False)), moves


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_expiry_sweeps_expire_each_quote_once(app, round_) -> None:
    quote_id = answered_quote(app)
    later = TODAY + timedelta(days=31)  # past the offer's validity
    first, second = run_together(
        app, lambda: requests.expire_overdue(later), lambda: requests.expire_overdue(later)
    )
    assert (first.error, second.error) == (None, None), first.trace + second.trace
    assert sorted([first.value, second.value]) == [0, 1]
    quote = db.session.get(QuoteRequest, quote_id)
    assert quote.status == Q.EXPIRED
    assert [e.to_status for e in quote.events].count("expired") == 1
