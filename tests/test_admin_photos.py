"""The product photo manager in the back office: upload, reorder, cover, alt text, delete."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from shop.admin.photo_forms import shown_file_name
from shop.extensions import db
from shop.models import AuditEntry, Product, ProductPhoto
from shop.services.media import images
from tests.factories import csrf_from, make_category, make_product, make_workshop, png_bytes

# --- helpers -------------------------------------------------------------------------------


def _jpeg(size: tuple[int, int] = (900, 600), color: tuple[int, int, int] = (90, 60, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _truncated_jpeg() -> bytes:
    data = _jpeg((800, 600))
    return data[: len(data) // 2]


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
    b"<script>alert(1)</script></svg>"
)


@pytest.fixture
def signed_in(auth: Any, staff_user: Any) -> Any:
    """The test client signed in as staff."""
    auth.login(staff_user.email)
    return staff_user


@pytest.fixture
def product(app: Flask) -> Product:
    """An active product without photos."""
    made = make_product(
        "Teak bowl", category=make_category(), workshop=make_workshop(), slug="teak-bowl"
    )
    db.session.commit()
    return made


@pytest.fixture
def pictured(app: Flask) -> Product:
    """An active product with three photos."""
    made = make_product(
        "Rattan tray",
        category=make_category("rattan", "Rattan"),
        workshop=make_workshop("cirebon", "Rattan workshop"),
        slug="rattan-tray",
        photos=3,
    )
    db.session.commit()
    return made


def _page(client: FlaskClient, product_id: int) -> str:
    response = client.get(f"/admin/products/{product_id}/photos")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _token(client: FlaskClient, product_id: int) -> str:
    return csrf_from(_page(client, product_id))


def _upload(
    client: FlaskClient,
    product_id: int,
    files: list[tuple[bytes, str]],
    *,
    xhr: bool = False,
    token: str | None = "",
) -> Any:
    data: dict[str, Any] = {"photos": [(io.BytesIO(blob), name) for blob, name in files]}
    if token is not None:
        data["csrf_token"] = token or _token(client, product_id)
    headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
    return client.post(
        f"/admin/products/{product_id}/photos",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
    )


def _post(client: FlaskClient, url: str, product_id: int, xhr: bool = False, **data: Any) -> Any:
    headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
    return client.post(
        url, data={"csrf_token": _token(client, product_id), **data}, headers=headers
    )


def _photos(product_id: int) -> list[ProductPhoto]:
    db.session.expire_all()
    query = (
        select(ProductPhoto)
        .where(ProductPhoto.product_id == product_id)
        .order_by(ProductPhoto.position, ProductPhoto.id)
    )
    return list(db.session.scalars(query))


def _ids(product_id: int) -> list[int]:
    return [photo.id for photo in _photos(product_id)]


def _audit(action: str = "photo.") -> list[AuditEntry]:
    """Audit entries whose action starts with `action` (every photo entry by default)."""
    query = select(AuditEntry).where(AuditEntry.action.startswith(action)).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def _media_files(app: Flask) -> list[str]:
    root = Path(app.config["MEDIA_ROOT"])
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def _followed(client: FlaskClient, response: Any) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return client.get(response.headers["Location"]).get_data(as_text=True)


# --- the page ----------------------------------------------------------------------------


def test_photo_page_shows_cards_with_cover_badge_and_working_forms(
    client, signed_in, pictured
) -> None:
    page = _page(client, pictured.id)
    photos = _photos(pictured.id)
    assert page.count('class="photo-card"') == 3
    assert page.count(">Cover<") == 1
    assert page.index(f'id="photo-{photos[0].id}"') < page.index(f'id="photo-{photos[1].id}"')
    assert f"{photos[0].image_key}-320.webp" in page  # thumbnails are the 320 px renditions
    assert 'name="photos" multiple accept="image/jpeg,image/png,image/webp"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "Rattan tray, photo 2" in page  # alt text in its field
    assert page.count('name="csrf_token"') >= 1 + 3 * 4


def test_photo_page_of_a_product_without_photos_invites_an_upload(client, signed_in, product):
    page = _page(client, product.id)
    assert "No photos yet" in page
    assert "Add photos" in page


def test_unknown_product_and_photo_are_404(client, signed_in, pictured) -> None:
    assert client.get("/admin/products/9999/photos").status_code == 404
    token = _token(client, pictured.id)
    for url in (
        "/admin/photos/9999",
        "/admin/photos/9999/move",
        "/admin/photos/9999/cover",
        "/admin/photos/9999/delete",
        "/admin/products/9999/photos",
        "/admin/products/9999/photos/order",
    ):
        response = client.post(url, data={"csrf_token": token, "direction": "earlier"})
        assert response.status_code == 404, url


# --- uploading ---------------------------------------------------------------------------


def test_two_photos_uploaded_at_once_go_last_in_order_and_show_in_the_shop(
    app, client, signed_in, product
) -> None:
    assert client.get("/products/teak-bowl").status_code == 200  # now cached without photos
    response = _upload(client, product.id, [(png_bytes((800, 600)), "a.png"), (_jpeg(), "b.jpg")])
    page = _followed(client, response)
    assert "2 photos added." in page

    photos = _photos(product.id)
    assert [(p.width, p.height) for p in photos] == [(800, 600), (900, 600)]
    assert [p.alt_text for p in photos] == ["Teak bowl", "Teak bowl"]
    shop_page = client.get("/products/teak-bowl").get_data(as_text=True)
    first, second = (f"{p.image_key}-640.webp" for p in photos)
    assert first in shop_page and second in shop_page
    assert shop_page.index(first) < shop_page.index(second)

    entries = _audit("photo.uploaded")
    assert [(e.target_type, e.target_id, e.target_label) for e in entries] == [
        ("product", product.id, "Teak bowl")
    ] * 2
    assert json.loads(entries[0].changes) == {
        "photo_id": photos[0].id,
        "alt_text": "Teak bowl",
        "file_name": "a.png",
    }


def test_new_photos_go_after_the_existing_ones(client, signed_in, pictured) -> None:
    before = _ids(pictured.id)
    _upload(client, pictured.id, [(_jpeg(), "new.jpg")])
    after = _ids(pictured.id)
    assert after[:3] == before and len(after) == 4


BAD_FILES = {
    "text named .jpg": (b"just some text\n", "notes.jpg", "is not a JPEG, PNG or WebP photo"),
    "php named .jpg": (b"<?php system($_GET['c']); ?>", "shell.php.jpg", "is not a JPEG, PNG"),
    "truncated jpeg": (_truncated_jpeg(), "half.jpg", "is damaged or incomplete"),
    "svg": (SVG, "drawing.svg", "is not a JPEG, PNG or WebP photo"),
    "20000 x 20000 pixels": (_png_claiming(20_000, 20_000), "huge.png", "has too many pixels"),
    "empty": (b"", "empty.jpg", "is empty"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_written(
    app, client, signed_in, product, kind
) -> None:
    data, name, reason = BAD_FILES[kind]
    page = _followed(client, _upload(client, product.id, [(data, name)]))
    assert f"“{name}” {reason}" in page
    assert "photos added" not in page
    assert _photos(product.id) == []
    assert _audit() == []
    assert _media_files(app) == []


def test_a_file_over_the_size_limit_is_refused(
    app, client, signed_in, product, monkeypatch
) -> None:
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 2048)
    data = _jpeg()
    assert len(data) > 2048
    page = _followed(client, _upload(client, product.id, [(data, "big.jpg")]))
    assert "“big.jpg” is larger than 2 KB." in page
    assert "2 KB each" in page  # the form states the limit
    assert _photos(product.id) == [] and _media_files(app) == []


def test_a_request_over_max_content_length_gets_a_message_not_a_bare_413(
    app, client, signed_in, product
) -> None:
    token = _token(client, product.id)
    app.config["ADMIN_MAX_CONTENT_LENGTH"] = 8 * 1024
    data = png_bytes((300, 300)) + b"\0" * 20_000
    response = _upload(client, product.id, [(data, "a.png")], token=token)
    page = _followed(client, response)
    assert "larger than 8 KB, so nothing was saved" in page
    xhr = _upload(client, product.id, [(data, "a.png")], token=token, xhr=True)
    assert xhr.status_code == 413
    assert xhr.get_json()["ok"] is False
    assert "larger than 8 KB" in xhr.get_json()["error"]
    assert _photos(product.id) == [] and _media_files(app) == []
    other = client.post(
        f"/admin/products/{product.id}/photos/order",
        data={"csrf_token": token, "order": "1," * 10_000},
    )
    assert other.status_code == 413
    assert "larger than 8 KB" in other.get_data(as_text=True)


def test_a_file_name_with_a_path_is_only_shown_by_its_last_part(
    app, client, signed_in, product, tmp_path
) -> None:
    page = _followed(client, _upload(client, product.id, [(png_bytes(), "../../etc/passwd.jpg")]))
    assert "1 photo added." in page
    assert json.loads(_audit("photo.uploaded")[0].changes)["file_name"] == "passwd.jpg"
    assert not (tmp_path / "etc").exists() and not Path("/etc/passwd.webp").exists()
    assert all(name.endswith(".webp") and "/" not in name for name in _media_files(app))

    bad = _upload(client, product.id, [(b"text", "../<img src=x onerror=alert(1)>.jpg")])
    page = _followed(client, bad)
    assert "“&lt;img src=x onerror=alert(1)&gt;.jpg” is not a JPEG" in page
    assert "<img src=x" not in page and "../" not in page


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\Ani\\mangkuk.jpg", "mangkuk.jpg"),
        ("bad\x00na\u202eme\n.jpg", "badname.jpg"),
        ("  ", ""),
        ("x" * 200 + ".jpg", "x" * 79 + "…"),
    ],
)
def test_shown_file_names_are_the_last_part_without_control_characters(sent, shown) -> None:
    assert shown_file_name(sent) == shown


def test_good_files_are_kept_when_others_in_the_same_upload_are_bad(
    client, signed_in, product
) -> None:
    files = [
        (png_bytes((640, 480)), "first.png"),
        (b"<?php ?>", "bad.jpg"),
        (_jpeg((500, 400)), "second.jpg"),
        (SVG, "logo.svg"),
    ]
    page = _followed(client, _upload(client, product.id, files))
    assert "2 photos added." in page
    assert "“bad.jpg” is not a JPEG, PNG or WebP photo." in page
    assert "“logo.svg” is not a JPEG, PNG or WebP photo." in page
    assert [(p.width, p.height) for p in _photos(product.id)] == [(640, 480), (500, 400)]
    assert len(_audit("photo.uploaded")) == 2


def test_submitting_the_form_without_files_asks_for_some(client, signed_in, product) -> None:
    page = _followed(client, _upload(client, product.id, []))
    assert "Choose one or more photos to upload." in page


def test_script_uploads_get_json_with_the_new_photo(app, client, signed_in, product) -> None:
    response = _upload(client, product.id, [(png_bytes((800, 600)), "a.png")], xhr=True)
    assert response.status_code == 200
    body = response.get_json()
    photo = _photos(product.id)[0]
    assert body["ok"] is True
    assert body["photo"]["id"] == photo.id
    assert body["photo"]["alt"] == "Teak bowl"
    assert body["photo"]["thumb_url"] == f"/media/{photo.image_key}-320.webp"
    assert f"{photo.image_key}-320.webp" in _media_files(app)


def test_script_uploads_of_bad_files_get_json_errors(client, signed_in, product) -> None:
    response = _upload(client, product.id, [(b"nope", "x.jpg")], xhr=True)
    assert response.status_code == 422
    assert response.get_json() | {"errors": None} == {
        "ok": False,
        "error": "“x.jpg” is not a JPEG, PNG or WebP photo.",
        "errors": None,
        "photo": None,
        "photos": [],
    }
    empty = _upload(client, product.id, [], xhr=True)
    assert empty.status_code == 422 and empty.get_json()["ok"] is False


def test_the_csrf_header_is_accepted_and_a_missing_token_refused(
    client, signed_in, product
) -> None:
    token = _token(client, product.id)
    refused = _upload(client, product.id, [(png_bytes(), "a.png")], token=None)
    assert refused.status_code == 400
    assert _photos(product.id) == []
    response = client.post(
        f"/admin/products/{product.id}/photos",
        data={"photos": [(io.BytesIO(png_bytes()), "a.png")]},
        headers={"X-Requested-With": "XMLHttpRequest", "X-CSRFToken": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and len(_photos(product.id)) == 1


def test_every_photo_action_refuses_a_missing_csrf_token(client, signed_in, pictured) -> None:
    photo_id = _ids(pictured.id)[1]
    for url, data in (
        (f"/admin/photos/{photo_id}", {"alt_text": "Changed"}),
        (f"/admin/photos/{photo_id}/move", {"direction": "earlier"}),
        (f"/admin/photos/{photo_id}/cover", {}),
        (f"/admin/photos/{photo_id}/delete", {}),
        (f"/admin/products/{pictured.id}/photos/order", {"order": "3,2,1"}),
    ):
        assert client.post(url, data=data).status_code == 400, url
    assert [p.alt_text for p in _photos(pictured.id)] == [
        "Rattan tray, photo 1",
        "Rattan tray, photo 2",
        "Rattan tray, photo 3",
    ]
    assert _audit() == []


# --- order and cover ----------------------------------------------------------------------


def test_reorder_puts_the_photos_in_the_given_order(client, signed_in, pictured) -> None:
    a, b, c = _ids(pictured.id)
    page = _followed(
        client,
        _post(
            client, f"/admin/products/{pictured.id}/photos/order", pictured.id, order=f"{c},{a},{b}"
        ),
    )
    assert "The new order is saved." in page
    assert _ids(pictured.id) == [c, a, b]
    entry = _audit("photo.reordered")[0]
    assert json.loads(entry.changes) == {"order": [[a, b, c], [c, a, b]]}
    assert entry.target_id == pictured.id


def test_reorder_from_the_script_answers_json(client, signed_in, pictured) -> None:
    a, b, c = _ids(pictured.id)
    url = f"/admin/products/{pictured.id}/photos/order"
    response = _post(client, url, pictured.id, xhr=True, order=f"{b} {c} {a}")
    assert response.status_code == 200 and response.get_json()["ok"] is True
    assert _ids(pictured.id) == [b, c, a]


@pytest.mark.parametrize("kind", ["foreign", "missing", "duplicate", "extra", "words", "empty"])
def test_reorder_refuses_anything_but_each_photo_once(
    client, signed_in, pictured, product, kind
) -> None:
    a, b, c = _ids(pictured.id)
    make_product("Other", category=product.category, workshop=product.workshop, photos=1)
    db.session.commit()
    foreign = db.session.scalar(select(func.max(ProductPhoto.id)))
    order = {
        "foreign": f"{c},{a},{foreign}",
        "missing": f"{c},{a}",
        "duplicate": f"{c},{a},{a}",
        "extra": f"{c},{a},{b},{foreign}",
        "words": f"{c},{a},b",
        "empty": "",
    }[kind]
    url = f"/admin/products/{pictured.id}/photos/order"
    response = _post(client, url, pictured.id, order=order)
    assert response.status_code == 422
    assert "must list each photo of this product once" in response.get_data(as_text=True)
    script = _post(client, url, pictured.id, xhr=True, order=order)
    assert script.status_code == 422 and script.get_json()["ok"] is False
    assert _ids(pictured.id) == [a, b, c]
    assert _audit() == []


def test_move_earlier_and_later(client, signed_in, pictured) -> None:
    a, b, c = _ids(pictured.id)
    page = _followed(
        client, _post(client, f"/admin/photos/{b}/move", pictured.id, direction="earlier")
    )
    assert "Photo moved earlier." in page
    assert _ids(pictured.id) == [b, a, c]
    _post(client, f"/admin/photos/{b}/move", pictured.id, direction="later")
    _post(client, f"/admin/photos/{b}/move", pictured.id, direction="later")
    assert _ids(pictured.id) == [a, c, b]
    assert len(_audit("photo.reordered")) == 3

    page = _followed(
        client, _post(client, f"/admin/photos/{b}/move", pictured.id, direction="later")
    )
    assert "This photo is last already." in page
    page = _followed(
        client, _post(client, f"/admin/photos/{b}/move", pictured.id, direction="sideways")
    )
    assert "Choose earlier or later." in page
    assert _ids(pictured.id) == [a, c, b]
    assert len(_audit("photo.reordered")) == 3


def test_choosing_the_cover_moves_the_photo_first(client, signed_in, pictured) -> None:
    photos = _photos(pictured.id)
    a, b, c = (photo.id for photo in photos)
    listing = client.get("/products").get_data(as_text=True)
    assert photos[0].image_key in listing and photos[2].image_key not in listing
    page = _followed(client, _post(client, f"/admin/photos/{c}/cover", pictured.id))
    assert "This photo is now the cover." in page
    assert _ids(pictured.id) == [c, a, b]
    assert page.index(f'id="photo-{c}"') < page.index(">Cover<") < page.index(f'id="photo-{a}"')
    assert json.loads(_audit("photo.cover_set")[0].changes) == {
        "photo_id": c,
        "previous_cover": a,
    }
    listing = client.get("/products").get_data(as_text=True)  # product cards show the cover
    assert photos[2].image_key in listing and photos[0].image_key not in listing
    again = _followed(client, _post(client, f"/admin/photos/{c}/cover", pictured.id))
    assert "This photo is the cover already." in again
    assert len(_audit("photo.cover_set")) == 1


def test_staff_come_back_to_the_photos_on_the_page_they_came_from(
    client, signed_in, pictured
) -> None:
    a = _ids(pictured.id)[0]
    token = _token(client, pictured.id)
    edit_page = f"/admin/products/{pictured.id}"
    back = client.post(
        f"/admin/photos/{a}", data={"csrf_token": token, "alt_text": "x", "next": edit_page}
    )
    assert back.headers["Location"] == edit_page
    away = client.post(
        f"/admin/photos/{a}",
        data={"csrf_token": token, "alt_text": "y", "next": "https://evil.example/"},
    )
    assert away.headers["Location"] == f"/admin/products/{pictured.id}/photos"


# --- alt text and delete ------------------------------------------------------------------


def test_alt_text_is_saved_trimmed(client, signed_in, pictured) -> None:
    a = _ids(pictured.id)[0]
    page = _followed(
        client, _post(client, f"/admin/photos/{a}", pictured.id, alt_text="  Tray  from above ")
    )
    assert "Alt text saved." in page
    assert _photos(pictured.id)[0].alt_text == "Tray from above"
    assert json.loads(_audit("photo.alt_changed")[0].changes) == {
        "photo_id": a,
        "alt_text": ["Rattan tray, photo 1", "Tray from above"],
    }


@pytest.mark.parametrize("alt", ["", "   ", "x" * 301])
def test_empty_or_overlong_alt_text_is_refused(client, signed_in, pictured, alt) -> None:
    a = _ids(pictured.id)[0]
    response = _post(client, f"/admin/photos/{a}", pictured.id, alt_text=alt)
    page = _followed(client, response)
    assert "alt text is required" in page or "at most 300 characters for the alt text" in page
    assert _photos(pictured.id)[0].alt_text == "Rattan tray, photo 1"
    script = _post(client, f"/admin/photos/{a}", pictured.id, xhr=True, alt_text=alt)
    assert script.status_code == 422 and script.get_json()["ok"] is False
    assert _audit() == []


def test_deleting_a_photo_removes_it_from_the_shop(client, signed_in, pictured) -> None:
    a, b, c = _photos(pictured.id)
    assert f"{b.image_key}-640.webp" in client.get("/products/rattan-tray").get_data(as_text=True)
    page = _followed(client, _post(client, f"/admin/photos/{b.id}/delete", pictured.id))
    assert "Photo deleted." in page
    assert _ids(pictured.id) == [a.id, c.id]
    assert f'id="photo-{b.id}"' not in page
    shop_page = client.get("/products/rattan-tray").get_data(as_text=True)
    assert f"{b.image_key}-640.webp" not in shop_page
    changes = json.loads(_audit("photo.deleted")[0].changes)
    assert changes["photo_id"] == b.id and changes["alt_text"] == "Rattan tray, photo 2"
    page = client.post(f"/admin/photos/{b.id}/delete", data={"csrf_token": csrf_from(page)})
    assert page.status_code == 404


def test_script_actions_answer_json(client, signed_in, pictured) -> None:
    a, b, c = _ids(pictured.id)
    moved = _post(client, f"/admin/photos/{c}/move", pictured.id, xhr=True, direction="earlier")
    assert moved.get_json() == {"ok": True, "message": "Photo moved earlier."}
    cover = _post(client, f"/admin/photos/{c}/cover", pictured.id, xhr=True)
    assert cover.get_json()["ok"] is True
    deleted = _post(client, f"/admin/photos/{a}/delete", pictured.id, xhr=True)
    assert deleted.get_json() == {"ok": True, "message": "Photo deleted."}
    assert _ids(pictured.id) == [c, b]
