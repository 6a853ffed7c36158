"""Recording outgoing messages, and what staff see and do with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from shop.gateways.mail import Attachment, MailError, MailMessage, header_problem
from shop.models import MailStatus, OutboundMail, OutboundMailAttachment

PAGE_SIZE = 50


def record(session: Session, message: MailMessage, request_id: str | None = None) -> OutboundMail:
    """Add the message to the session as a queued row; the caller's commit stores it.

    Raises MailError, adding nothing, for a message no transport could send (a line break in
    a header: gateways.mail.header_problem).
    """
    problem = header_problem(message)
    if problem is not None:
        raise MailError(problem)
    row = OutboundMail(
        recipient=message.to,
        subject=message.subject,
        text=message.text,
        html=message.html,
        reply_to=message.reply_to,
        status=MailStatus.QUEUED,
        attempts=0,
        next_attempt_at=datetime.now(UTC),
        request_id=request_id if request_id and request_id != "-" else None,
        attachments=[
            OutboundMailAttachment(filename=a.filename, content_type=a.content_type, data=a.data)
            for a in message.attachments
        ],
    )
    session.add(row)
    return row


def as_message(row: OutboundMail) -> MailMessage:
    """The message a row holds, for the transport."""
    return MailMessage(
        to=row.recipient, subject=row.subject, text=row.text, html=row.html,
        reply_to=row.reply_to,
        attachments=tuple(
            Attachment(a.filename, a.content_type, a.data) for a in row.attachments
        ),
    )  # fmt: skip


def retry_now(session: Session, mail_id: int, now: datetime | None = None) -> bool:
    """Make a waiting or failed message due at once (a failed one gets its tries back).

    Returns False when there is no such message or it was sent already. Commits.
    """
    now = now or datetime.now(UTC)
    table = OutboundMail.__table__
    result = session.execute(
        update(table)
        .where(table.c.id == mail_id, table.c.status != MailStatus.SENT.value)
        .values(
            status=MailStatus.QUEUED.value,
            next_attempt_at=now,
            attempts=0,
        )
    )
    session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


@dataclass(frozen=True)
class QueueCounts:
    """How many messages wait, wait after a failed try, have failed for good, were sent."""

    queued: int
    retrying: int
    failed: int
    sent: int

    @property
    def trouble(self) -> bool:
        """Whether staff should look: a message failed for good or is being retried."""
        return bool(self.failed or self.retrying)


def counts(session: Session) -> QueueCounts:
    """The queue at a glance, in one query."""
    retrying = (OutboundMail.status == MailStatus.QUEUED) & (OutboundMail.attempts > 0)
    rows = session.execute(
        select(OutboundMail.status, retrying, func.count())
        .group_by(OutboundMail.status, retrying)
    ).all()  # fmt: skip
    found: dict[str, int] = {"queued": 0, "retrying": 0, "failed": 0, "sent": 0}
    for status, is_retry, count in rows:
        key = "retrying" if status == MailStatus.QUEUED and is_retry else str(status.value)
        found[key] += count
    return QueueCounts(**found)


def listing(session: Session, status: MailStatus | None, page: int = 1) -> list[OutboundMail]:
    """Messages with the given status (all unsent ones without), oldest waiting first."""
    query = select(OutboundMail)
    if status is None:
        query = query.where(OutboundMail.status != MailStatus.SENT)
        query = query.order_by(OutboundMail.created_at, OutboundMail.id)
    else:
        query = query.where(OutboundMail.status == status)
        query = query.order_by(OutboundMail.created_at.desc(), OutboundMail.id.desc())
    offset = (max(page, 1) - 1) * PAGE_SIZE
    return list(session.scalars(query.limit(PAGE_SIZE + 1).offset(offset)))
