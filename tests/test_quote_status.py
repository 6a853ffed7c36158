"""The quote state machine: every allowed move works and records history, every other refuses."""

from __future__ import annotations

import pytest

from shop.models import QuoteRequest, QuoteStatus
from shop.services.quotes import status as quote_status
from shop.services.quotes.status import ALLOWED, InvalidQuoteTransition

Q = QuoteStatus
ALL_MOVES = [(a, b) for a in Q for b in Q]


def quote_in(status: QuoteStatus) -> QuoteRequest:
    return QuoteRequest(status=status, events=[])


@pytest.mark.parametrize(("start", "to"), [m for m in ALL_MOVES if m[1] in ALLOWED[m[0]]])
def test_allowed_moves_change_the_state_and_append_history(start, to) -> None:
    quote = quote_in(start)
    quote_status.move(quote, to, actor="staff@example", note="why")
    assert quote.status == to
    assert [(e.from_status, e.to_status, e.actor) for e in quote.events] == [
        (str(start), str(to), "staff@example")
    ]


@pytest.mark.parametrize(("start", "to"), [m for m in ALL_MOVES if m[1] not in ALLOWED[m[0]]])
def test_forbidden_moves_raise_and_change_nothing(start, to) -> None:
    quote = quote_in(start)
    with pytest.raises(InvalidQuoteTransition):
        quote_status.move(quote, to, actor="staff@example")
    assert quote.status == start and quote.events == []


def test_the_main_road_is_open_and_a_shipped_quote_is_final() -> None:
    road = [Q.NEW, Q.ANSWERED, Q.ACCEPTED, Q.PAID, Q.IN_PRODUCTION, Q.SHIPPED]
    for here, there in zip(road, road[1:], strict=False):
        assert there in ALLOWED[here]
    assert ALLOWED[Q.SHIPPED] == frozenset()
    assert Q.ACCEPTED not in ALLOWED[Q.NEW]  # nothing to accept before an offer
    assert Q.PAID not in ALLOWED[Q.ANSWERED]  # paying needs an acceptance first
