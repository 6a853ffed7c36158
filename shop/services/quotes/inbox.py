"""The staff's quote inbox: requests by state, newest change first, and the counts."""

from __future__ import annotations

from sqlalchemy import func, select

from shop.extensions import db
from shop.models import QuoteRequest, QuoteStatus

Q = QuoteStatus


def inbox(status: QuoteStatus | None, page: int, per_page: int = 30):  # type: ignore[no-untyped-def]
    """A page of requests, most recently changed first, optionally of one status."""
    query = select(QuoteRequest).order_by(QuoteRequest.updated_at.desc(), QuoteRequest.id.desc())
    if status is not None:
        query = query.where(QuoteRequest.status == status)
    return db.paginate(query, page=page, per_page=per_page, max_per_page=100, error_out=False)


def count_new() -> int:
    """How many requests wait for a first answer (the back office's nav badge)."""
    query = select(func.count()).select_from(QuoteRequest).where(QuoteRequest.status == Q.NEW)
    return db.session.scalar(query) or 0


def counts_by_status() -> dict[QuoteStatus, int]:
    """How many requests are in each state, for the inbox's tabs."""
    rows = db.session.execute(
        select(QuoteRequest.status, func.count()).group_by(QuoteRequest.status)
    )
    return {status: count for status, count in rows}
