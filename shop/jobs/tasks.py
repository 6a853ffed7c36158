"""The job functions RQ runs. Each runs in an app context of its own, with the request id.

In a worker started by `flask worker`, the app is the one the command built; under a bare
`rq worker`, one is built from the environment on the first job.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, g, has_app_context

if TYPE_CHECKING:
    from rq.job import Job

logger = logging.getLogger("shop.jobs")
_worker_app: Flask | None = None


def _app() -> Flask:
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _worker_app is None:
        from shop import create_app

        _worker_app = create_app()
    return _worker_app


@contextmanager
def job_context(name: str, request_id: str | None) -> Iterator[Flask]:
    """A fresh app context (own database session) whose log lines carry the request id."""
    from shop.extensions import db

    app = _app()
    with app.app_context():
        g.job_request_id = request_id or "-"
        logger.info("Job %s started", name)
        try:
            yield app
        finally:
            db.session.remove()


def deliver_mail(mail_id: int, request_id: str | None = None) -> str | None:
    """Deliver one queued message (a failure is rescheduled on the row, not raised)."""
    from shop import mail_queue

    with job_context("deliver_mail", request_id):
        report = mail_queue.deliver_now([mail_id])
        outcome = next((k for k in ("sent", "retrying", "failed") if getattr(report, k)), None)
        logger.info("Mail %s: %s", mail_id, outcome or "not due or taken by another worker")
        return outcome


def send_due_mail(request_id: str | None = None) -> int:
    """The retry sweep: deliver every message that is due; return how many went out."""
    from shop import mail_queue

    with job_context("send_due_mail", request_id):
        report = mail_queue.deliver_due()
        if report.sent or report.retrying or report.failed:
            logger.info("Mail sweep: %s sent, %s to retry, %s failed", len(report.sent),
                        len(report.retrying), len(report.failed))  # fmt: skip
        return len(report.sent)


def expire_orders(request_id: str | None = None) -> tuple[int, int]:
    """Expire orders whose payment window closed, and lapsed quotes."""
    from shop.services.ordering.expiry import expire_overdue
    from shop.services.quotes import requests as quotes

    with job_context("expire_orders", request_id):
        expired = (expire_overdue(), quotes.expire_overdue())
        if any(expired):
            logger.info("Expired %s orders and %s quotes", *expired)
        return expired


def reconcile_payments(request_id: str | None = None, days: int = 3) -> int:
    """Apply the provider's payments that no webhook delivered; return how many changed."""
    from shop.checkout.notify import order_paid
    from shop.services.ordering.reconcile import reconcile_payments as reconcile

    with job_context("reconcile_payments", request_id) as app:
        gateway = app.extensions["payments"]
        if gateway.name == "demo":
            return 0
        mail = order_paid if app.config.get("SERVER_NAME") else None
        report = reconcile(gateway, datetime.now(UTC) - timedelta(days=days), on_paid=mail)
        for label, outcome in report.changes + report.problems:
            logger.info("Reconciled %s: %s", label, outcome)
        return len(report.changes)


def send_payment_reminders(request_id: str | None = None) -> int:
    """Remind buyers paying a quote by bank transfer a few days before its deadline."""
    with job_context("send_payment_reminders", request_id) as app:
        sent = payment_reminders(app)
        if sent:
            logger.info("Payment reminders sent: %s", sent)
        return sent


def payment_reminders(app: Flask) -> int:
    """Queue the reminders due today, with links on the shop's public address."""
    from flask import url_for

    from shop.config_documents import shop_details
    from shop.services.quotes import reminders

    with app.test_request_context(base_url=app.config.get("SITE_URL") or "http://localhost"):
        return reminders.send_due(
            app.extensions["mailer"], shop_details(app.config),
            lambda order: url_for("orders.show", token=order.token, _external=True),
        )  # fmt: skip


def render_photo(photo_id: int, request_id: str | None = None) -> str:
    """Make the renditions of a large uploaded photo and show it in the shop."""
    from shop.services.media import photo_jobs

    with job_context("render_photo", request_id) as app:
        outcome = photo_jobs.render_photo(
            photo_id, app.extensions["media"], app.extensions["private_media"]
        )
        logger.info("Photo %s: %s", photo_id, outcome)
        return outcome


def photo_job_failed(job: Job, connection: Any, *exc_info: Any) -> None:
    """RQ's failure callback of render_photo: after the last retry, staff see it failed."""
    from shop.services.media import photo_jobs

    if job.should_retry:
        return
    photo_id = job.args[0]
    with job_context("photo_job_failed", job.kwargs.get("request_id")):
        photo_jobs.mark_failed(photo_id)


def requeue_lost_photos(request_id: str | None = None) -> dict[str, int]:
    """Catch up the photos whose job Redis no longer holds (flushed, or restarted without its
    data): queue the job again. A job that ended failed without its callback (its worker was
    killed) marks the photo failed, as the callback would have. Run every few minutes."""
    from redis.exceptions import RedisError

    from shop import jobs
    from shop.services.media import photo_jobs

    with job_context("requeue_lost_photos", request_id):
        done = {"queued": 0, "failed": 0}
        for photo_id in photo_jobs.processing_ids():
            try:
                status = jobs.photo_job_status(photo_id)
            except RedisError:
                return done  # the next sweep looks again
            # Finished yet the photo still waits: it was set to wait again (retried by staff)
            # while Redis could not take the new job.
            if status in (None, "finished") and jobs.enqueue_photo(photo_id):
                done["queued"] += 1
            elif status in ("failed", "stopped", "canceled") and photo_jobs.mark_failed(photo_id):
                done["failed"] += 1
        if any(done.values()):
            logger.info("Lost photo jobs: %(queued)s queued again, %(failed)s failed", done)
        return done
