"""Large photo uploads made by a background job (RQ on the local Redis, db 4)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from PIL import Image
from redis import Redis
from rq import Queue, Retry

from shop import jobs
from shop.extensions import db
from shop.media import StorageUnavailable
from shop.models import PhotoState, Product, ProductPhoto
from shop.services.accounts import staff as users
from shop.services.media import images, photo_jobs
from tests.conftest import PASSWORD, AuthActions, build_app
from tests.factories import csrf_from, make_category, make_product, make_workshop
from tests.test_admin_photos import _png_claiming, _upload
from tests.test_jobs import REDIS_URL, _redis, run_jobs

BIG = (1000, 750)  # 750,000 pixels: above the threshold these tests set
SMALL = (600, 400)  # 240,000 pixels: below it


def _jpeg(size: tuple[int, int], color: tuple[int, int, int] = (120, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture
def jobs_app(tmp_path: Path, postgres_schema_ready: bool) -> Iterator[Flask]:
    """An app with a job queue of its own on Redis db 4; photos of 500,000 pixels go to it."""
    redis = _redis()
    name = f"kb-photo-{uuid.uuid4().hex[:12]}"
    yield from build_app(
        tmp_path, JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE=name, PHOTO_JOB_MIN_PIXELS=500_000
    )
    queue = Queue(name, connection=redis)
    for registry in (queue, queue.finished_job_registry, queue.failed_job_registry):
        for job_id in registry.get_job_ids():
            redis.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
    queue.delete(delete_jobs=True)
    for key in redis.scan_iter(f"*{name}*"):
        redis.delete(key)


@pytest.fixture
def staff(jobs_app: Flask) -> FlaskClient:
    """A test client signed in as staff, and a product without photos (slug teak-bowl)."""
    return _signed_in(jobs_app)


def _signed_in(app: Flask) -> FlaskClient:
    make_product("Teak bowl", category=make_category(), workshop=make_workshop(), slug="teak-bowl")
    users.create_user("staff@example.com", PASSWORD)
    # The app context outlives requests: start each with a fresh `g`, as a server does.
    app.teardown_request(lambda error: g.pop("_login_user", None))
    client = app.test_client()
    AuthActions(client).login("staff@example.com")
    return client


def _product() -> Product:
    return db.session.scalars(db.select(Product).where(Product.slug == "teak-bowl")).one()


def _photos() -> list[ProductPhoto]:
    db.session.expire_all()
    query = db.select(ProductPhoto).order_by(ProductPhoto.position, ProductPhoto.id)
    return list(db.session.scalars(query))


def _files(app: Flask, folder: str) -> list[str]:
    root = Path(app.config["MEDIA_ROOT"]).parent / folder
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


def _queued(app: Flask) -> list[Any]:
    return Queue(app.config["JOBS_QUEUE"], connection=Redis.from_url(REDIS_URL)).get_jobs()


def _staff_page(client: FlaskClient) -> str:
    return client.get(f"/admin/products/{_product().id}/photos").get_data(as_text=True)


def _post(client: FlaskClient, url: str) -> Any:
    return client.post(url, data={"csrf_token": csrf_from(_staff_page(client))})


def test_a_large_upload_is_shown_only_once_its_job_made_it(jobs_app, staff) -> None:
    assert staff.get("/products/teak-bowl").status_code == 200  # cached without photos
    response = _upload(staff, _product().id, [(_jpeg(BIG), "workshop.jpg")])
    assert response.status_code == 303
    [photo] = _photos()
    assert photo.state == PhotoState.PROCESSING
    assert (photo.width, photo.height, photo.widths) == (1000, 750, "320,640")
    assert _files(jobs_app, "private") == [photo.original_key]
    assert _files(jobs_app, "media") == []  # no rendition made in the request
    [job] = _queued(jobs_app)
    assert job.func_name == "shop.jobs.tasks.render_photo" and job.args == (photo.id,)

    shop_page = staff.get("/products/teak-bowl").get_data(as_text=True)
    assert photo.image_key not in shop_page
    listing = staff.get("/products").get_data(as_text=True)
    assert "Teak bowl" in listing and photo.image_key not in listing
    staff_page = _staff_page(staff)
    assert "Being processed…" in staff_page and "Not in the shop until it is ready." in staff_page

    run_jobs(jobs_app)
    [photo] = _photos()
    assert photo.state == PhotoState.READY and photo.original_key is None
    assert _files(jobs_app, "media") == [
        f"{photo.image_key}-320.webp",
        f"{photo.image_key}-640.webp",
    ]
    assert _files(jobs_app, "private") == []
    shop_page = staff.get("/products/teak-bowl").get_data(as_text=True)  # cache tag bumped
    assert f"{photo.image_key}-640.webp" in shop_page
    assert photo.image_key in staff.get("/products").get_data(as_text=True)
    assert "Being processed…" not in _staff_page(staff)


def test_the_job_makes_the_same_renditions_the_request_would(jobs_app, staff) -> None:
    data = _jpeg(BIG, (30, 90, 150))
    _upload(staff, _product().id, [(data, "a.jpg")])
    run_jobs(jobs_app)
    [photo] = _photos()
    made_in_request = images.process_image(data, jobs_app.extensions["private_media"])
    assert (photo.image_key, photo.widths) == (made_in_request.key, "320,640")


def test_small_uploads_are_still_made_in_the_request(jobs_app, staff) -> None:
    _upload(staff, _product().id, [(_jpeg(SMALL), "small.jpg")])
    [photo] = _photos()
    assert photo.state == PhotoState.READY and photo.original_key is None
    assert _queued(jobs_app) == [] and _files(jobs_app, "private") == []
    assert f"{photo.image_key}-320.webp" in staff.get("/products/teak-bowl").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_jpeg(BIG)[: len(_jpeg(BIG)) // 2], "“bad.jpg” is damaged or incomplete."),
        (_png_claiming(8000, 6000), "“bad.jpg” has too many pixels (the limit is 40 megapixels)."),
    ],
)
def test_a_bad_large_file_is_refused_in_the_request_as_before(
    jobs_app, staff, data, message
) -> None:
    response = _upload(staff, _product().id, [(data, "bad.jpg")])
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    assert _photos() == [] and _queued(jobs_app) == []
    assert _files(jobs_app, "private") == [] and _files(jobs_app, "media") == []


def test_the_script_hears_the_photo_is_being_processed(jobs_app, staff) -> None:
    response = _upload(staff, _product().id, [(_jpeg(BIG), "big.jpg")], xhr=True)
    photo = response.get_json()["photo"]
    assert photo["processing"] is True and photo["thumb_url"] is None
    assert photo["note"] == "Added; being processed for the shop."


def test_alt_text_order_and_cover_work_on_a_processing_photo(jobs_app, staff) -> None:
    _upload(staff, _product().id, [(_jpeg(SMALL), "ready.jpg"), (_jpeg(BIG), "big.jpg")])
    ready, processing = _photos()
    assert processing.state == PhotoState.PROCESSING
    response = staff.post(
        f"/admin/photos/{processing.id}",
        data={"alt_text": "Bowl from above", "csrf_token": csrf_from(_staff_page(staff))},
    )
    assert response.status_code == 303
    assert _post(staff, f"/admin/photos/{processing.id}/cover").status_code == 303
    first, second = _photos()
    assert (first.id, first.alt_text, second.id) == (processing.id, "Bowl from above", ready.id)

    # The shop's cover is the first READY photo, on cards and on the product page.
    listing = staff.get("/products").get_data(as_text=True)
    assert f"{ready.image_key}-320.webp" in listing and processing.image_key not in listing
    shop_page = staff.get("/products/teak-bowl").get_data(as_text=True)
    assert processing.image_key not in shop_page and "Bowl from above" not in shop_page

    run_jobs(jobs_app)
    shop_page = staff.get("/products/teak-bowl").get_data(as_text=True)
    assert shop_page.index(processing.image_key) < shop_page.index(ready.image_key)
    assert "Bowl from above" in shop_page


def test_the_job_does_nothing_harmful_twice_or_for_a_deleted_photo(jobs_app, staff) -> None:
    _upload(staff, _product().id, [(_jpeg(BIG), "a.jpg"), (_jpeg(BIG, (10, 200, 10)), "b.jpg")])
    kept, deleted = _photos()
    assert _post(staff, f"/admin/photos/{deleted.id}/delete").status_code == 303
    assert _files(jobs_app, "private") == [kept.original_key]  # the deleted one's original went

    run_jobs(jobs_app)
    queue = Queue(jobs_app.config["JOBS_QUEUE"], connection=Redis.from_url(REDIS_URL))
    assert len(queue.failed_job_registry) == 0
    [photo] = _photos()
    assert photo.id == kept.id and photo.state == PhotoState.READY
    assert all(name.startswith(kept.image_key) for name in _files(jobs_app, "media"))

    media, private = jobs_app.extensions["media"], jobs_app.extensions["private_media"]
    assert photo_jobs.render_photo(kept.id, media, private) == "not processing"
    assert photo_jobs.render_photo(deleted.id, media, private) == "gone"
    [again] = _photos()
    assert again.state == PhotoState.READY and again.image_key == kept.image_key


def test_a_photo_deleted_while_its_job_runs_leaves_no_files(jobs_app, staff) -> None:
    _upload(staff, _product().id, [(_jpeg(BIG), "a.jpg")])
    [photo] = _photos()
    media, private = jobs_app.extensions["media"], jobs_app.extensions["private_media"]
    stored = images.process_image(private.read(photo.original_key), media)  # the job, halfway
    db.session.delete(photo)
    db.session.commit()
    assert photo_jobs._finish(photo.id, photo.original_key, stored, media, private) == "gone"
    assert _files(jobs_app, "media") == [] and _files(jobs_app, "private") == []


def test_a_job_that_keeps_failing_shows_staff_a_failed_photo_to_retry(
    jobs_app, staff, monkeypatch
) -> None:
    monkeypatch.setattr(jobs, "RETRY", Retry(max=1))  # one retry, at once (the shop waits 10 s)
    tries: list[str] = []

    def storage_down(name: str, data: bytes) -> None:
        tries.append(name)
        raise StorageUnavailable("bucket did not answer")

    monkeypatch.setattr(jobs_app.extensions["media"], "save", storage_down)
    _upload(staff, _product().id, [(_jpeg(BIG), "a.jpg")])
    run_jobs(jobs_app)
    assert len(tries) == 2  # the first try and its retry
    [photo] = _photos()
    assert photo.state == PhotoState.FAILED
    page = _staff_page(staff)
    assert "This photo could not be processed." in page
    assert f'action="/admin/photos/{photo.id}/retry"' in page
    assert photo.image_key not in staff.get("/products/teak-bowl").get_data(as_text=True)

    monkeypatch.undo()
    page = staff.get(_post(staff, f"/admin/photos/{photo.id}/retry").headers["Location"])
    assert "The photo is being processed again." in page.get_data(as_text=True)
    assert _photos()[0].state == PhotoState.PROCESSING
    run_jobs(jobs_app)
    [photo] = _photos()
    assert photo.state == PhotoState.READY and _files(jobs_app, "private") == []
    assert f"{photo.image_key}-640.webp" in staff.get("/products/teak-bowl").get_data(as_text=True)


def test_photo_jobs_retry_with_the_shops_backoff(jobs_app, staff) -> None:
    _upload(staff, _product().id, [(_jpeg(BIG), "a.jpg")])
    [job] = _queued(jobs_app)
    assert (job.retries_left, job.retry_intervals) == (3, [10, 60, 300])
    assert job.failure_callback.__name__ == "photo_job_failed"


def test_a_failed_photo_can_be_deleted_with_its_original(jobs_app, staff) -> None:
    _upload(staff, _product().id, [(_jpeg(BIG), "a.jpg")])
    [photo] = _photos()
    photo_jobs.mark_failed(photo.id)
    assert _post(staff, f"/admin/photos/{photo.id}/delete").status_code == 303
    assert _photos() == [] and _files(jobs_app, "private") == []
    run_jobs(jobs_app)  # the queued job finds nothing to do
    assert _files(jobs_app, "media") == []


def test_deleting_a_product_removes_the_uploads_its_photo_jobs_were_waiting_for(
    jobs_app, staff
) -> None:
    _upload(staff, _product().id, [(_jpeg(BIG), "a.jpg")])
    product_id = _product().id
    assert _files(jobs_app, "private") != []
    response = _post(staff, f"/admin/products/{product_id}/delete")
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/products")
    assert _photos() == [] and _files(jobs_app, "private") == []
    run_jobs(jobs_app)
    queue = Queue(jobs_app.config["JOBS_QUEUE"], connection=Redis.from_url(REDIS_URL))
    assert len(queue.failed_job_registry) == 0 and _files(jobs_app, "media") == []
