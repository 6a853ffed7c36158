"""Engine settings that differ per database backend."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine


def configure_engine_events(engine: Engine) -> None:
    """Put SQLite into WAL mode with a busy timeout and foreign keys enforced."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers run beside one writer; the busy timeout makes a second writer
        # wait instead of failing with "database is locked" under several workers.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def refresh_statistics(engine: Engine) -> None:
    """Update the query planner's statistics after bulk changes.

    Without statistics SQLite takes `status = 'active'` for a selective condition and scans
    the wrong index, making listing counts ten times slower; PostgreSQL's autovacuum usually
    keeps up on its own, but a fresh bulk load benefits there too.
    """
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
