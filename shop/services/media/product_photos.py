"""A product's photos: add uploads, reorder, choose the cover, alt text, delete.

Each function changes one product's photos in one transaction, with its audit entry, and
commits; a refused change raises a `PhotoError` and leaves the database as it was. The
storefront picks the change up at once: photo rows are catalog rows, so the flush stales
the product's cached pages (services.catalog.version).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, TypeVar

from sqlalchemy import func, select

from shop.extensions import db
from shop.media import MediaStorage
from shop.models import PhotoState, Product, ProductPhoto, Workshop
from shop.services.media import images
from shop.services.reporting import audit
from shop.services.reporting.audit import Actor

ALT_TEXT_MAX = 300
Direction = Literal["earlier", "later"]
T = TypeVar("T")


class PhotoError(Exception):
    """A reason a change to a product's photos was refused."""


class PhotoRefused(PhotoError):
    """An uploaded file is not a photo the shop can use.

    `reason` is one of REASONS, so views can say why in the staff member's language
    (images.InvalidImage only carries an English sentence).
    """

    REASONS = ("empty", "too_large", "format", "damaged", "too_many_pixels")

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidAltText(PhotoError):
    """Alt text that is empty (after trimming) or longer than ALT_TEXT_MAX."""

    def __init__(self, reason: Literal["empty", "too_long"]) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidPhotoOrder(PhotoError):
    """A new order that does not list each of the product's photos exactly once."""


def find_photo(photo_id: int) -> ProductPhoto | None:
    """Return the photo with this id, or None."""
    return db.session.get(ProductPhoto, photo_id)


def _current_ids(product: Product) -> list[int]:
    """The product's photo ids in their stored order, read fresh from the database."""
    query = (
        select(ProductPhoto.id)
        .where(ProductPhoto.product_id == product.id)
        .order_by(ProductPhoto.position, ProductPhoto.id)
    )
    return list(db.session.scalars(query))


def _in_transaction(change: Callable[[], T]) -> T:
    """Run change and commit, or roll everything back and re-raise."""
    try:
        result = change()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def refusal(error: images.InvalidImage) -> PhotoRefused:
    """Name the reason behind one of the pipeline's English messages."""
    message = str(error)
    known = {
        images.MSG_EMPTY: "empty",
        images.MSG_FORMAT: "format",
        images.MSG_DAMAGED: "damaged",
    }
    if message in known:
        return PhotoRefused(known[message])
    if "pixels" in message:
        return PhotoRefused("too_many_pixels")
    if "larger than" in message:
        return PhotoRefused("too_large")
    return PhotoRefused("damaged")


def store_upload(data: bytes, storage: MediaStorage) -> images.StoredImage:
    """Check and process an uploaded file into stored renditions, or raise PhotoRefused."""
    if len(data) > images.MAX_UPLOAD_BYTES:
        raise PhotoRefused("too_large")
    try:
        return images.process_image(data, storage)
    except images.InvalidImage as error:
        raise refusal(error) from error


def default_alt_text(product: Product) -> str:
    """The alt text a new photo starts with: the product's name."""
    return (product.name.strip() or product.slug)[:ALT_TEXT_MAX]


def add_photo(
    product: Product, data: bytes, storage: MediaStorage, actor: Actor, *, file_name: str = ""
) -> ProductPhoto:
    """Process an uploaded file and add it as the product's last photo; commit.

    Raises PhotoRefused (nothing written to the database) when the file is not usable.
    `file_name` is only recorded in the audit log; it is never used as a path.
    """
    return add_stored_photo(product, store_upload(data, storage), actor, file_name=file_name)


def add_stored_photo(
    product: Product, stored: images.StoredImage, actor: Actor, *, file_name: str = "",
    original_key: str | None = None,
) -> ProductPhoto:  # fmt: skip
    """Add a checked photo as the product's last one; commit.

    With original_key (the kept upload in private storage) its renditions are still to be
    made: the photo is PROCESSING, shown to staff but not in the shop (see photo_jobs).
    """

    def change() -> ProductPhoto:
        last = db.session.scalar(
            select(func.max(ProductPhoto.position)).where(ProductPhoto.product_id == product.id)
        )
        photo = ProductPhoto(
            product=product,
            image_key=stored.key,
            widths=",".join(map(str, stored.widths)),
            width=stored.width,
            height=stored.height,
            alt_text=default_alt_text(product),
            position=0 if last is None else last + 1,
            state=PhotoState.READY if original_key is None else PhotoState.PROCESSING,
            original_key=original_key,
        )
        db.session.add(photo)
        db.session.flush()
        _record(actor, "photo.uploaded", product,
                photo_id=photo.id, alt_text=photo.alt_text, file_name=file_name)  # fmt: skip
        return photo

    return _in_transaction(change)


