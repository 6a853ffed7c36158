"""The one door that moves quote requests between states, recording every move.

As for orders (`ordering/status.py`): a unit of work that changes a quote starts with
`lock(quote_id)`, which locks its paying order's row and then its own (the order first, as
payment events do, so the two never wait on each other in a circle) and re-reads it; `move`
writes the status with a conditional UPDATE, so a writer that missed an earlier move loses
(QuoteTransitionLost) instead of overwriting it.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from shop.database import begin_write
from shop.extensions import db
from shop.models import Order, QuoteEvent, QuoteRequest, QuoteStatus

Q = QuoteStatus
ALLOWED: dict[QuoteStatus, frozenset[QuoteStatus]] = {
    Q.NEW: frozenset({Q.ANSWERED, Q.DECLINED}),
    # Answered again: staff revise the offer (a new version replaces the one shown).
    Q.ANSWERED: frozenset({Q.ANSWERED, Q.ACCEPTED, Q.DECLINED, Q.EXPIRED}),
    # Accepted but not yet paid: staff may still revise it (which asks the buyer again), and
    # an unpaid acceptance lapses with the offer's validity.
    Q.ACCEPTED: frozenset({Q.PAID, Q.ANSWERED, Q.EXPIRED}),
    Q.PAID: frozenset({Q.IN_PRODUCTION, Q.SHIPPED}),
    Q.IN_PRODUCTION: frozenset({Q.IN_PRODUCTION, Q.SHIPPED}),
    Q.SHIPPED: frozenset(),
    # A new offer can revive a declined or lapsed request.
    Q.DECLINED: frozenset({Q.ANSWERED}),
    Q.EXPIRED: frozenset({Q.ANSWERED, Q.PAID}),
}


class InvalidQuoteTransition(Exception):
    """A quote asked to move to a state it cannot reach from where it is."""

    def __init__(self, current: QuoteStatus, wanted: QuoteStatus) -> None:
        super().__init__(f"cannot move a quote from {current} to {wanted}")
        self.current = current
        self.wanted = wanted


class QuoteTransitionLost(InvalidQuoteTransition):
    """Another request moved the quote between reading it and writing the move."""


def lock(quote_id: int) -> QuoteRequest | None:
    """Begin the unit of work that may change this quote and return it, locked and fresh."""
    begin_write(db.session)
    order_id = db.session.scalar(select(QuoteRequest.order_id).where(QuoteRequest.id == quote_id))
    if order_id is not None:
        db.session.execute(select(Order.id).where(Order.id == order_id).with_for_update())
    return db.session.scalar(
        select(QuoteRequest)
        .where(QuoteRequest.id == quote_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def can_move(quote: QuoteRequest, to: QuoteStatus) -> bool:
    """Whether the quote may move to `to` from its current state."""
    return to in ALLOWED[quote.status]


def move(quote: QuoteRequest, to: QuoteStatus, *, actor: str, note: str = "") -> None:
    """Move the quote to `to` and append the history row; the caller commits."""
    current = quote.status
    if not can_move(quote, to):
        raise InvalidQuoteTransition(current, to)
    if quote.id is not None:  # a stored quote: only if nobody moved it meanwhile
        moved = db.session.execute(
            update(QuoteRequest)
            .where(QuoteRequest.id == quote.id, QuoteRequest.status == current)
            .values(status=to)
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved != 1:
            raise QuoteTransitionLost(current, to)
    note_only(quote, actor=actor, note=note, to=to)
    if quote.id is None:  # not stored yet: nothing to race with
        quote.status = to
    else:
        set_committed_value(quote, "status", to)


def note_only(quote: QuoteRequest, *, actor: str, note: str, to: QuoteStatus | None = None) -> None:
    """Append a history row without changing the state (e.g. a message or a file)."""
    quote.events.append(
        QuoteEvent(
            from_status=str(quote.status) if quote.status else None,
            to_status=str(to or quote.status or Q.NEW),
            actor=actor,
            note=note,
        )
    )
