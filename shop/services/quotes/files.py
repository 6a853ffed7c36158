"""Reference files for quote requests: livery pictures and PDFs, checked and kept private.

Pictures go through the photo pipeline (decoded, turned upright, every byte of metadata
dropped, re-encoded as WebP); a PDF must open as a PDF. The name and content type a browser
sends prove nothing, so neither is trusted. Files live in private storage: they are served
only through views that check the buyer's token or a staff sign-in. A request that is refused
keeps none of its files, and `purge_old_files` deletes those of requests long closed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from shop.extensions import db
from shop.media import MediaStorage, StorageUnavailable
from shop.models import QuoteFile, QuoteRequest, QuoteStatus
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


# --- Keeping files only for requests that were saved -----------------------------------------


class _StagedStorage:
    """A storage that remembers which files it added, so they can be taken back."""

    def __init__(self, storage: MediaStorage) -> None:
        self._storage = storage
        self.added: list[str] = []

    def save(self, name: str, data: bytes) -> None:
        """Store the file; remember it if it was not there before (another request's)."""
        new = not self._storage.exists(name)
        self._storage.save(name, data)
        if new:
            self.added.append(name)

    def exists(self, name: str) -> bool:
        """Tell whether a file is stored under name."""
        return self._storage.exists(name)

    def url(self, name: str) -> str:
        """The file's URL in the real storage."""
        return self._storage.url(name)

    def path(self, name: str) -> Path | None:
        """The file's local path in the real storage."""
        return self._storage.path(name)

    def read(self, name: str) -> bytes | None:
        """The file's bytes in the real storage."""
        return self._storage.read(name)

    def delete(self, name: str) -> bool:
        """Delete the file from the real storage."""
        return self._storage.delete(name)


@contextmanager
def all_or_nothing(storage: MediaStorage) -> Iterator[MediaStorage]:
    """Storage for one request's files: if anything fails inside, the files added are deleted.

    A file already stored for an earlier request (same content, same name) is left alone.
    """
    staged = _StagedStorage(storage)
    try:
        yield staged
    except BaseException:
        for name in staged.added:
            try:
                _delete(storage, name)
            except StorageUnavailable:  # the storage is down: the first error says so
                log.warning("Could not take back reference file %s", name)
        raise


def _delete(storage: MediaStorage, name: str) -> bool:
    """Delete one stored file; True if it was there."""
    remove = getattr(storage, "delete", None)
    if remove is not None:
        return bool(remove(name))
    path = storage.path(name)
    if path is None:
        return False
    path.unlink(missing_ok=True)
    return True


# --- Retention -------------------------------------------------------------------------------

CLOSED = (QuoteStatus.DECLINED, QuoteStatus.EXPIRED)
DEFAULT_RETENTION_DAYS = 180


@dataclass(frozen=True)
class PurgedFile:
    """A reference file deleted by `purge_old_files`: whose it was and what was removed."""

    quote_number: str
    filename: str
    removed: tuple[str, ...]  # the stored names deleted (a picture has several sizes)
    shared: bool = False  # the same file belongs to a request still kept: left on disk


def _content_key(storage_name: str) -> str:
    # "3fa2c9d1e0b47a55-1280.webp" -> "3fa2c9d1e0b47a55" (all its sizes); "ab12….pdf" stays.
    return storage_name.split("-", 1)[0]


def _stored_names(file: QuoteFile) -> list[str]:
    if not file.is_image:
        return [file.storage_name]
    key = _content_key(file.storage_name)
    sizes = [images.rendition_name(key, w) for w in images.RENDITION_WIDTHS]
    return [file.storage_name] + [name for name in sizes if name != file.storage_name]


def purge_old_files(
    storage: MediaStorage, *, days: int = DEFAULT_RETENTION_DAYS, now: datetime | None = None
) -> list[PurgedFile]:
    """Delete the reference files of declined or expired requests unchanged for `days` days.

    Their file records go too (so no page links to a missing file); the requests, messages
    and history stay. Content also attached to a request still kept is not deleted. Commits.
    """
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    old = (
        select(QuoteFile)
        .join(QuoteRequest, QuoteFile.quote_id == QuoteRequest.id)
        .where(QuoteRequest.status.in_(CLOSED), QuoteRequest.updated_at < cutoff)
        .order_by(QuoteFile.id)
    )
    files = list(db.session.scalars(old))
    if not files:
        return []
    gone = {f.id for f in files}
    kept_keys = {
        _content_key(name)
        for file_id, name in db.session.execute(select(QuoteFile.id, QuoteFile.storage_name))
        if file_id not in gone
    }
    purged = [(f.quote.number or f"#{f.quote_id}", f.filename, _stored_names(f)) for f in files]
    for file in files:
        db.session.delete(file)
    db.session.commit()
    removed = []
    for number, filename, names in purged:
        if _content_key(names[0]) in kept_keys:
            removed.append(PurgedFile(number, filename, (), shared=True))
            continue
        deleted = tuple(name for name in names if _delete(storage, name))
        removed.append(PurgedFile(number, filename, deleted))
    return removed
