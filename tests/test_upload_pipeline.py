"""Photos uploaded in the back office come out clean, upright and in every width.

tests/test_images.py tests the pipeline function by itself; these go through the upload form
and look at what the media storage really holds for the new photo.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, ImageCms
from sqlalchemy import select

from shop.extensions import db
from shop.models import Product, ProductPhoto
from shop.services.media.images import rendition_name
from tests.factories import csrf_from, make_category, make_product, make_workshop

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture
def product(app: Flask, auth: Any, staff_user: Any) -> Product:
    """A product without photos, and the client signed in as staff."""
    auth.login(staff_user.email)
    made = make_product("Teak bowl", category=make_category(), workshop=make_workshop())
    db.session.commit()
    return made


def _photo(size: tuple[int, int]) -> Image.Image:
    """A photo-like gradient, so that resizing and encoding do real work."""
    grad = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", (grad, grad.transpose(Image.Transpose.ROTATE_180), grad))


def _encode(img: Image.Image, fmt: str = "JPEG", **params: Any) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, fmt, **params)
    return buffer.getvalue()


def _upload(client: FlaskClient, product: Product, data: bytes, name: str) -> ProductPhoto:
    """Upload one file through the form and return the photo it made."""
    url = f"/admin/products/{product.id}/photos"
    token = csrf_from(client.get(url).get_data(as_text=True))
    response = client.post(
        url,
        data={"csrf_token": token, "photos": [(io.BytesIO(data), name)]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    db.session.expire_all()
    photos = db.session.scalars(select(ProductPhoto).where(ProductPhoto.product_id == product.id))
    return photos.one()


def _rendition(app: Flask, photo: ProductPhoto, width: int) -> tuple[Image.Image, bytes]:
    path = app.extensions["media"].path(rendition_name(photo.image_key, width))
    assert path is not None, f"no {width} px rendition"
    raw = path.read_bytes()
    img = Image.open(io.BytesIO(raw))
    img.load()
    return img, raw


def _stored_widths(app: Flask, photo: ProductPhoto) -> list[int]:
    root = app.extensions["media"].root
    names = sorted(p.name for p in root.iterdir() if p.name.startswith(photo.image_key))
    return sorted(int(name.split("-")[1].split(".")[0]) for name in names)


def test_a_phone_jpeg_with_gps_comes_out_with_no_metadata(app, client, product) -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (7.0, 33.0, 5.0), 3: "E", 4: (112.0, 45.0, 9.0)})
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = _encode(_photo((2000, 1500)), exif=exif, icc_profile=srgb, quality=90)
    with Image.open(io.BytesIO(data)) as original:  # the upload really carries all of it
        assert original.getexif().get_ifd(GPS_IFD)[1] == "S"
        assert "icc_profile" in original.info

    photo = _upload(client, product, data, "IMG_2041.jpg")

    assert photo.widths == "320,640,1280"
    for width in (320, 640, 1280):
        img, raw = _rendition(app, photo, width)
        assert img.format == "WEBP"
        assert len(img.getexif()) == 0
        assert len(img.getexif().get_ifd(GPS_IFD)) == 0
        assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp"} & set(img.info)
        assert b"Exif" not in raw and b"PhoneMaker" not in raw and b"ICCP" not in raw


def test_the_orientation_tag_is_applied(app, client, product) -> None:
    img = Image.new("RGB", (400, 200), "blue")
    img.paste((255, 0, 0), (0, 0, 200, 200))  # left half red
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # "rotate 90° clockwise to display": the phone was held upright
    photo = _upload(client, product, _encode(img, exif=exif, quality=95), "upright.jpg")

    assert (photo.width, photo.height, photo.widths) == (200, 400, "200")
    out, _ = _rendition(app, photo, 200)
    assert out.size == (200, 400)
    top = out.convert("RGB").getpixel((100, 40))
    bottom = out.convert("RGB").getpixel((100, 360))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60  # the red left half is now on top
    assert bottom[2] > 200 and bottom[0] < 60
    assert len(out.getexif()) == 0  # and no tag is left to rotate it a second time


@pytest.mark.parametrize(
    ("size", "renditions"),
    [
        ((2000, 1000), {320: (320, 160), 640: (640, 320), 1280: (1280, 640)}),
        ((700, 350), {320: (320, 160), 640: (640, 320)}),
        ((250, 125), {250: (250, 125)}),
    ],
)
def test_renditions_exist_in_each_width_up_to_the_photo_width(
    app, client, product, size, renditions
) -> None:
    photo = _upload(client, product, _encode(_photo(size), "PNG"), "photo.png")
    assert photo.widths == ",".join(map(str, renditions))
    assert (photo.width, photo.height) == size
    assert _stored_widths(app, photo) == list(renditions)
    for width, expected in renditions.items():
        img, _ = _rendition(app, photo, width)
        assert img.size == expected
