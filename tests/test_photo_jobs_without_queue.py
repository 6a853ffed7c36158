"""Photos without a working job queue: made in the request, as they always were."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from shop.models import PhotoState
from shop.services.accounts import staff as users
from shop.services.media import photo_jobs
from tests.conftest import build_app
from tests.test_admin_photos import _upload
from tests.test_jobs import _closed_port
from tests.test_photo_jobs import BIG, _files, _jpeg, _photos, _post, _product, _signed_in


def test_with_redis_away_a_large_photo_is_made_in_the_request(
    tmp_path: Path, postgres_schema_ready: bool
) -> None:
    down = f"redis://127.0.0.1:{_closed_port()}/0"
    for app in build_app(tmp_path, JOBS_REDIS_URL=down, PHOTO_JOB_MIN_PIXELS=500_000):
        client = _signed_in(app)
        _upload(client, _product().id, [(_jpeg(BIG), "a.jpg")])
        [photo] = _photos()
        assert photo.state == PhotoState.READY and _files(app, "private") == []
        assert f"{photo.image_key}-640.webp" in client.get("/products/teak-bowl").get_data(
            as_text=True
        )


def test_without_redis_every_photo_is_made_in_the_request(app: Flask) -> None:
    client = _signed_in(app)
    _upload(client, _product().id, [(_jpeg((2400, 1800)), "a.jpg")])  # 4.3 MP
    [photo] = _photos()
    assert photo.state == PhotoState.READY and photo.widths == "320,640,1280"
    assert _files(app, "private") == []
    assert photo_jobs.background_threshold(app.config) is None


def test_without_a_queue_retrying_a_failed_photo_makes_it_in_the_request(app: Flask) -> None:
    client = _signed_in(app)
    media, private = app.extensions["media"], app.extensions["private_media"]
    staff_member = users.find_by_email("staff@example.com")
    photo = photo_jobs.add_upload(_product(), _jpeg(BIG), media, private, staff_member,
                                  background_from=1)  # fmt: skip
    photo_jobs.mark_failed(photo.id)
    page = client.get(_post(client, f"/admin/photos/{photo.id}/retry").headers["Location"])
    assert "The photo is being processed again." in page.get_data(as_text=True)
    [photo] = _photos()
    assert photo.state == PhotoState.READY and _files(app, "private") == []
    assert _post(client, f"/admin/photos/{photo.id}/retry").status_code == 303  # not failed now
    assert _photos()[0].state == PhotoState.READY
