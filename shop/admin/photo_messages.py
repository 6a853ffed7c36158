"""Why an uploaded photo can't be used, in the staff member's language.

One place for every photo form of the back office (product photos, the workshop photo): the
photo service names the reason (`PhotoRefused.reason`), this module says it in words.
"""

from __future__ import annotations

from flask_babel import format_decimal, gettext

from shop.services.media import images
from shop.services.media.product_photos import PhotoRefused


def file_size(n_bytes: int) -> str:
    """A size in MB (or KB below one MB), as the staff member's language writes numbers."""
    if n_bytes >= 1024 * 1024:
        return gettext("%(num)s MB", num=format_decimal(round(n_bytes / (1024 * 1024), 1)))
    return gettext("%(num)s KB", num=format_decimal(round(n_bytes / 1024, 1)))


def photo_refusal_message(error: PhotoRefused, name: str | None = None) -> str:
    """Say why the file can't be used; with `name`, say which file (for uploads of several)."""
    if name is not None:
        return _named_refusal(error.reason, name)
    if error.reason == "empty":
        return gettext("The file is empty.")
    if error.reason == "format":
        return gettext("Only JPEG, PNG or WebP photos can be used.")
    if error.reason == "too_large":
        return gettext(
            "The file is larger than %(num)d MB.", num=images.MAX_UPLOAD_BYTES // (1024 * 1024)
        )
    if error.reason == "too_many_pixels":
        return gettext(
            "The image has too many pixels (the limit is %(num)s megapixels).",
            num=format_decimal(images.MAX_PIXELS / 1_000_000),
        )
    return gettext("The image file is damaged or incomplete.")


def _named_refusal(reason: str, name: str) -> str:
    if reason == "empty":
        return gettext("“%(name)s” is empty.", name=name)
    if reason == "too_large":
        return gettext(
            "“%(name)s” is larger than %(size)s. Make the photo smaller and try again.",
            name=name,
            size=file_size(images.MAX_UPLOAD_BYTES),
        )
    if reason == "format":
        return gettext("“%(name)s” is not a JPEG, PNG or WebP photo.", name=name)
    if reason == "too_many_pixels":
        return gettext(
            "“%(name)s” has too many pixels (the limit is %(num)s megapixels). "
            "Make the photo smaller and try again.",
            name=name,
            num=format_decimal(images.MAX_PIXELS / 1_000_000),
        )
    return gettext(
        "“%(name)s” is damaged or incomplete. Save it again or choose another photo.", name=name
    )
