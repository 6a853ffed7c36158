"""Photo pipeline: validate an uploaded image, strip metadata and store WebP renditions."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageFile

from shop.media import MediaStorage

RENDITION_WIDTHS: tuple[int, ...] = (320, 640, 1280)
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # width*height of the decoded image

# Part of the key: bump it whenever the output changes (quality, method, colour handling)
# so new renditions get new names instead of being skipped as "already stored".
_PIPELINE_VERSION = b"webp-q80-m4-srgb-v1"
_WEBP_QUALITY = 80
_WEBP_METHOD = 4
# MPO is how Pillow labels the multi-picture JPEGs many phones produce; it is still JPEG.
_DECODERS = ["JPEG", "PNG", "WEBP"]  # Pillow's openers tried on uploads, and no others
_ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
# EXIF orientation -> transpose that makes the picture upright (the table ImageOps.exif_transpose
# uses). Applied from the value read once in _decode, so reported size and pixels always agree.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_TRANSPOSING_ORIENTATIONS = {5, 6, 7, 8}  # these swap width and height
_SRGB = ImageCms.createProfile("sRGB")

MSG_EMPTY = "The file is empty."
MSG_FORMAT = "Only JPEG, PNG or WebP photos can be used."
MSG_DAMAGED = "The image file is damaged or incomplete."


class InvalidImage(ValueError):
    """A file that is not an acceptable photo; str(exc) is a message fit to show the user."""


@dataclass(frozen=True)
class StoredImage:
    """A processed photo: its key and the renditions stored for it."""

    key: str  # 16 lowercase hex chars derived from the input bytes and pipeline version
    width: int  # of the oriented full image
    height: int
    widths: tuple[int, ...]  # rendition widths actually produced, ascending


def rendition_name(key: str, width: int) -> str:
    """Return the storage name of the rendition of key at width."""
    return f"{key}-{width}.webp"


def process_image(data: bytes, storage: MediaStorage) -> StoredImage:
    """Validate a photo, strip its metadata and store its WebP renditions."""
    _check_bytes(data)
    img, orientation, width, height = _decode(data)
    stored = _described(data, width, height)
    missing = {w for w in stored.widths if not storage.exists(rendition_name(stored.key, w))}
    if missing:
        _store_renditions(_clean(img, orientation), stored.key, stored.widths, missing, storage)
    return stored


def check_image(data: bytes) -> StoredImage:
    """Validate a photo as process_image does, storing nothing; say what it would store.

    The whole file is decoded, so a damaged one is refused with the same message; JPEGs at
    libjpeg's smallest scale, which finds the same damage several times faster.
    """
    _check_bytes(data)
    img, _orientation, width, height = _decode(data, draft_width=1)
    img.close()
    return _described(data, width, height)


def header_pixels(data: bytes) -> int:
    """Width times height as the file's header claims (no pixels decoded); 0 if unreadable."""
    try:
        with Image.open(io.BytesIO(data), formats=_DECODERS) as img:
            width, height = img.size
    except Exception:  # not an image, or a hostile header: process_image says why
        return 0
    return width * height


def _described(data: bytes, width: int, height: int) -> StoredImage:
    """The key and rendition widths a photo of this content and upright size gets."""
    key = hashlib.sha256(_PIPELINE_VERSION + b"\0" + data).hexdigest()[:16]
    widths = tuple(w for w in RENDITION_WIDTHS if w <= width) or (width,)
    return StoredImage(key=key, width=width, height=height, widths=widths)


def _check_bytes(data: bytes) -> None:
    if not data:
        raise InvalidImage(MSG_EMPTY)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidImage(f"The file is larger than {_human_size(MAX_UPLOAD_BYTES)}.")


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{n / 1024:g} KB"


def _too_big() -> InvalidImage:
    return InvalidImage(
        f"The image has too many pixels; the limit is {MAX_PIXELS / 1_000_000:g} megapixels."
    )


