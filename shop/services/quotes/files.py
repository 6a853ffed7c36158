"""Reference files for quote requests: livery pictures and PDFs, checked and kept private.

Pictures go through the photo pipeline (decoded, turned upright, every byte of metadata
dropped, re-encoded as WebP); a PDF must open as a PDF. The name and content type a browser
sends prove nothing, so neither is trusted. Files live in private storage: they are served
only through views that check the buyer's token or a staff sign-in.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader

from shop.media import MediaStorage
from shop.models import QuoteFile
from shop.services.media import images

log = logging.getLogger(__name__)

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 200
PREVIEW_WIDTH = max(images.RENDITION_WIDTHS)


class InvalidFile(ValueError):
    """A reference file that cannot be kept; `reason` is a key the views turn into words."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason  # "empty", "too_large", "format", "damaged", "too_many_pixels"


@dataclass(frozen=True)
class Upload:
    """A file as the buyer sent it."""

    filename: str
    data: bytes


def clean_filename(name: str) -> str:
    """A short, safe name to show and offer for download: no folders, no control characters."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.\- ()]+", "_", name).strip(" ._") or "file"
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 8:
        return stem[: 100 - len(ext)] + "." + ext.lower()
    return name[:100]


def _is_pdf(data: bytes) -> bool:
    # A PDF header may follow a little junk, but an .exe renamed .pdf starts with "MZ".
    return b"%PDF-" in data[:1024]


def _check_pdf(filename: str, data: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = len(reader.pages)
    except Exception:  # pypdf reports damage with many exception types
        raise InvalidFile(filename, "damaged") from None
    if pages < 1 or pages > MAX_PDF_PAGES:
        raise InvalidFile(filename, "damaged")


def store(upload: Upload, storage: MediaStorage) -> QuoteFile:
    """Check the file, store a clean copy privately and return its (unsaved) record."""
    shown = clean_filename(upload.filename)
    data = upload.data
    if not data:
        raise InvalidFile(shown, "empty")
    if len(data) > MAX_FILE_BYTES:
        raise InvalidFile(shown, "too_large")
    if _is_pdf(data):
        _check_pdf(shown, data)
        name = hashlib.sha256(data).hexdigest()[:32] + ".pdf"
        storage.save(name, data)
        return QuoteFile(
            filename=shown, storage_name=name, content_type="application/pdf", size_bytes=len(data)
        )
    try:
        stored = images.process_image(data, storage)
    except images.InvalidImage as error:
        raise InvalidFile(shown, _image_reason(str(error))) from None
    name = images.rendition_name(stored.key, max(stored.widths))
    stem = shown.rsplit(".", 1)[0] if "." in shown else shown
    size = (storage.path(name).stat().st_size if storage.path(name) else 0) or len(data)
    return QuoteFile(
        filename=stem[:95] + ".webp", storage_name=name, content_type="image/webp", size_bytes=size
    )


def _image_reason(message: str) -> str:
    if message == images.MSG_FORMAT:
        return "format"
    if "pixels" in message:
        return "too_many_pixels"
    if "larger" in message:
        return "too_large"
    if message == images.MSG_EMPTY:
        return "empty"
    return "damaged"


def preview_name(file: QuoteFile, width: int) -> str | None:
    """The stored name of a smaller rendition of a picture, for thumbnails; None for PDFs."""
    if not file.is_image:
        return None
    key = file.storage_name.split("-", 1)[0]
    return images.rendition_name(key, width)
