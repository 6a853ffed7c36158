"""MEDIA_STORAGE=s3: photos and buyers' files in buckets of a real S3 API (moto, on loopback)."""

from __future__ import annotations

import io
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select

from shop.config import media_storage_settings
from shop.config_values import UnsafeConfiguration
from shop.extensions import db
from shop.models import ProductPhoto, QuoteRequest
from shop.services.ordering.shipping import install_default_zones
from tests.conftest import build_app
from tests.factories import csrf_from, make_category, make_product, make_workshop
from tests.test_quotes import send_request

CDN = "https://cdn.karyabinaan.example/media/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1, for this module's tests."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A client of the moto server with dummy credentials, and two fresh buckets."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                        "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    suffix = uuid.uuid4().hex[:12]
    client.public_bucket, client.private_bucket = f"photos-{suffix}", f"private-{suffix}"
    client.create_bucket(Bucket=client.public_bucket)
    client.create_bucket(Bucket=client.private_bucket)
    return client


def _s3_config(s3: Any, endpoint: str) -> dict[str, Any]:
    return {"MEDIA_STORAGE": "s3", "S3_BUCKET": s3.public_bucket,
            "S3_PRIVATE_BUCKET": s3.private_bucket, "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1", "MEDIA_URL": CDN}  # fmt: skip


@pytest.fixture
def app(tmp_path: Path, postgres_schema_ready: bool, s3: Any, s3_endpoint: str) -> Iterator[Flask]:
    """The shop keeping its media in the moto buckets."""
    yield from build_app(tmp_path, **_s3_config(s3, s3_endpoint))


