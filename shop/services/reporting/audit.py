"""The audit log: who changed what in the back office, and when.

Services call `record` inside their own transaction, so an entry is written exactly when the
change it describes is committed, and never for a change that was rolled back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, func, select

from shop.extensions import db
from shop.models import AuditEntry, User

SYSTEM = "system"
_LABEL_LENGTH = 200

Actor = User | str | None  # an account, an email address, or None for the shop itself


def actor_email(actor: Actor) -> str:
    """The email address (or "system") a history row names for this actor."""
    if isinstance(actor, User):
        return actor.email
    return actor or SYSTEM


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a column value (enums by value, dates as ISO text)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, (str, int)):  # enums
        return value.value
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def snapshot(obj: object, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of obj, in a form `diff` and JSON understand."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs between two snapshots."""
    keys = list(before) + [key for key in after if key not in before]
    return {
        key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)
    }


def record(
    actor: Actor,
    action: str,
    *,
    target_type: str = "",
    target_id: int | None = None,
    label: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry to the session (the caller commits it with the change it describes).

    `action` is a dotted name such as "product.updated"; `changes` is usually a `diff`.
    """
    if isinstance(actor, User):
        actor_id, actor_email = actor.id, actor.email
    else:
        actor_id, actor_email = None, (actor or SYSTEM)
    entry = AuditEntry(
        actor_id=actor_id,
        actor_email=actor_email,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=label[:_LABEL_LENGTH],
        changes=json.dumps(dict(changes or {}), ensure_ascii=False, default=str),
    )
    db.session.add(entry)
    return entry


def changes_of(entry: AuditEntry) -> dict[str, Any]:
    """The entry's changes as a dict (empty if the stored text is not a JSON object)."""
    try:
        value = json.loads(entry.changes or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# Finding entries: the audit log page --------------------------------------------------------

# Action groups staff filter by, each the dotted prefix its actions start with.
ACTION_GROUPS = (
    "product", "variant", "stock", "photo", "category", "workshop", "catalog", "order", "quote",
    "user", "revenue_rate", "exchange_rate", "payout", "impact",
)  # fmt: skip
MAX_SEARCH = 200
MAX_ACTORS = 200


@dataclass(frozen=True)
class AuditFilter:
    """What staff look for in the log; empty fields match every entry."""

    actor: str = ""  # an email address, or part of one
    actor_exact: bool = False  # True: that address only, not every address containing it
    group: str = ""  # one of ACTION_GROUPS
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""  # part of the target's label


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(filters: AuditFilter, tz: tzinfo) -> list[ColumnElement[bool]]:
    """SQL conditions for the filter, with days running midnight to midnight in `tz`."""
    found: list[ColumnElement[bool]] = []
    actor = filters.actor.strip().lower()[:MAX_SEARCH]
    if actor and filters.actor_exact:
        found.append(func.lower(AuditEntry.actor_email) == actor)
    elif actor:
        found.append(func.lower(AuditEntry.actor_email).like(_like(actor), escape="\\"))
    if filters.group in ACTION_GROUPS:
        # LIKE, not a range: locale collations in PostgreSQL may ignore the dot when sorting.
        prefix = filters.group.replace("_", "\\_")
        found.append(AuditEntry.action.like(f"{prefix}.%", escape="\\"))
    if filters.date_from is not None:
        start = datetime.combine(filters.date_from, time.min, tzinfo=tz).astimezone(UTC)
        found.append(AuditEntry.created_at >= start)
    if filters.date_to is not None:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=tz)
        found.append(AuditEntry.created_at < end.astimezone(UTC))
    q = filters.q.strip()[:MAX_SEARCH]
    if q:
        found.append(func.lower(AuditEntry.target_label).like(_like(q), escape="\\"))
    return found


def search_entries(filters: AuditFilter, tz: tzinfo, page: int = 1, per_page: int = 50) -> Any:
    """One page of matching entries, newest first (a count and a page query)."""
    query = (
        select(AuditEntry)
        .where(*_conditions(filters, tz))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    return db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)


def actor_emails(limit: int = MAX_ACTORS) -> list[str]:
    """The addresses of everyone with an entry in the log, alphabetically."""
    return list(
        db.session.scalars(
            select(AuditEntry.actor_email).distinct().order_by(AuditEntry.actor_email).limit(limit)
        )
    )
