"""The one place that moves quote requests between states, recording every move."""

from __future__ import annotations

from shop.models import QuoteEvent, QuoteRequest, QuoteStatus

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


def can_move(quote: QuoteRequest, to: QuoteStatus) -> bool:
    """Whether the quote may move to `to` from its current state."""
    return to in ALLOWED[quote.status]


def move(quote: QuoteRequest, to: QuoteStatus, *, actor: str, note: str = "") -> None:
    """Move the quote to `to` and append the history row; the caller commits."""
    if not can_move(quote, to):
        raise InvalidQuoteTransition(quote.status, to)
    note_only(quote, actor=actor, note=note, to=to)
    quote.status = to


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
