"""Catch up with the payment provider: apply what its webhooks should have told us.

A webhook can be lost (endpoint down, secret rotated, a deploy at the wrong second). The
provider's own list of checkout sessions is the record; each session's events go through the
same handle_event as webhooks, with ids derived from the session, so a second run, or a webhook
arriving later, is recognised as already applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from shop.extensions import db
from shop.gateways.payments import PaymentEvent, PaymentGateway
from shop.models import Order, OrderStatus
from shop.services.ordering import payments

# Outcomes that leave the order as it was, and those where staff must look at the payment.
UNCHANGED = frozenset({"duplicate", "already paid", "already recorded", "ignored"})
NEEDS_A_LOOK = frozenset({"no matching order", "amount mismatch"})


@dataclass
class Reconciliation:
    """What a run found: how many sessions it read and what each applied event did."""

    sessions_checked: int = 0
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (order number|session, word)

    @property
    def changes(self) -> list[tuple[str, str]]:
        """The outcomes that moved an order on."""
        skip = UNCHANGED | NEEDS_A_LOOK
        return [(label, word) for label, word in self.outcomes if word not in skip]

    @property
    def problems(self) -> list[tuple[str, str]]:
        """Payments the shop could not match to an order, or whose amount is wrong."""
        return [(label, word) for label, word in self.outcomes if word in NEEDS_A_LOOK]


def reconcile_payments(
    gateway: PaymentGateway,
    since: datetime,
    *,
    on_paid: Callable[[Order], None] | None = None,
) -> Reconciliation:
    """Apply the provider's sessions created since then to their orders; commit per event.

    Raises PaymentError if the provider cannot be read; events applied before stay applied.
    """
    report = Reconciliation()
    for history in gateway.session_history(since):
        report.sessions_checked += 1
        for event in history.events:
            order = _order_for(event)
            if event.type == "checkout.session.expired" and not _still_waiting(order, event):
                continue
            outcome = payments.handle_event(event, gateway.name, on_paid=on_paid)
            order = order or _order_for(event)
            label = order.number if order is not None and order.number else history.session_id
            report.outcomes.append((label or event.id, outcome))
    return report


def _still_waiting(order: Order | None, event: PaymentEvent) -> bool:
    """Whether this expired session is the one the order still waits on."""
    return (
        order is not None
        and order.status == OrderStatus.PENDING_PAYMENT
        and order.payment_session_id == event.session_id
    )


def _order_for(event: PaymentEvent) -> Order | None:
    """The order the event names: by id, else by its session or payment."""
    order_id = payments.order_id_for(event)
    return db.session.get(Order, order_id) if order_id is not None else None
