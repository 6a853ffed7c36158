"""Tests for the photo pipeline and the local media storage."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from shop.media import LocalMediaStorage
from shop.services.media import images
from shop.services.media.images import InvalidImage, StoredImage, process_image, rendition_name


def _encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **params)
    return buf.getvalue()


def _photo(width: int, height: int, fmt: str = "JPEG", **params: object) -> bytes:
    """Return a photo-like image: a gradient so resizing and encoding do real work."""
    grad = Image.linear_gradient("L").resize((width, height))
    img = Image.merge("RGB", (grad, grad.transpose(Image.Transpose.ROTATE_180), grad))
    return _encode(img, fmt, **params)


def _png_header_only(width: int, height: int) -> bytes:
    """Return a PNG that claims width x height but carries (almost) no pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def _stored_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def _open(storage: LocalMediaStorage, key: str, width: int) -> Image.Image:
    path = storage.path(rendition_name(key, width))
    assert path is not None
    img = Image.open(path)
    img.load()
    return img


@pytest.fixture
def storage(tmp_path: Path) -> LocalMediaStorage:
    return LocalMediaStorage(tmp_path / "media")


def test_renditions_for_large_image(storage: LocalMediaStorage) -> None:
    result = process_image(_photo(1600, 1200), storage)
    assert result == StoredImage(key=result.key, width=1600, height=1200, widths=(320, 640, 1280))
    assert len(result.key) == 16 and all(c in "0123456789abcdef" for c in result.key)
    for w, h in ((320, 240), (640, 480), (1280, 960)):
        img = _open(storage, result.key, w)
        assert img.format == "WEBP"
        assert img.size == (w, h)
    assert _stored_files(storage.root) == sorted(
        rendition_name(result.key, w) for w in (320, 640, 1280)
    )


def test_small_image_gets_one_rendition_at_own_width(storage: LocalMediaStorage) -> None:
    result = process_image(_photo(250, 100, "PNG"), storage)
    assert (result.width, result.height, result.widths) == (250, 100, (250,))
    assert _open(storage, result.key, 250).size == (250, 100)
    assert len(_stored_files(storage.root)) == 1


def test_middle_width_skips_larger_renditions(storage: LocalMediaStorage) -> None:
    result = process_image(_photo(1000, 500, "WEBP"), storage)
    assert result.widths == (320, 640)


