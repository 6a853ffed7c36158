"""Settings for background jobs and the mail queue."""

from __future__ import annotations

import os

from shop.config_values import whole

DEFAULTS: dict[str, object] = {
    # Empty: no job queue; mail is delivered in-process after each commit, the expiry sweep
    # runs in checkout, and `flask send-mail` / `flask expire-orders` run from cron.
    "JOBS_REDIS_URL": "",
    "JOBS_QUEUE": "shop",
    # A message is tried this many times, waiting MAIL_RETRY_SECONDS, then twice that, …
    # (at most six hours between tries), then marked failed for staff to see.
    "MAIL_MAX_ATTEMPTS": 8,
    "MAIL_RETRY_SECONDS": 60,
    # With a job queue, an uploaded photo of at least this many pixels (width x height) is
    # checked in the request and its renditions made by a job; smaller ones in the request.
    "PHOTO_JOB_MIN_PIXELS": 4_000_000,
}


def jobs_settings(redis_url: str) -> dict[str, object]:
    """With REDIS_URL, mail, the sweeps, reconciliation and large photos run as RQ jobs."""
    return {
        # A Redis of its own for jobs (noeviction) if REDIS_URL's evicts keys under pressure.
        "JOBS_REDIS_URL": os.environ.get("JOBS_REDIS_URL", "").strip() or redis_url,
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE", "").strip() or "shop",
        "MAIL_MAX_ATTEMPTS": whole("MAIL_MAX_ATTEMPTS", 8, minimum=1),
        "MAIL_RETRY_SECONDS": whole("MAIL_RETRY_SECONDS", 60, minimum=1),
        "PHOTO_JOB_MIN_PIXELS": whole("PHOTO_JOB_MIN_PIXELS", 4_000_000, minimum=1),
    }