def _decode(data: bytes, draft_width: int = 0) -> tuple[Image.Image, int, int, int]:
    """Open, size-check and fully decode data; return image, EXIF orientation, upright size.

    A JPEG is decoded at the smallest scale still at least draft_width wide (by default,
    the largest rendition's width).
    """
    try:
        # formats= keeps Pillow from even trying its other (rarely hardened) decoders on
        # untrusted bytes; the format is decided by content, never by name or content-type.
        img = Image.open(io.BytesIO(data), formats=_DECODERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own bomb limit (~89 Mpx) is above ours, so these always mean "too big".
        raise _too_big() from None
    except Image.UnidentifiedImageError:
        raise InvalidImage(MSG_FORMAT) from None
    except Exception:  # hostile headers raise all sorts of exception types
        raise InvalidImage(MSG_DAMAGED) from None
    if img.format not in _ACCEPTED_FORMATS:
        raise InvalidImage(MSG_FORMAT)

    # Only the header has been read so far: refuse huge images before allocating pixels.
    raw_w, raw_h = img.size
    if raw_w < 1 or raw_h < 1 or raw_w * raw_h > MAX_PIXELS:
        raise _too_big()
    orientation = _orientation(img)
    transposed = orientation in _TRANSPOSING_ORIENTATIONS
    width, height = (raw_h, raw_w) if transposed else (raw_w, raw_h)

    try:
        if _ACCEPTED_FORMATS[img.format] == "JPEG":
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that still leaves the
            # largest rendition full resolution: several times faster for camera photos.
            # Only the dimension that becomes the displayed width matters.
            target = min(draft_width or max(RENDITION_WIDTHS), width)
            img.draft("RGB", (1, target) if transposed else (target, 1))
        # Force the full decode so truncated/corrupt data fails here; for an animated
        # WebP/APNG this is the first frame, which is what we keep. A library may have told
        # Pillow to accept truncated images for the whole process (WeasyPrint does): not here.
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_big() from None
    except Exception:  # decoders report damage with many different exception types
        raise InvalidImage(MSG_DAMAGED) from None
    return img, orientation, width, height


def _orientation(img: Image.Image) -> int:
    # getexif() also reads the tiff:Orientation of XMP packets (PNG/WebP from some editors).
    try:
        value = int(img.getexif().get(0x0112, 1))
    except Exception:  # broken EXIF is common and not worth refusing a photo for
        return 1
    return value if value in _UPRIGHT else 1


def _clean(img: Image.Image, orientation: int) -> Image.Image:
    """Return an upright sRGB RGB/RGBA copy of img that carries no metadata at all."""
    icc = img.info.get("icc_profile")
    if orientation in _UPRIGHT:
        img = img.transpose(_UPRIGHT[orientation])
    if icc and img.mode in ("RGB", "RGBA", "CMYK"):
        img = _to_srgb(img, icc)
    img = _to_rgb(img)
    # Copying pixels into a brand-new image drops EXIF (GPS, camera serial), XMP, ICC,
    # comments and PNG text chunks: renditions are encoded from this clean copy only.
    clean = Image.new(img.mode, img.size)
    clean.paste(img, (0, 0))
    return clean


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit greyscale PNG: scale down to 8 bits instead of letting convert() clip.
        img = img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    has_alpha = img.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in img.info
    if not has_alpha:
        return img if img.mode == "RGB" else img.convert("RGB")
    img = img.convert("RGBA")
    if img.getchannel("A").getextrema() == (255, 255):
        return img.convert("RGB")  # alpha channel present but fully opaque: drop it
    return img


def _to_srgb(img: Image.Image, icc: bytes) -> Image.Image:
    """Convert from the embedded colour profile so colours survive dropping the profile."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if img.mode == "RGBA" else "RGB"  # CMYK photos come out as RGB
        converted = ImageCms.profileToProfile(img, source, _SRGB, outputMode=mode)
    except Exception:  # a broken profile, or one that does not fit the pixel mode
        return img
    return converted if converted is not None else img


def _store_renditions(
    img: Image.Image,
    key: str,
    widths: tuple[int, ...],
    missing: set[int],
    storage: MediaStorage,
) -> None:
    current = img
    # Largest first, each one resized from the previous: cheaper than always starting
    # from the full image and visually indistinguishable with LANCZOS.
    for w in sorted(widths, reverse=True):
        if w < min(missing):
            break  # the rest are stored already
        if current.width != w:
            h = max(1, round(img.height * w / img.width))
            current = current.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
        if w in missing:
            buf = io.BytesIO()
            current.save(buf, format="WEBP", quality=_WEBP_QUALITY, method=_WEBP_METHOD)
            storage.save(rendition_name(key, w), buf.getvalue())
