"""Delivering queued messages: claim one, send it, record what happened.

Every step runs on a connection of its own (not the caller's session), so a worker, a
command, or a request that just committed can all deliver, at the same time, safely: the
claim is one guarded UPDATE that only one of them can win.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select, update

from shop.gateways.mail import Attachment, Mailer, MailError, MailMessage
from shop.models import MailStatus, OutboundMail, OutboundMailAttachment

logger = logging.getLogger("shop.mail")
TABLE = OutboundMail.__table__
FILES = OutboundMailAttachment.__table__


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a message is tried."""

    max_attempts: int = 8
    base_seconds: int = 60
    cap_seconds: int = 6 * 3600
    # How long a claimed message is left to its deliverer before another may try it.
    lease_seconds: int = 300

    def delay(self, attempts: int) -> timedelta:
        """Wait after the `attempts`-th failed try: base, 2×base, 4×base, … up to the cap."""
        seconds = self.base_seconds * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=min(seconds, self.cap_seconds))


@dataclass
class DeliveryReport:
    """What one run of deliveries did."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def claim(engine: Engine, mail_id: int, policy: RetryPolicy, now: datetime) -> Any | None:
    """Take the message for this deliverer if it is due: its row, or None if another has it
    or it isn't due. One guarded UPDATE, which also returns what it claimed."""
    with engine.begin() as connection:
        return connection.execute(
            update(TABLE)
            .where(
                TABLE.c.id == mail_id,
                TABLE.c.status == MailStatus.QUEUED.value,
                TABLE.c.next_attempt_at <= now,
            )
            .values(
                next_attempt_at=now + timedelta(seconds=policy.lease_seconds),
                attempts=TABLE.c.attempts + 1,
            )
            .returning(*TABLE.c)
        ).one_or_none()


def deliver_one(
    engine: Engine, transport: Mailer, mail_id: int, policy: RetryPolicy,
    now: datetime | None = None,
) -> str | None:  # fmt: skip
    """Claim and send one message; return "sent", "retrying", "failed", or None (not ours)."""
    now = now or datetime.now(UTC)
    row = claim(engine, mail_id, policy, now)
    if row is None:
        return None
    with engine.connect() as connection:
        files = connection.execute(
            select(FILES.c.filename, FILES.c.content_type, FILES.c.data)
            .where(FILES.c.mail_id == mail_id)
            .order_by(FILES.c.id)
        ).all()
    message = MailMessage(
        to=row.recipient, subject=row.subject, text=row.text, html=row.html,
        reply_to=row.reply_to, attachments=tuple(Attachment(*f) for f in files),
    )  # fmt: skip
    try:
        transport.send(message)
    except MailError as exc:
        return _failed(engine, mail_id, row.attempts, str(exc), policy, now)
    with engine.begin() as connection:
        connection.execute(
            update(TABLE)
            .where(TABLE.c.id == mail_id)
            # The body goes once delivered: it may hold a one-time link (password resets), and
            # the database need not keep a copy of every buyer's mail.
            .values(
                status=MailStatus.SENT.value,
                sent_at=datetime.now(UTC),
                last_error=None,
                text="",
                html=None,
            )  # fmt: skip
        )
        if files:
            connection.execute(delete(FILES).where(FILES.c.mail_id == mail_id))
    return "sent"


def _failed(
    engine: Engine, mail_id: int, attempts: int, error: str, policy: RetryPolicy, now: datetime
) -> str:
    given_up = attempts >= policy.max_attempts
    values: dict[str, object] = {"last_error": error[:500]}
    if given_up:
        values["status"] = MailStatus.FAILED.value
    else:
        values["next_attempt_at"] = now + policy.delay(attempts)
    with engine.begin() as connection:
        connection.execute(update(TABLE).where(TABLE.c.id == mail_id).values(**values))
    # The id and the try, never the address: the log is read by more people than staff.
    logger.warning(
        "Mail %s not delivered (try %s of %s)%s", mail_id, attempts, policy.max_attempts,
        ": given up" if given_up else "",
    )  # fmt: skip
    return "failed" if given_up else "retrying"


def due_ids(engine: Engine, now: datetime, limit: int = 100) -> list[int]:
    """The messages due now, the longest waiting first."""
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(TABLE.c.id)
                .where(TABLE.c.status == MailStatus.QUEUED.value, TABLE.c.next_attempt_at <= now)
                .order_by(TABLE.c.next_attempt_at, TABLE.c.id)
                .limit(limit)
            ).scalars()
        )


def deliver(
    engine: Engine, transport: Mailer, ids: list[int], policy: RetryPolicy,
    now: datetime | None = None,
) -> DeliveryReport:  # fmt: skip
    """Try each of the given messages that is due and not taken by another deliverer."""
    report = DeliveryReport()
    for mail_id in ids:
        outcome = deliver_one(engine, transport, mail_id, policy, now)
        if outcome is not None:
            getattr(report, outcome).append(mail_id)
    return report


def deliver_due(
    engine: Engine, transport: Mailer, policy: RetryPolicy, now: datetime | None = None,
    limit: int = 100,
) -> DeliveryReport:  # fmt: skip
    """Deliver every message due now (up to `limit`): the retry sweep."""
    now = now or datetime.now(UTC)
    return deliver(engine, transport, due_ids(engine, now, limit), policy, now)