def _record(actor: Actor, action: str, product: Product, **changes: object) -> None:
    audit.record(
        actor,
        action,
        target_type="product",
        target_id=product.id,
        label=product.name,
        changes=changes,
    )


def _apply_order(product: Product, ids: Sequence[int]) -> None:
    """Give the product's photos positions 0, 1, 2, … in the order of ids."""
    query = select(ProductPhoto).where(ProductPhoto.product_id == product.id)
    photos = {photo.id: photo for photo in db.session.scalars(query)}
    for position, photo_id in enumerate(ids):
        photos[photo_id].position = position
    db.session.flush()
    db.session.expire(product, ["photos"])  # the relationship's order is stale now


def reorder(product: Product, photo_ids: Sequence[int], actor: Actor) -> bool:
    """Put the product's photos in the given order (the first is the cover); commit.

    Raises InvalidPhotoOrder unless photo_ids lists every photo of the product exactly
    once. Returns False, writing nothing, when the order is already that.
    """
    current = _current_ids(product)
    wanted = list(photo_ids)
    if len(wanted) != len(set(wanted)) or sorted(wanted) != sorted(current):
        raise InvalidPhotoOrder(wanted)
    if wanted == current:
        return False

    def change() -> bool:
        _apply_order(product, wanted)
        _record(actor, "photo.reordered", product, order=[current, wanted])
        return True

    return _in_transaction(change)


def move(photo: ProductPhoto, direction: Direction, actor: Actor) -> bool:
    """Swap the photo with its neighbour before or after it; commit.

    Returns False, writing nothing, when it is already first (earlier) or last (later).
    """
    ids = _current_ids(photo.product)
    index = ids.index(photo.id)
    other = index - 1 if direction == "earlier" else index + 1
    if not 0 <= other < len(ids):
        return False
    ids[index], ids[other] = ids[other], ids[index]
    return reorder(photo.product, ids, actor)


def set_cover(photo: ProductPhoto, actor: Actor) -> bool:
    """Make the photo the product's cover by moving it first; commit.

    Returns False, writing nothing, when it is the cover already.
    """
    product = photo.product
    current = _current_ids(product)
    if current[0] == photo.id:
        return False

    def change() -> bool:
        _apply_order(product, [photo.id] + [i for i in current if i != photo.id])
        _record(actor, "photo.cover_set", product, photo_id=photo.id, previous_cover=current[0])
        return True

    return _in_transaction(change)


def checked_alt_text(alt_text: str) -> str:
    """Return the alt text trimmed, or raise InvalidAltText if empty or too long."""
    text = " ".join(alt_text.split())
    if not text:
        raise InvalidAltText("empty")
    if len(text) > ALT_TEXT_MAX:
        raise InvalidAltText("too_long")
    return text


def set_alt_text(photo: ProductPhoto, alt_text: str, actor: Actor) -> bool:
    """Change the photo's alt text; commit. Returns False when it is unchanged."""
    text = checked_alt_text(alt_text)
    if text == photo.alt_text:
        return False
    before = photo.alt_text

    def change() -> bool:
        photo.alt_text = text
        _record(
            actor, "photo.alt_changed", photo.product, photo_id=photo.id, alt_text=[before, text]
        )
        return True

    return _in_transaction(change)


def delete_photo(photo: ProductPhoto, actor: Actor, storage: MediaStorage | None = None) -> None:
    """Remove the photo from its product; commit; then delete its files from storage if given.

    Files are named by content hash, so another photo (of this or another product, or a
    workshop) may show the very same ones: those are kept. A photo deleted because it should
    never have been public (a face, a name) must really go, from disk or bucket alike.
    """
    product = photo.product
    image_key, widths = photo.image_key, photo.widths

    def change() -> None:
        _record(
            actor,
            "photo.deleted",
            product,
            photo_id=photo.id,
            alt_text=photo.alt_text,
            image_key=photo.image_key,
        )
        db.session.delete(photo)
        db.session.flush()
        _apply_order(product, _current_ids(product))

    _in_transaction(change)
    if storage is not None:
        delete_unused_files(image_key, widths, storage)


def delete_unused_files(image_key: str, widths: str, storage: MediaStorage) -> list[str]:
    """Delete the renditions of image_key unless a photo or workshop still shows them."""
    in_use = db.session.scalar(
        select(func.count()).select_from(ProductPhoto).where(ProductPhoto.image_key == image_key)
    ) or db.session.scalar(
        select(func.count()).select_from(Workshop).where(Workshop.photo_key == image_key)
    )
    if in_use:
        return []
    names = [images.rendition_name(image_key, int(w)) for w in widths.split(",") if w]
    return [name for name in names if storage.delete(name)]
