"""Delivering queued messages: claim a few, send them, record what happened.

Every step runs on a connection of its own (not the caller's session), so a worker, a
command, or a request that just committed can all deliver, at the same time, safely: the
claim is one guarded UPDATE that only one of them can win.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, delete, select, update

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


# Messages claimed at once: a request's few (a confirmation and the staff notice) in one
# claim and one record of what was sent. Few enough that the last is sent well within its
# lease even when each send waits for a slow mail server's timeout.
BATCH = 5

# Built once, every value a parameter: building these and their cache keys cost more than
# running them, on the mail every paid order sends.
_IDS = bindparam("ids", expanding=True)
_WHEN = TABLE.c.next_attempt_at.type
_CLAIM = (
    update(TABLE)
    .where(
        TABLE.c.id.in_(_IDS),
        TABLE.c.status == MailStatus.QUEUED.value,
        TABLE.c.next_attempt_at <= bindparam("due_by", type_=_WHEN),
    )
    .values(next_attempt_at=bindparam("lease_until", type_=_WHEN), attempts=TABLE.c.attempts + 1)
    .returning(*TABLE.c)
)
_FILES_OF = (
    select(FILES.c.mail_id, FILES.c.filename, FILES.c.content_type, FILES.c.data)
    .where(FILES.c.mail_id.in_(_IDS))
    .order_by(FILES.c.id)
)
# The body goes once delivered: it may hold a one-time link (password resets), and the
# database need not keep a copy of every buyer's mail.
_SENT = (
    update(TABLE)
    .where(TABLE.c.id.in_(_IDS))
    .values(
        status=MailStatus.SENT.value,
        sent_at=bindparam("sent_time", type_=_WHEN),
        last_error=None,
        text="",
        html=None,
    )  # fmt: skip
)
_DROP_FILES = delete(FILES).where(FILES.c.mail_id.in_(_IDS))


def claim(engine: Engine, ids: list[int], policy: RetryPolicy, now: datetime) -> list[Any]:
    """Take for this deliverer those of the messages that are due and that no other
    deliverer holds: their rows, in the order asked. One guarded UPDATE, which also returns
    what it claimed."""
    lease_until = now + timedelta(seconds=policy.lease_seconds)
    with engine.begin() as connection:
        rows = connection.execute(
            _CLAIM, {"ids": ids, "due_by": now, "lease_until": lease_until}
        ).all()
    return sorted(rows, key=lambda row: ids.index(row.id))


def _files(engine: Engine, ids: list[int]) -> dict[int, list[Attachment]]:
    with engine.connect() as connection:
        rows = connection.execute(_FILES_OF, {"ids": ids}).all()
    files: dict[int, list[Attachment]] = {}
    for mail_id, *file in rows:
        files.setdefault(mail_id, []).append(Attachment(*file))
    return files


def _sent(engine: Engine, ids: list[int], with_files: list[int]) -> None:
    with engine.begin() as connection:
        connection.execute(_SENT, {"ids": ids, "sent_time": datetime.now(UTC)})
        if with_files:
            connection.execute(_DROP_FILES, {"ids": with_files})


def _deliver_batch(
    engine: Engine, transport: Mailer, ids: list[int], policy: RetryPolicy, now: datetime,
    report: DeliveryReport,
) -> None:  # fmt: skip
    """Claim the messages, send each, and record in one go the ones that went out."""
    rows = claim(engine, ids, policy, now)
    if not rows:
        return
    files = _files(engine, [row.id for row in rows])
    sent: list[int] = []
    try:
        for row in rows:
            message = MailMessage(
                to=row.recipient, subject=row.subject, text=row.text, html=row.html,
                reply_to=row.reply_to, attachments=tuple(files.get(row.id, ())),
            )  # fmt: skip
            try:
                transport.send(message)
            except MailError as exc:
                outcome = _failed(engine, row.id, row.attempts, str(exc), policy, now)
                getattr(report, outcome).append(row.id)
            else:
                sent.append(row.id)
    finally:
        # Recorded even if a send raised something unexpected: what went out never goes twice.
        if sent:
            _sent(engine, sent, [mail_id for mail_id in sent if mail_id in files])
            report.sent.extend(sent)


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
    for first in range(0, len(ids), BATCH):
        batch = ids[first : first + BATCH]
        _deliver_batch(engine, transport, batch, policy, now or datetime.now(UTC), report)
    return report


def deliver_due(
    engine: Engine, transport: Mailer, policy: RetryPolicy, now: datetime | None = None,
    limit: int = 100,
) -> DeliveryReport:  # fmt: skip
    """Deliver every message due now (up to `limit`): the retry sweep."""
    now = now or datetime.now(UTC)
    return deliver(engine, transport, due_ids(engine, now, limit), policy, now)
