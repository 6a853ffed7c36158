"""Photos of large uploads made in the background (with a job queue), and their lifecycle.

A large upload is checked in full in the request (same refusals as ever), its bytes are kept in
PRIVATE storage under a content hash, and the photo row is added as PROCESSING: staff see it,
the shop does not (Product.shown_photos, Product.cover). A job then makes the renditions,
marks the photo READY (the ORM flush stales the product's cached pages) and deletes the kept
original. The job may run twice, late, or after the photo was deleted: every step checks the
row again and leaves files another photo still needs. A job that gives up after its retries
marks the photo FAILED; staff retry it or delete it. A job Redis lost is queued again by the
worker's sweep (shop.jobs.tasks.requeue_lost_photos).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import func, select

from shop.extensions import db
from shop.media import MediaStorage
from shop.models import PhotoState, Product, ProductPhoto
from shop.services.media import images
from shop.services.media import product_photos as photos
from shop.services.media.product_photos import PhotoRefused
from shop.services.reporting import audit
from shop.services.reporting.audit import Actor

logger = logging.getLogger("shop.photos")
ORIGINAL_PREFIX = "photo-original-"


def background_threshold(config: Any) -> int | None:
    """Pixels from which an upload is made by a job; None without a job queue."""
    if not config.get("JOBS_REDIS_URL"):
        return None
    return int(config["PHOTO_JOB_MIN_PIXELS"])


def original_name(data: bytes) -> str:
    """The private storage name of an upload kept for its job: a hash of its content."""
    return ORIGINAL_PREFIX + hashlib.sha256(data).hexdigest()[:32]


def add_upload(
    product: Product,
    data: bytes,
    public: MediaStorage,
    private: MediaStorage,
    actor: Actor,
    *,
    file_name: str = "",
    background_from: int | None = None,
) -> ProductPhoto:
    """Add an uploaded photo as the product's last one; commit.

    Made here and now, as it always was, unless background_from is given and the photo has
    at least that many pixels: then it is only checked here and added PROCESSING, for the
    caller to queue `render_photo`. Raises PhotoRefused either way for an unusable file.
    """
    if background_from is None or images.header_pixels(data) < background_from:
        return photos.add_photo(product, data, public, actor, file_name=file_name)
    if len(data) > images.MAX_UPLOAD_BYTES:
        raise PhotoRefused("too_large")
    try:
        checked = images.check_image(data)
    except images.InvalidImage as error:
        raise photos.refusal(error) from error
    name = original_name(data)
    private.save(name, data)  # before the row: a processing row always has its original
    try:
        return photos.add_stored_photo(
            product, checked, actor, file_name=file_name, original_key=name
        )
    except BaseException:
        discard_original(name, private)
        raise


def render_photo(photo_id: int, public: MediaStorage, private: MediaStorage) -> str:
    """Make a processing photo's renditions from its kept original; say what happened.

    "ready" when it was made; "gone", "not processing" when there was nothing to do; "failed"
    when the original is missing or not an image after all (retrying cannot help). Storage
    or database errors raise, for the job queue to retry.
    """
    photo = db.session.get(ProductPhoto, photo_id, populate_existing=True)
    if photo is None:
        return "gone"  # delete_photo removed its original too
    if photo.state != PhotoState.PROCESSING or not photo.original_key:
        return "not processing"
    original = photo.original_key
    db.session.commit()  # no transaction held open while the renditions are made
    data = private.read(original)
    if data is None:
        mark_failed(photo_id)
        return "failed"
    try:
        stored = images.process_image(data, public)
    except images.InvalidImage:
        mark_failed(photo_id)
        return "failed"
    return _finish(photo_id, original, stored, public, private)


def _finish(
    photo_id: int,
    original: str,
    stored: images.StoredImage,
    public: MediaStorage,
    private: MediaStorage,
) -> str:
    """Mark the photo ready with its renditions (locked, so a delete waits); drop the original."""
    query = select(ProductPhoto).where(ProductPhoto.id == photo_id).with_for_update()
    photo = db.session.scalars(query.execution_options(populate_existing=True)).first()
    if photo is None or photo.state != PhotoState.PROCESSING or photo.original_key != original:
        db.session.rollback()
        if photo is None:  # deleted while its renditions were made: they are nobody's now
            photos.delete_unused_files(stored.key, _widths(stored), public)
            discard_original(original, private)
            return "gone"
        return "not processing"
    photo.image_key, photo.widths = stored.key, _widths(stored)
    photo.width, photo.height = stored.width, stored.height
    photo.state, photo.original_key = PhotoState.READY, None
    db.session.commit()  # the flush hook bumps the product's cache tag
    discard_original(original, private)
    return "ready"


def _widths(stored: images.StoredImage) -> str:
    return ",".join(map(str, stored.widths))


def processing_ids(limit: int = 500) -> list[int]:
    """The photos waiting for their job, oldest first (for the sweep of lost jobs)."""
    query = select(ProductPhoto.id).where(ProductPhoto.state == PhotoState.PROCESSING)
    ids = list(db.session.scalars(query.order_by(ProductPhoto.id).limit(limit)))
    db.session.rollback()  # no transaction held open while Redis is asked
    return ids


def mark_failed(photo_id: int) -> bool:
    """Mark a processing photo failed (its job gave up); False if it is not processing."""
    photo = db.session.get(ProductPhoto, photo_id, populate_existing=True)
    if photo is None or photo.state != PhotoState.PROCESSING:
        db.session.rollback()
        return False
    photo.state = PhotoState.FAILED
    db.session.commit()
    logger.warning("Photo %s of product %s could not be made", photo_id, photo.product_id)
    return True


def retry_photo(photo: ProductPhoto, private: MediaStorage, actor: Actor) -> bool:
    """Put a failed photo back to processing, for the caller to queue its job; commit.

    False, changing nothing, when it has not failed or its kept original is gone (then only
    deleting it and uploading the file again helps).
    """
    if photo.state != PhotoState.FAILED or not photo.original_key:
        return False
    if not private.exists(photo.original_key):
        return False
    photo.state = PhotoState.PROCESSING
    audit.record(
        actor, "photo.retried", target_type="product", target_id=photo.product_id,
        label=photo.product.name, changes={"photo_id": photo.id},
    )  # fmt: skip
    db.session.commit()
    return True


def delete_photo(
    photo: ProductPhoto, actor: Actor, public: MediaStorage, private: MediaStorage
) -> None:
    """Remove the photo (product_photos.delete_photo), and its kept original if it has one."""
    original = photo.original_key
    photos.delete_photo(photo, actor, public)
    if original:
        discard_original(original, private)


def discard_original(name: str, private: MediaStorage) -> bool:
    """Delete a kept original unless another photo still waits for it; True if deleted."""
    waiting = db.session.scalar(
        select(func.count()).select_from(ProductPhoto).where(ProductPhoto.original_key == name)
    )
    return False if waiting else private.delete(name)