def test_metadata_is_stripped(storage: LocalMediaStorage) -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif.get_ifd(0x8825).update({1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 5.0)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    data = _photo(800, 600, "JPEG", exif=exif, xmp=xmp, comment=b"secret")
    with Image.open(io.BytesIO(data)) as original:  # the input really carries GPS data
        assert original.getexif().get_ifd(0x8825)[1] == "S"

    result = process_image(data, storage)
    for w in result.widths:
        img = _open(storage, result.key, w)
        assert len(img.getexif()) == 0
        assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp", "comment"} & set(img.info)


def test_icc_profile_is_applied_then_dropped(storage: LocalMediaStorage) -> None:
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = process_image(_photo(400, 300, "PNG", icc_profile=srgb), storage)
    assert "icc_profile" not in _open(storage, result.key, 320).info


def test_exif_orientation_is_applied(storage: LocalMediaStorage) -> None:
    img = Image.new("RGB", (400, 200), "blue")
    img.paste((255, 0, 0), (0, 0, 200, 200))  # left half red
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    result = process_image(_encode(img, "JPEG", exif=exif, quality=95), storage)

    assert (result.width, result.height, result.widths) == (200, 400, (200,))
    out = _open(storage, result.key, 200).convert("RGB")
    assert out.size == (200, 400)
    top, bottom = out.getpixel((100, 50)), out.getpixel((100, 350))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60  # the red left edge is now at the top
    assert bottom[2] > 200 and bottom[0] < 60


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_matches_imageops(
    storage: LocalMediaStorage, orientation: int
) -> None:
    img = Image.new("RGB", (64, 32), "white")
    img.paste((255, 0, 0), (0, 0, 16, 16))  # a red marker in the top-left corner
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = _encode(img, "PNG", exif=exif)
    with Image.open(io.BytesIO(data)) as original:
        expected = ImageOps.exif_transpose(original).convert("RGB")
    result = process_image(data, storage)
    assert (result.width, result.height) == expected.size
    out = _open(storage, result.key, result.width).convert("RGB")
    assert out.size == expected.size
    corners = [(x, y) for x in (4, out.width - 5) for y in (4, out.height - 5)]
    assert [_is_red(out, xy) for xy in corners] == [_is_red(expected, xy) for xy in corners]
    assert sum(_is_red(out, xy) for xy in corners) == 1


def _is_red(img: Image.Image, xy: tuple[int, int]) -> bool:
    r, g, _ = img.getpixel(xy)  # type: ignore[misc]
    return r > 200 and g < 80


def test_orientation_with_reduced_jpeg_decode(storage: LocalMediaStorage) -> None:
    # Big enough for the reduced-size JPEG decode; the width that counts is the raw height.
    exif = Image.Exif()
    exif[0x0112] = 8
    result = process_image(_photo(2800, 2600, "JPEG", exif=exif), storage)
    assert (result.width, result.height, result.widths) == (2600, 2800, (320, 640, 1280))
    assert _open(storage, result.key, 1280).size == (1280, 1378)


def test_png_with_alpha(storage: LocalMediaStorage) -> None:
    img = Image.new("RGBA", (500, 300), (0, 0, 0, 0))
    img.paste((200, 120, 40, 255), (100, 50, 400, 250))
    result = process_image(_encode(img, "PNG"), storage)
    out = _open(storage, result.key, 320)
    assert out.mode == "RGBA"
    assert out.getpixel((0, 0))[3] == 0  # type: ignore[index]
    assert out.getpixel((160, 96))[3] == 255  # type: ignore[index]


def test_palette_and_greyscale_png(storage: LocalMediaStorage) -> None:
    grey = Image.linear_gradient("L").resize((400, 300))
    assert process_image(_encode(grey, "PNG"), storage).widths == (320,)
    palette = grey.convert("P")
    assert process_image(_encode(palette, "PNG"), storage).widths == (320,)
    deep = Image.new("I;16", (330, 10), 40000)
    assert _open(storage, process_image(_encode(deep, "PNG"), storage).key, 320).mode == "RGB"


def test_deterministic_and_skips_existing(storage: LocalMediaStorage) -> None:
    data = _photo(700, 500)
    first = process_image(data, storage)
    saved = {n: (storage.root / n).read_bytes() for n in _stored_files(storage.root)}

    calls: list[str] = []
    original_save = storage.save
    storage.save = lambda name, blob: (calls.append(name), original_save(name, blob))  # type: ignore[method-assign]
    assert process_image(data, storage) == first
    assert calls == []  # everything was stored already

    other = LocalMediaStorage(storage.root.parent / "other")
    assert process_image(data, other) == first
    assert {n: (other.root / n).read_bytes() for n in _stored_files(other.root)} == saved
    assert process_image(_photo(700, 501), storage).key != first.key


def test_missing_rendition_is_recreated(storage: LocalMediaStorage) -> None:
    data = _photo(700, 500)
    first = process_image(data, storage)
    (storage.root / rendition_name(first.key, 320)).unlink()
    assert process_image(data, storage) == first
    assert _open(storage, first.key, 320).size == (320, 229)


def _gif() -> bytes:
    return _encode(Image.new("P", (400, 300)), "GIF")


def _truncated_jpeg() -> bytes:
    data = _photo(800, 600, quality=95)
    return data[: len(data) // 2]


BAD_FILES = {
    "text named .jpg": (b"just some text, not a photo\n", images.MSG_FORMAT),
    "php": (b"<?php echo shell_exec($_GET['c']); ?>\n", images.MSG_FORMAT),
    "php behind a gif header": (b"GIF89a<?php system($_GET['c']); ?>", images.MSG_FORMAT),
    "svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
        b'<script>alert(1)</script><rect width="400" height="300"/></svg>',
        images.MSG_FORMAT,
    ),
    "gif": (_gif(), images.MSG_FORMAT),
    "bmp": (_photo(400, 300, "BMP"), images.MSG_FORMAT),
    "pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", images.MSG_FORMAT),
    "truncated jpeg": (_truncated_jpeg(), images.MSG_DAMAGED),
    "empty": (b"", images.MSG_EMPTY),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_files_are_refused(storage: LocalMediaStorage, kind: str) -> None:
    data, message = BAD_FILES[kind]
    with pytest.raises(InvalidImage) as excinfo:
        process_image(data, storage)
    assert str(excinfo.value) == message
    assert _stored_files(storage.root) == []


def test_a_truncated_photo_is_refused_even_after_a_pdf_was_rendered(
    storage: LocalMediaStorage,
) -> None:
    """WeasyPrint's import makes Pillow accept truncated images process-wide."""
    from shop.services.documents.pdf import render_pdf

    render_pdf("<p>Invoice</p>")
    Image.open(io.BytesIO(_truncated_jpeg()))  # opening is not decoding
    with pytest.raises(InvalidImage, match=images.MSG_DAMAGED):
        process_image(_truncated_jpeg(), storage)
    import PIL.ImageFile

    PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True  # as if another library set it meanwhile
    try:
        with pytest.raises(InvalidImage, match=images.MSG_DAMAGED):
            process_image(_truncated_jpeg(), storage)
    finally:
        PIL.ImageFile.LOAD_TRUNCATED_IMAGES = False


def test_file_over_byte_limit(storage: LocalMediaStorage, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidImage, match=r"^The file is larger than 15 MB\.$"):
        process_image(b"\xff" * (images.MAX_UPLOAD_BYTES + 1), storage)
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 2048)
    data = _photo(400, 300)
    assert len(data) > 2048
    with pytest.raises(InvalidImage, match="larger than 2 KB"):
        process_image(data, storage)
    assert _stored_files(storage.root) == []