def _keys(s3: Any, bucket: str) -> set[str]:
    return {item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (90, 60, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def _upload_photo(client: Any, product_id: int) -> Any:
    token = csrf_from(client.get(f"/admin/products/{product_id}/photos").get_data(as_text=True))
    return client.post(
        f"/admin/products/{product_id}/photos",
        data={"csrf_token": token, "photos": [(io.BytesIO(_jpeg()), "bowl.jpg")]},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


@pytest.fixture
def product(app: Flask) -> Any:
    made = make_product(
        "Teak bowl", category=make_category(), workshop=make_workshop(), slug="teak-bowl"
    )
    db.session.commit()
    return made


def test_uploaded_photo_renditions_go_to_the_bucket_and_the_shop_links_to_the_cdn(
    client, auth, staff_user, product, s3
) -> None:
    auth.login(staff_user.email)
    assert "1 photo added." in _upload_photo(client, product.id).get_data(as_text=True)
    photo = db.session.scalar(select(ProductPhoto))
    keys = _keys(s3, s3.public_bucket)
    assert f"{photo.image_key}-640.webp" in keys
    head = s3.head_object(Bucket=s3.public_bucket, Key=f"{photo.image_key}-640.webp")
    assert head["ContentType"] == "image/webp" and "immutable" in head["CacheControl"]
    page = client.get("/products/teak-bowl")
    assert f"{CDN}{photo.image_key}-640.webp" in page.get_data(as_text=True)
    assert "https://cdn.karyabinaan.example" in page.headers["Content-Security-Policy"]
    assert not _keys(s3, s3.private_bucket)


def test_buyers_file_lands_in_the_private_bucket_and_only_link_and_staff_get_it(
    app, client, auth, staff_user, s3
) -> None:
    install_default_zones()
    db.session.commit()
    pdf = _tiny_pdf()
    assert send_request(client, files=[("livery.pdf", pdf)]).status_code == 303
    quote = db.session.scalar(select(QuoteRequest))
    (file,) = quote.files
    assert _keys(s3, s3.private_bucket) == {file.storage_name}
    assert file.storage_name not in _keys(s3, s3.public_bucket)
    served = client.get(f"/quote/{quote.token}/files/{file.id}")
    assert served.status_code == 200 and served.get_data() == pdf
    assert "attachment" in served.headers["Content-Disposition"]
    assert served.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert served.headers["Cache-Control"] == "no-store"
    assert client.get(f"/quote/not-the-token/files/{file.id}").status_code == 404
    assert client.get(f"/media/{file.storage_name}").status_code == 404
    assert client.get(f"/admin/quotes/{quote.id}/files/{file.id}").status_code != 200
    auth.login(staff_user.email)
    by_staff = client.get(f"/admin/quotes/{quote.id}/files/{file.id}")
    assert by_staff.status_code == 200 and by_staff.get_data() == pdf


def test_media_migrate_copies_local_files_once(app, runner, s3, tmp_path) -> None:
    (tmp_path / "media").mkdir()
    (tmp_path / "private").mkdir()
    (tmp_path / "media" / "abc123-640.webp").write_bytes(b"photo")
    (tmp_path / "media" / ".tmp-half").write_bytes(b"half-written")
    (tmp_path / "private" / "def456.pdf").write_bytes(b"%PDF-private")
    first = runner.invoke(args=["media-migrate"])
    assert first.exit_code == 0, first.output
    assert "Photos" in first.output and "1 copied, 0 already in the bucket" in first.output
    assert _keys(s3, s3.public_bucket) == {"abc123-640.webp"}
    assert _keys(s3, s3.private_bucket) == {"def456.pdf"}
    again = runner.invoke(args=["media-migrate"])
    assert again.exit_code == 0 and again.output.count("0 copied, 1 already in the bucket") == 2


def test_seed_demo_draws_its_photos_into_the_bucket(app, runner, s3) -> None:
    # Photos are drawn in a process pool: the storage crosses to it, and connects anew there.
    result = runner.invoke(args=["seed-demo", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "Demo catalog ready: 1 products added." in result.output
    photo = db.session.scalars(select(ProductPhoto)).first()
    assert f"{photo.image_key}-640.webp" in _keys(s3, s3.public_bucket)
    assert not any((Path(app.config["MEDIA_ROOT"])).glob("*"))


@pytest.mark.parametrize("missing", ["S3_BUCKET", "S3_PRIVATE_BUCKET"])
def test_s3_storage_without_a_bucket_refuses_to_start_naming_it(monkeypatch, missing) -> None:
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("S3_BUCKET", "photos")
    monkeypatch.setenv("S3_PRIVATE_BUCKET", "private")
    monkeypatch.setenv(missing, "")
    with pytest.raises(UnsafeConfiguration, match=missing):
        media_storage_settings()


def test_local_storage_stays_the_default(monkeypatch) -> None:
    monkeypatch.delenv("MEDIA_STORAGE", raising=False)
    assert media_storage_settings()["MEDIA_STORAGE"] == "local"


@pytest.fixture
def down_app(tmp_path: Path, postgres_schema_ready: bool, s3: Any) -> Iterator[Flask]:
    """The shop pointed at an S3 endpoint where nothing listens."""
    yield from build_app(tmp_path, **_s3_config(s3, f"http://127.0.0.1:{_free_port()}"))


def test_storage_down_tells_the_buyer_the_files_could_not_be_stored(down_app) -> None:
    install_default_zones()
    db.session.commit()
    client = down_app.test_client()
    response = send_request(client, files=[("livery.pdf", _tiny_pdf())])
    assert response.status_code == 422
    assert "could not be stored just now" in response.get_data(as_text=True)
    assert db.session.scalar(select(QuoteRequest)) is None


def _tiny_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_deleted_photos_objects_leave_the_bucket(client, auth, staff_user, product, s3) -> None:
    auth.login(staff_user.email)
    _upload_photo(client, product.id)
    photo = db.session.scalar(select(ProductPhoto))
    assert any(key.startswith(photo.image_key) for key in _keys(s3, s3.public_bucket))
    page = client.get(f"/admin/products/{product.id}/photos").get_data(as_text=True)
    deleted = client.post(f"/admin/photos/{photo.id}/delete", data={"csrf_token": csrf_from(page)})
    assert deleted.status_code in {302, 303}
    assert _keys(s3, s3.public_bucket) == set()


def test_storage_down_tells_staff_the_photo_could_not_be_stored(
    app, client, auth, staff_user, product, monkeypatch
) -> None:
    from shop.gateways.object_storage import S3MediaStorage, s3_client

    dead = s3_client({"S3_ENDPOINT_URL": f"http://127.0.0.1:{_free_port()}", "S3_REGION": "x"})
    monkeypatch.setitem(app.extensions, "media", S3MediaStorage(dead, "photos", CDN, public=True))
    auth.login(staff_user.email)
    page = _upload_photo(client, product.id)
    assert page.status_code == 200
    assert "could not be stored: the photo storage did not answer" in page.get_data(as_text=True)
    assert db.session.scalar(select(ProductPhoto)) is None
