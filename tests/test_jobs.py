"""Background jobs on the real local Redis (db 4): mail, the expiry sweep, the schedule."""

from __future__ import annotations

import logging
import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker

from shop.extensions import db
from shop.jobs.worker import build_schedule
from shop.models import MailStatus, OrderStatus
from shop.request_log import RequestIdFilter
from shop.services.accounts import staff as users
from tests.conftest import PASSWORD, build_app
from tests.factories import shop_with_stock
from tests.races import fresh, place
from tests.staff_security_helpers import outbox
from tests.test_mail_queue import rows

REDIS_URL = "redis://127.0.0.1:6379/4"
REQUEST_ID = "req-jobs-0123456789"


def _redis() -> Redis:
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        redis.ping()
    except RedisError:
        pytest.skip("Redis is not listening on 127.0.0.1:6379")
    return redis


@pytest.fixture
def jobs_app(tmp_path: Path, postgres_schema_ready: bool) -> Iterator[Flask]:
    """An app whose jobs go to a queue of its own on Redis db 4, removed afterwards."""
    redis = _redis()
    name = f"kb-test-{uuid.uuid4().hex[:12]}"
    yield from build_app(tmp_path, JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE=name)
    queue = Queue(name, connection=redis)
    for job_id in queue.get_job_ids() + queue.finished_job_registry.get_job_ids():
        redis.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
    queue.delete(delete_jobs=True)
    for key in redis.scan_iter(f"*{name}*"):
        redis.delete(key)


def run_jobs(app: Flask) -> None:
    """What `flask worker --burst` does: run every queued job, then stop."""
    queue = Queue(app.config["JOBS_QUEUE"], connection=Redis.from_url(REDIS_URL))
    db.session.commit()  # the test's session holds no transaction while the worker writes
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    db.session.expire_all()


def ask_for_reset_link(client: Any, email: str) -> Any:
    page = client.get("/admin/forgot-password").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return client.post(
        "/admin/forgot-password", data={"email": email, "csrf_token": token},
        headers={"X-Request-ID": REQUEST_ID},
    )  # fmt: skip


def test_a_mail_job_delivers_after_the_request_and_keeps_its_request_id(
    jobs_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    users.create_user("staff@example.com", PASSWORD)
    assert ask_for_reset_link(jobs_app.test_client(), "staff@example.com").status_code == 303
    assert outbox(jobs_app) == []  # the request only queued it
    queue = Queue(jobs_app.config["JOBS_QUEUE"], connection=Redis.from_url(REDIS_URL))
    [job] = queue.get_jobs()
    assert job.func_name == "shop.jobs.tasks.deliver_mail"
    assert job.kwargs["request_id"] == REQUEST_ID
    assert [m.request_id for m in rows()] == [REQUEST_ID]

    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="shop.jobs"):
        run_jobs(jobs_app)
    [mail] = outbox(jobs_app)
    assert mail["To"] == "staff@example.com"
    assert [m.status for m in rows()] == [MailStatus.SENT]
    job_lines = [r for r in caplog.records if r.name == "shop.jobs"]
    assert job_lines and {r.request_id for r in job_lines} == {REQUEST_ID}  # type: ignore[attr-defined]
    assert queue.count == 0


def test_the_expiry_job_expires_overdue_orders(jobs_app: Flask) -> None:
    product = shop_with_stock(stock=3)
    order_id = place(product.variants[0].id, 2, overdue=True)
    from shop.jobs import enqueue

    assert enqueue("shop.jobs.tasks.expire_orders")
    run_jobs(jobs_app)
    assert fresh(order_id).status == OrderStatus.EXPIRED


def test_the_schedule_queues_the_sweeps(jobs_app: Flask) -> None:
    scheduler = build_schedule(Redis.from_url(REDIS_URL), jobs_app.config["JOBS_QUEUE"])
    scheduler.enqueue_jobs()  # interval jobs are due at once; reconciliation waits for :17
    queue = Queue(jobs_app.config["JOBS_QUEUE"], connection=Redis.from_url(REDIS_URL))
    assert sorted(j.func_name for j in queue.get_jobs()) == [
        "shop.jobs.tasks.expire_orders",
        "shop.jobs.tasks.requeue_lost_photos",
        "shop.jobs.tasks.send_due_mail",
    ]
    run_jobs(jobs_app)
    assert queue.count == 0 and len(queue.failed_job_registry) == 0
    redis = Redis.from_url(REDIS_URL)
    redis.delete("rq:cron_jobs", *redis.scan_iter("rq:cron_job:shop.jobs.*"))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_redis_down_the_request_goes_on_and_send_mail_delivers_later(
    tmp_path: Path, postgres_schema_ready: bool
) -> None:
    down = f"redis://127.0.0.1:{_closed_port()}/0"
    for app in build_app(tmp_path, JOBS_REDIS_URL=down):
        users.create_user("staff@example.com", PASSWORD)
        response = ask_for_reset_link(app.test_client(), "staff@example.com")
        assert response.status_code == 303
        assert outbox(app) == [] and [m.status for m in rows()] == [MailStatus.QUEUED]
        result = app.test_cli_runner().invoke(args=["send-mail"])
        assert "Mail sent: 1" in result.output
        assert [m["To"] for m in outbox(app)] == ["staff@example.com"]


def test_the_worker_command_needs_redis(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "Set REDIS_URL first" in result.output