def test_image_over_pixel_limit(
    storage: LocalMediaStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(images, "MAX_PIXELS", 10_000)
    with pytest.raises(InvalidImage, match="megapixels"):
        process_image(_photo(101, 100, "PNG"), storage)
    assert _stored_files(storage.root) == []


@pytest.mark.parametrize("size", [(8000, 6000), (20000, 20000)])
def test_header_claiming_huge_size(storage: LocalMediaStorage, size: tuple[int, int]) -> None:
    # 48 Mpx is over our limit only; 400 Mpx also trips Pillow's decompression-bomb guard.
    with pytest.raises(InvalidImage, match="40 megapixels"):
        process_image(_png_header_only(*size), storage)
    assert _stored_files(storage.root) == []


def test_storage_round_trip(tmp_path: Path) -> None:
    storage = LocalMediaStorage(tmp_path / "new" / "media", base_url="https://cdn.example/m")
    assert not storage.exists("a1-320.webp") and storage.path("a1-320.webp") is None
    storage.save("a1-320.webp", b"one")
    storage.save("a1-320.webp", b"two")
    assert storage.exists("a1-320.webp")
    assert storage.path("a1-320.webp") == tmp_path / "new" / "media" / "a1-320.webp"
    assert (tmp_path / "new" / "media" / "a1-320.webp").read_bytes() == b"two"
    assert storage.url("a1-320.webp") == "https://cdn.example/m/a1-320.webp"
    assert _stored_files(storage.root) == ["a1-320.webp"]  # no temp files left behind


@pytest.mark.parametrize(
    "name",
    ["../evil.webp", "a/../../b", "sub/a.webp", "/etc/passwd", "..", ".hidden", "", "A.webp",
     "a.webp\n", "a\\b", "a b", "x" * 201],
)  # fmt: skip
def test_storage_rejects_unsafe_names(tmp_path: Path, name: str) -> None:
    storage = LocalMediaStorage(tmp_path)
    for call in (
        lambda: storage.save(name, b"x"),
        lambda: storage.exists(name),
        lambda: storage.url(name),
        lambda: storage.path(name),
    ):
        with pytest.raises(ValueError):
            call()
    assert list(tmp_path.iterdir()) == []
