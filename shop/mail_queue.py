"""The app's mailer: every message is stored in the outbound mail table, then delivered.

`QueueingMailer` keeps the Mailer protocol, so services don't change. A message joins the
transaction of the change it tells of when that change is not committed yet (they are stored
together or not at all); otherwise it is committed on its own at once. After the commit:
- with a job queue (REDIS_URL), each message becomes an RQ job; if Redis is down the row
  simply waits for the retry sweep — nothing is lost and the request goes on;
- in tests and commands, it is delivered at once, in this process;
- in a request, it is delivered after the response has gone out, so no request waits for
  (or is timed by) the mail server.
Messages that fail wait with exponential backoff: the worker's sweep, `flask send-mail` (cron),
or, without a worker, each web process after a response (at most once a minute) tries them
again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g, has_app_context, has_request_context
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from shop.extensions import db
from shop.gateways.mail import MailError, MailMessage
from shop.models import OutboundMail
from shop.request_log import request_id
from shop.services.outbox import delivery, queue

logger = logging.getLogger("shop.mail")
_FLUSHED = "outbound_mail_ids"  # ids of messages written in the session's transaction
_WROTE = "outbound_mail_wrote"  # whether the session's transaction has written anything
_AFTER_RESPONSE = "mail_after_response"
_TOGETHER = "outbound_mail_together"  # messages sent now are committed at the end, together
SWEEP_SECONDS = 60
_last_sweep = 0.0


class QueueingMailer:
    """A Mailer that stores the message; delivery happens after the commit."""

    def __repr__(self) -> str:
        return "QueueingMailer()"

    def send(self, message: MailMessage) -> None:
        """Queue the message; raise MailError if it could not be stored, or could never be
        sent (a line break in a header: nothing is stored)."""
        session = db.session
        joining = _has_writes(session()) or session().info.get(_TOGETHER, False)
        queue.record(session, message, request_id())
        if joining:
            return  # stored, and delivered, with the caller's commit (or `together`'s)
        try:
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise MailError(f"could not queue the message: {type(exc).__name__}") from None

    @contextmanager
    def together(self) -> Iterator[None]:
        """Store the messages sent inside in one commit as it ends (a paid order's
        confirmation and staff notice), instead of a commit each. If that commit fails,
        none is stored: the failure is logged, as `send`'s callers log theirs."""
        session = db.session()
        session.info[_TOGETHER] = True
        try:
            yield
        finally:
            session.info.pop(_TOGETHER, None)
        try:
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            logger.warning("Mail not queued: %s", type(exc).__name__)

    def join(self, message: MailMessage) -> None:
        """Store the message in the caller's open transaction, never committing it.

        For a mail that must go out exactly when a change is committed, and never without
        it (a back-in-stock alert with the restock): the caller's commit stores and sends
        it, the caller's rollback drops it. A message no transport could send (a line break
        in a header) is left out, logged, and the caller's change goes on without it.
        """
        try:
            queue.record(db.session, message, request_id())
        except MailError as exc:
            logger.warning("Mail not queued: %s", exc)


def _has_writes(session: Session) -> bool:
    if session.info.get(_WROTE) or session.new or session.deleted:
        return True
    return any(session.is_modified(obj) for obj in session.dirty)


def retry_policy(config: Any = None) -> delivery.RetryPolicy:
    """The retry rules from MAIL_MAX_ATTEMPTS and MAIL_RETRY_SECONDS."""
    config = config or current_app.config
    return delivery.RetryPolicy(
        max_attempts=int(config["MAIL_MAX_ATTEMPTS"]),
        base_seconds=int(config["MAIL_RETRY_SECONDS"]),
    )


def deliver_now(ids: list[int]) -> delivery.DeliveryReport:
    """Deliver the given messages in this process with the real transport."""
    transport = current_app.extensions["mail_transport"]
    return delivery.deliver(db.engine, transport, ids, retry_policy())


def deliver_due() -> delivery.DeliveryReport:
    """The retry sweep: deliver every message that is due."""
    transport = current_app.extensions["mail_transport"]
    return delivery.deliver_due(db.engine, transport, retry_policy())


def dispatch(ids: list[int]) -> None:
    """Hand freshly committed messages to whoever delivers them here."""
    if not ids or not has_app_context():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_REDIS_URL"):
        from shop.jobs import enqueue

        for mail_id in ids:
            if not enqueue("shop.jobs.tasks.deliver_mail", mail_id):
                break  # Redis is away: the rest wait for the sweep too, without more waiting
    elif has_request_context() and not app.testing:
        g.setdefault(_AFTER_RESPONSE, []).extend(ids)
    else:
        _deliver_safely(ids)


def _deliver_safely(ids: list[int]) -> None:
    try:
        deliver_now(ids)
    except SQLAlchemyError:
        # The rows are stored; the sweep will find them when the database answers again.
        logger.warning("Mail delivery postponed: the database did not answer", exc_info=True)


def _after_flush(session: Session, _context: object) -> None:
    session.info[_WROTE] = True
    ids = [obj.id for obj in session.new if isinstance(obj, OutboundMail)]
    if ids:
        session.info.setdefault(_FLUSHED, []).extend(ids)


def _after_commit(session: Session) -> None:
    session.info.pop(_WROTE, None)
    ids = session.info.pop(_FLUSHED, None)
    if ids:
        dispatch(ids)


def _after_rollback(session: Session) -> None:
    session.info.pop(_WROTE, None)
    session.info.pop(_FLUSHED, None)


def _send_after_response(response: Response) -> Response:
    global _last_sweep
    ids = g.pop(_AFTER_RESPONSE, None)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # Without a worker, a web process also retries what is due, at most once a minute.
    sweep = not app.testing and not app.config.get("JOBS_REDIS_URL")
    sweep = sweep and time.monotonic() - _last_sweep > SWEEP_SECONDS
    if sweep:
        _last_sweep = time.monotonic()
    if ids or sweep:

        def deliver() -> None:
            with app.app_context():
                if ids:
                    _deliver_safely(ids)
                if sweep:
                    _sweep_safely()

        response.call_on_close(deliver)
    return response


def _sweep_safely() -> None:
    try:
        deliver_due()
    except SQLAlchemyError:
        logger.warning("Mail retry sweep postponed: the database did not answer", exc_info=True)


def init_app(app: Flask) -> None:
    """Install the queueing mailer and the hooks that deliver after each commit."""
    app.extensions["mailer"] = QueueingMailer()
    app.after_request(_send_after_response)
    for name, handler in (
        ("after_flush", _after_flush),
        ("after_commit", _after_commit),
        ("after_rollback", _after_rollback),
    ):
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)
