"""A photo whose job Redis lost is made all the same: the worker's sweep queues it again."""

from __future__ import annotations

from flask import Flask
from redis import Redis
from rq import Queue

from shop import jobs
from shop.jobs import tasks
from shop.models import PhotoState
from tests import test_photo_jobs
from tests.test_admin_photos import _upload
from tests.test_jobs import REDIS_URL, run_jobs
from tests.test_photo_jobs import BIG, _files, _jpeg, _photos, _product, _queued

# The photo job tests' fixtures: an app with a queue of its own, and staff signed in to it.
jobs_app = test_photo_jobs.jobs_app
staff = test_photo_jobs.staff


def _lose_every_job(app: Flask) -> None:
    """What a Redis flushed or restarted without its data leaves: no queue, no job."""
    redis = Redis.from_url(REDIS_URL)
    queue = Queue(app.config["JOBS_QUEUE"], connection=redis)
    for job_id in queue.get_job_ids():
        redis.delete(f"rq:job:{job_id}")
    queue.empty()


def _sweep(app: Flask) -> dict[str, int]:
    with app.app_context():
        return tasks.requeue_lost_photos()


def test_a_photo_whose_job_was_lost_is_queued_again_and_made(jobs_app, staff) -> None:
    _upload(staff, _product().id, [(_jpeg(BIG), "a.jpg")])
    _lose_every_job(jobs_app)
    assert _queued(jobs_app) == []
    run_jobs(jobs_app)
    assert _photos()[0].state == PhotoState.PROCESSING  # nothing would ever make it

    assert _sweep(jobs_app) == {"queued": 1, "failed": 0}
    [job] = _queued(jobs_app)
    assert job.args == (_photos()[0].id,)
    run_jobs(jobs_app)
    [photo] = _photos()
    assert photo.state == PhotoState.READY and _files(jobs_app, "private") == []
    assert f"{photo.image_key}-640.webp" in staff.get("/products/teak-bowl").get_data(as_text=True)
    assert _sweep(jobs_app) == {"queued": 0, "failed": 0}


def test_a_photo_whose_job_still_waits_is_not_queued_twice(jobs_app, staff) -> None:
    _upload(staff, _product().id, [(_jpeg(BIG), "a.jpg")])
    assert _sweep(jobs_app) == {"queued": 0, "failed": 0}
    assert len(_queued(jobs_app)) == 1


def test_a_job_that_died_with_its_worker_shows_staff_a_failed_photo(jobs_app, staff) -> None:
    _upload(staff, _product().id, [(_jpeg(BIG), "a.jpg")])
    [photo] = _photos()
    # A worker killed mid-job: RQ moves the job to failed without running its callback.
    redis = Redis.from_url(REDIS_URL)
    queue = Queue(jobs_app.config["JOBS_QUEUE"], connection=redis)
    job = queue.fetch_job(jobs.photo_job_id(photo.id))
    queue.remove(job)
    queue.failed_job_registry.add(job, exc_string="worker killed", ttl=600)
    job.set_status("failed")

    assert _sweep(jobs_app) == {"queued": 0, "failed": 1}
    assert _photos()[0].state == PhotoState.FAILED  # staff see it, with "try again"
    page = staff.get(f"/admin/products/{_product().id}/photos").get_data(as_text=True)
    assert f'action="/admin/photos/{photo.id}/retry"' in page


def test_the_sweep_waits_while_redis_is_away(jobs_app, staff, monkeypatch) -> None:
    _upload(staff, _product().id, [(_jpeg(BIG), "a.jpg")])
    _lose_every_job(jobs_app)
    monkeypatch.setitem(jobs_app.extensions, "jobs_redis", jobs.connection("redis://127.0.0.1:1"))
    assert _sweep(jobs_app) == {"queued": 0, "failed": 0}
    assert _photos()[0].state == PhotoState.PROCESSING  # the next sweep tries again
