"""Orders paid by bank transfer: every transfer staff see arrive is recorded, short or not.

An airline pays a large quote by wire, sometimes in parts, sometimes a little short (bank
charges) or over. Each transfer is kept with its amount, date and the bank's reference; the
order turns paid only when what arrived covers its total, a short payment leaves a balance due
that buyer and staff both see (the payment reference stays the same), and money beyond the
total is kept as an overpayment for staff to send back, recorded the same way.

Every change happens under the order's lock (`status.lock`), so two staff recording at once
take turns: the same bank reference is recorded once, and two parts that together complete the
order pay it exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.models import BankTransfer, Order, OrderStatus
from shop.services import clock
from shop.services.ordering import status as order_status
from shop.services.quotes import payments as quote_payments
from shop.services.reporting import audit

S = OrderStatus
MAX_REFERENCE = 120
MAX_AMOUNT_IDR = 10**13  # far beyond any order; keeps a typo with extra zeros out
# Statuses of an order still waiting for (the rest of) its money.
WAITING = frozenset({S.PENDING_PAYMENT, S.EXPIRED, S.CANCELLED})
BANK = "bank"


@dataclass(frozen=True)
class Balance:
    """What an order paid by bank transfer has received against its total."""

    total_idr: int
    received_idr: int
    returned_idr: int

    @property
    def due_idr(self) -> int:
        """What the buyer still has to send."""
        return max(self.total_idr - self.received_idr, 0)

    @property
    def overpaid_idr(self) -> int:
        """Money beyond the total not yet sent back to the buyer."""
        return max(self.received_idr - self.total_idr - self.returned_idr, 0)

    @property
    def part_paid(self) -> bool:
        """Some money arrived, but not all of it."""
        return 0 < self.received_idr < self.total_idr


def balance(order: Order) -> Balance:
    """The order's bank transfer balance."""
    return Balance(order.total_idr, order.bank_received_idr or 0, order.bank_returned_idr or 0)


def takes_transfers(order: Order) -> bool:
    """Whether transfers can be recorded on the order: not one paid through the card provider."""
    return order.payment_gateway in ("", BANK)


class TransferRefused(Exception):
    """A transfer that cannot be recorded; nothing was changed. `key` says why."""

    def __init__(self, key: str, limit_idr: int = 0) -> None:
        super().__init__(key)
        self.key = key  # reference, amount, date, duplicate, not_bank, nothing_to_return
        self.limit_idr = limit_idr


@dataclass(frozen=True)
class Recorded:
    """What recording a transfer did: `outcome` is paid, short, overpaid or extra (or returned)."""

    order: Order
    outcome: str
    amount_idr: int
    balance: Balance


@contextmanager
def _unit_of_work() -> Iterator[None]:
    """Commit what the block did, or roll all of it back; the same bank reference recorded by
    someone else in the meantime (the unique constraint) is refused as a duplicate."""
    try:
        yield
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise TransferRefused("duplicate") from None
    except Exception:
        db.session.rollback()
        raise


def _clean_reference(reference: str) -> str:
    reference = " ".join((reference or "").split())
    if not reference or len(reference) > MAX_REFERENCE:
        raise TransferRefused("reference")
    return reference


def _check(order: Order | None, amount_idr: int, on: date, today: date) -> Order:
    if order is None or not takes_transfers(order):
        raise TransferRefused("not_bank")
    if not 0 < amount_idr <= MAX_AMOUNT_IDR:
        raise TransferRefused("amount")
    if on > today:
        raise TransferRefused("date")
    return order


def _add(order: Order, direction: str, amount_idr: int, on: date, reference: str,
         actor: audit.Actor) -> None:  # fmt: skip
    if any(t.direction == direction and t.reference == reference for t in order.bank_transfers):
        raise TransferRefused("duplicate")
    order.bank_transfers.append(
        BankTransfer(direction=direction, amount_idr=amount_idr, transferred_on=on,
                     reference=reference, actor=audit.actor_email(actor))
    )  # fmt: skip


def record_incoming(
    order_id: int,
    *,
    amount_idr: int,
    reference: str,
    transferred_on: date,
    actor: audit.Actor,
    today: date | None = None,
) -> Recorded:
    """Record money that arrived for the order, and pay it once the total is covered; commit."""
    with _unit_of_work():
        reference = _clean_reference(reference)
        order = _check(order_status.lock(order_id), amount_idr, transferred_on,
                       today or clock.shop_today())  # fmt: skip
        _add(order, "in", amount_idr, transferred_on, reference, actor)
        order.bank_received_idr = (order.bank_received_idr or 0) + amount_idr
        order.payment_gateway = BANK
        outcome = _apply(order, amount_idr, reference, audit.actor_email(actor))
        audit.record(actor, "order.transfer_received", target_type="order", target_id=order.id,
                     label=order.number or f"#{order.id}",
                     changes={"amount_idr": amount_idr, "reference": reference,
                              "transferred_on": transferred_on.isoformat(), "outcome": outcome,
                              "received_idr": order.bank_received_idr})  # fmt: skip
    return Recorded(order, outcome, amount_idr, balance(order))


def _apply(order: Order, amount_idr: int, reference: str, email: str) -> str:
    """Move the order as far as the money allows and say what happened; the caller commits."""
    owed = balance(order)
    what = f"Bank transfer of {amount_idr} IDR received, reference {reference}"
    if order.status not in WAITING:
        order_status.note_only(order, actor=email, note=what + ": more than the order's total, "
                               "to be sent back to the buyer")  # fmt: skip
        return "extra"
    if owed.due_idr:
        note = f"{what}; {owed.received_idr} of {owed.total_idr} IDR received, {owed.due_idr} due"
        order_status.note_only(order, actor=email, note=note)
        return "short"
    order.payment_intent = order.payment_intent or f"bank:{reference}"[:255]
    note = what + "; paid in full"
    if owed.overpaid_idr:
        note = what + f"; paid, {owed.overpaid_idr} IDR more than the total to be sent back"
    order_status.pay(order, actor=email, note=note)
    quote_payments.follow_order(order, email)
    return "paid" if not owed.overpaid_idr else "overpaid"


def record_returned(
    order_id: int,
    *,
    amount_idr: int,
    reference: str,
    transferred_on: date,
    actor: audit.Actor,
    today: date | None = None,
) -> Recorded:
    """Record an overpayment sent back to the buyer by transfer; commit."""
    with _unit_of_work():
        reference = _clean_reference(reference)
        order = _check(order_status.lock(order_id), amount_idr, transferred_on,
                       today or clock.shop_today())  # fmt: skip
        owed = balance(order).overpaid_idr
        if not owed:
            raise TransferRefused("nothing_to_return")
        if amount_idr > owed:
            raise TransferRefused("amount", owed)
        _add(order, "out", amount_idr, transferred_on, reference, actor)
        order.bank_returned_idr = (order.bank_returned_idr or 0) + amount_idr
        email = audit.actor_email(actor)
        order_status.note_only(order, actor=email, note=f"Overpayment of {amount_idr} IDR sent "
                               f"back to the buyer, reference {reference}")  # fmt: skip
        audit.record(actor, "order.overpayment_returned", target_type="order",
                     target_id=order.id, label=order.number or f"#{order.id}",
                     changes={"amount_idr": amount_idr, "reference": reference})  # fmt: skip
    return Recorded(order, "returned", amount_idr, balance(order))
