"""Background jobs on RQ, when REDIS_URL is set.

Requests and commands put work on the queue with `enqueue`, naming the task by its dotted
path; a failure to reach Redis is logged and swallowed, because every task here is also
caught up by a scheduled sweep (mail rows wait in the database, overdue orders are still
overdue a minute later). The request id goes along with the job and onto its log lines.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Retry

from shop.request_log import request_id

logger = logging.getLogger("shop.jobs")
# Tries of a job that raised (a database away, say): after 10 s, 1 min, 5 min.
RETRY = Retry(max=3, interval=[10, 60, 300])
REDIS_TIMEOUT = 2  # seconds: a Redis that does not answer must not hold up a buyer


def connection(url: str | None = None) -> Redis:
    """A Redis connection for the job queue, with short timeouts."""
    url = url or current_app.config["JOBS_REDIS_URL"]
    return Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)


def job_queue(redis: Redis | None = None) -> Queue:
    """The app's job queue (JOBS_QUEUE on JOBS_REDIS_URL)."""
    redis = redis or current_app.extensions.get("jobs_redis") or connection()
    return Queue(current_app.config["JOBS_QUEUE"], connection=redis)


def enqueue(task: str, *args: Any, **options: Any) -> bool:
    """Queue `task` (dotted path) with args and the request id; False if Redis is away."""
    try:
        job_queue().enqueue(
            task, *args, request_id=request_id(), retry=RETRY,
            meta={"request_id": request_id()}, **options,
        )  # fmt: skip
    except (RedisError, OSError) as exc:
        logger.warning("Job %s not queued (%s): the scheduled sweep will do it", task,
                       type(exc).__name__)  # fmt: skip
        return False
    return True


def photo_job_id(photo_id: int) -> str:
    """The id of a photo's job in RQ: one per photo, so its state can be looked up."""
    return f"render-photo-{int(photo_id)}"


def enqueue_photo(photo_id: int) -> bool:
    """Queue the renditions of a processing photo; False if Redis is away or not configured.

    On False the caller makes it at once instead. After the last retry, the failure callback
    marks the photo failed for staff to see; a job Redis lost (flushed, or restarted without
    its data) is queued again by the worker's sweep (tasks.requeue_lost_photos).
    """
    if not current_app.config.get("JOBS_REDIS_URL"):
        return False  # a photo left failed when the shop still had a queue: make it here
    failed = Callback("shop.jobs.tasks.photo_job_failed")
    return enqueue(
        "shop.jobs.tasks.render_photo", photo_id, on_failure=failed, job_id=photo_job_id(photo_id)
    )


def photo_job_status(photo_id: int) -> str | None:
    """The state of a photo's job in RQ ("queued", "started", "failed", …), None if Redis
    holds no such job. Raises RedisError when Redis does not answer."""
    job = job_queue().fetch_job(photo_job_id(photo_id))
    if job is None:
        return None
    status = job.get_status(refresh=False)
    return None if status is None else str(getattr(status, "value", status))


def queue_depth() -> int | None:
    """Jobs waiting in the queue, or None when Redis does not answer."""
    try:
        return job_queue().count
    except (RedisError, OSError):
        return None


def init_app(app: Any) -> None:
    """Open the job queue's Redis connection when JOBS_REDIS_URL is set."""
    if app.config.get("JOBS_REDIS_URL"):
        app.extensions["jobs_redis"] = connection(app.config["JOBS_REDIS_URL"])
