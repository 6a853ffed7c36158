"""The audit log: who changed what in the back office, and when.

Services call `record` inside their own transaction, so an entry is written exactly when the
change it describes is committed, and never for a change that was rolled back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from shop.extensions import db
from shop.models import AuditEntry, User

SYSTEM = "system"
_LABEL_LENGTH = 200

Actor = User | str | None  # an account, an email address, or None for the shop itself


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
