"""Engine settings that differ per database backend."""

from __future__ import annotations

import select
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, scoped_session

# Execution option marking the connection of a unit of work begun with BEGIN IMMEDIATE.
_WRITE = "kb_write_transaction"


def configure_engine_events(engine: Engine) -> None:
    """Put SQLite into WAL mode with a busy timeout and foreign keys enforced; on PostgreSQL,
    read large tables from their start (synchronize_seqscans off), and before handing out a
    pooled connection, make sure the server has not closed it (`closed_while_idle`).

    The driver's own transaction handling stays: it opens a transaction at the first write,
    so a request that reads and then writes holds no stale snapshot and waits its turn (busy
    timeout) instead of failing. A unit of work that must read what it changes under the
    write lock starts with `begin_write`.
    """
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _postgres_settings(dbapi_connection: Any, _record: Any) -> None:
            # A scan of a large table starts at block 0, never wherever another scan has got
            # to: search reads its capped candidates in table order (search_match.find),
            # and the same search must find the same ones from one request to the next.
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET synchronize_seqscans = off")
            dbapi_connection.commit()

        @event.listens_for(engine, "checkout")
        def _alive(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            if closed_while_idle(dbapi_connection):
                # The pool drops it and hands out another (reconnecting if need be).
                raise DisconnectionError("the database closed this connection while it was idle")

        return
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


def closed_while_idle(dbapi_connection: Any) -> bool:
    """Whether the server closed a pooled PostgreSQL connection (or wrote to it) while idle.

    A restarted or crashed server, or a terminated backend, closes its connections: their
    sockets turn readable (the server's farewell, then end of file), while an idle connection
    in good health has nothing to read. Polling the socket tells them apart without a round
    trip to the server, which pre-pinging every checkout would cost each request. A server
    gone without closing anything (a cut cable) still shows on the first statement, which
    fails (503) and empties the pool.
    """
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def refresh_statistics(engine: Engine) -> None:
    """Update the query planner's statistics after bulk changes.

    Without statistics SQLite takes `status = 'active'` for a selective condition and scans
    the wrong index, making listing counts ten times slower. On PostgreSQL it is VACUUM
    ANALYZE: the listing's pages are cut from index-only scans, which read the table after
    all until a vacuum has marked the freshly loaded pages all-visible (VACUUM cannot run
    inside a transaction, hence autocommit).
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        return
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


class UnitOfWorkStarted(RuntimeError):
    """`begin_write` was called with changes already pending in the session."""


def begin_write(session: Session | scoped_session[Session]) -> None:
    """Start the session's next transaction as a writer, before it reads what it will change.

    PostgreSQL needs nothing here: the rows a unit of work changes are locked with
    SELECT … FOR UPDATE inside it. SQLite locks the whole database, and a transaction that
    read first and writes later fails at once ("database is locked") when another writer
    committed in between; BEGIN IMMEDIATE takes the write lock up front and waits its turn
    (busy timeout) instead. A read-only transaction still open from the request (the view
    looked the order up) is ended first, so what follows reads the latest committed rows.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.connection().get_execution_options().get(_WRITE):
            return  # already the writer
        if session.new or session.dirty or session.deleted:
            raise UnitOfWorkStarted("begin_write must come before the unit of work's changes")
        session.commit()
    connection = session.connection(execution_options={_WRITE: True})
    # The driver opens no transaction before a read: open it here, holding the write lock.
    # Its commit and rollback end it as any other (they check SQLite's own state).
    connection.connection.dbapi_connection.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]


def commit_keeping(session: Session | scoped_session[Session], keep: Iterable[object]) -> None:
    """Commit, keeping what the rows in `keep` hold for the rest of the request.

    For rows the unit of work read under its lock and wrote itself (an order just placed or
    just paid): what they hold is what was committed, and the next step (the payment page,
    the order's mails) reads them again for nothing otherwise. Every other row is expired,
    as any commit does; an attribute the database filled in is read when first used.
    """
    if isinstance(session, scoped_session):
        session = session()
    expiring = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring
    kept = {id(row) for row in keep}
    for row in list(session.identity_map.values()):
        if id(row) not in kept:
            session.expire(row)
