"""What storefront pages read on every request yet changes only with the catalog, kept per
catalog version in the app.

The categories and workshops with their counts, the exchange rates and the search synonyms
change only by a structural catalog change, which bumps the global catalog version
(catalog.version: every such model is in CATALOG_MODELS). So each is read once per version
and kept in the app: a request on an unchanged catalog pays one primary-key read of the
version for all of them, whatever the catalog's size, instead of a statement for each.

The version is read once per transaction, before anything kept is used. What is kept under
a version was therefore read at that version or later, never earlier: a request that sees
a newer version reads again. A transaction that bumps the version itself forgets what it
read, and keeps nothing it reads: its changes may yet be rolled back
(bump_catalog_version calls `forget`).

Kept values are plain data, never ORM rows: a row kept past its session would be expired
by the next commit, or read by two threads' sessions at once. `snapshot` copies an entry's
columns and the translation rows loaded with it, which is all a template reads of it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from types import SimpleNamespace
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from shop.extensions import db
from shop.models import CatalogVersion

T = TypeVar("T")
_MEMO = "kb_catalog_version"  # session.info: (transaction, version) read in it
_WROTE = "kb_catalog_written"  # session.info: the transaction that changed the catalog
_LOCK = threading.Lock()
# Built once: building a statement and its cache key cost as much as the read itself.
_VERSION = select(CatalogVersion.version).where(CatalogVersion.id == 1)


def catalog_version() -> int:
    """The catalog version, read once per transaction (0 before anything was recorded)."""
    session = db.session()
    transaction = session.get_transaction()
    seen = session.info.get(_MEMO)
    if transaction is not None and seen is not None and seen[0] is transaction:
        return int(seen[1])
    version = session.scalar(_VERSION) or 0
    session.info[_MEMO] = (session.get_transaction(), version)
    return version


def forget(session: Session) -> None:
    """This transaction changed the catalog: read the version again when next asked, and keep
    nothing it reads (it sees its own changes, which may yet be rolled back)."""
    session.info.pop(_MEMO, None)
    session.info[_WROTE] = session.get_transaction()


def _wrote_catalog(session: Session) -> bool:
    transaction = session.get_transaction()
    return transaction is not None and session.info.get(_WROTE) is transaction


def kept(name: Hashable, load: Callable[[], T]) -> T:
    """`load()` as of the current catalog version: loaded at most once per version."""
    version = catalog_version()
    store: dict[Hashable, tuple[int, Any]] = current_app.extensions.setdefault("kept", {})
    hit = store.get(name)
    if hit is not None and hit[0] == version:
        return hit[1]  # type: ignore[no-any-return]
    value = load()  # may flush the session's own changes, and so bump the version
    if _wrote_catalog(db.session()):
        return value
    with _LOCK:
        # Another thread may have loaded a newer version meanwhile: keep the newest.
        current = store.get(name)
        if current is None or current[0] <= version:
            store[name] = (version, value)
    return value


def _columns(row: Any) -> dict[str, Any]:
    return {attr.key: getattr(row, attr.key) for attr in inspect(row).mapper.column_attrs}


def snapshot(entry: Any) -> SimpleNamespace:
    """A catalog entry's columns and loaded translation rows, as plain data."""
    state = inspect(entry)
    loaded = "shown_translations" in state.attrs and "shown_translations" not in state.unloaded
    rows = entry.shown_translations if loaded else ()
    shown = [SimpleNamespace(**_columns(t)) for t in rows]
    return SimpleNamespace(**_columns(entry), shown_translations=shown)
