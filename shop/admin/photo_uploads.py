"""Uploading product photos in the back office, and retrying one whose background job failed.

Without a job queue every photo is made in the request. With one (REDIS_URL), a photo of at
least PHOTO_JOB_MIN_PIXELS is only checked here, then made by a job: staff see it as being
processed, the shop shows it once it is ready (services.media.photo_jobs).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, jsonify, redirect, render_template, request
from flask_babel import gettext, ngettext
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from shop import jobs
from shop.admin import bp
from shop.admin.photo_forms import PhotoActionForm, UploadForm, shown_file_name
from shop.admin.photo_messages import file_size, photo_refusal_message
from shop.admin.photos import (
    actor,
    back,
    done,
    json_error,
    photo_json,
    photo_or_404,
    photos_page,
    product_or_404,
    refused,
    wants_json,
)
from shop.media import StorageUnavailable
from shop.models import PhotoState, Product, ProductPhoto
from shop.redirects import local_path
from shop.services.media import images, photo_jobs
from shop.services.media.product_photos import PhotoRefused


@bp.context_processor
def photo_upload_limits() -> dict[str, Any]:
    """Give the photo manager the upload limits it tells staff about."""
    return {
        "photo_limits": {
            "max_bytes": images.MAX_UPLOAD_BYTES,
            "size": file_size(images.MAX_UPLOAD_BYTES),
        }
    }


def _make_in_background(photo_id: int) -> None:
    """Queue the photo's job; with Redis away, make it here and now, as without Redis."""
    if jobs.enqueue_photo(photo_id):
        return
    media, private = current_app.extensions["media"], current_app.extensions["private_media"]
    try:
        photo_jobs.render_photo(photo_id, media, private)
    except StorageUnavailable:
        photo_jobs.mark_failed(photo_id)  # staff can try again once the storage answers
        raise


def _store(product: Product, data: bytes, name: str) -> ProductPhoto:
    """Add one uploaded file as the product's last photo (made now or by a job)."""
    media, private = current_app.extensions["media"], current_app.extensions["private_media"]
    photo = photo_jobs.add_upload(
        product, data, media, private, actor(), file_name=name,
        background_from=photo_jobs.background_threshold(current_app.config),
    )  # fmt: skip
    if photo.state == PhotoState.PROCESSING:
        _make_in_background(photo.id)
    return photo


@bp.post("/products/<int:product_id>/photos")
def photo_upload(product_id: int) -> Response:
    """Add the uploaded photos at the end of the product's photos; refuse unusable files."""
    product = product_or_404(product_id)
    form = UploadForm()
    files = form.chosen_files()
    if not files:
        return refused(gettext("Choose one or more photos to upload."), form, product_id)
    saved: list[dict[str, Any]] = []
    errors: list[str] = []
    for file in files:  # one transaction per file: a bad file does not stop the good ones
        name = shown_file_name(file.filename)
        # Read at most one byte past the limit: enough to know the file is too large.
        data = file.stream.read(images.MAX_UPLOAD_BYTES + 1)
        try:
            photo = _store(product, data, name)
        except PhotoRefused as error:
            errors.append(photo_refusal_message(error, name or gettext("The file")))
        except StorageUnavailable:
            current_app.logger.exception("Photo could not be stored")
            errors.append(gettext("%(name)s could not be stored: the photo storage did not "
                                  "answer. Try again in a few minutes.",
                                  name=name or gettext("The file")))  # fmt: skip
        else:
            saved.append(photo_json(photo) | {"name": name})
    if wants_json():
        return _upload_json(saved, errors)
    if saved:
        flash(ngettext("%(num)d photo added.", "%(num)d photos added.", len(saved)), "success")
    if any(photo["processing"] for photo in saved):
        flash(gettext("Large photos are being processed: they appear in the shop when they "
                      "are ready, usually within a minute."), "info")  # fmt: skip
    for message in errors:
        flash(message, "error")
    return back(form, product_id)


def _upload_json(saved: list[dict[str, Any]], errors: list[str]) -> Response:
    for photo in saved:
        if photo["processing"]:
            photo["note"] = gettext("Added; being processed for the shop.")
    response = jsonify(
        ok=not errors,
        photo=saved[0] if saved else None,
        photos=saved,
        error=errors[0] if errors else None,
        errors=errors,
    )
    response.status_code = 200 if saved else 422
    return response


@bp.post("/photos/<int:photo_id>/retry")
def photo_retry(photo_id: int) -> Response:
    """Try again to make a photo whose background job failed."""
    photo = photo_or_404(photo_id)
    product_id = photo.product_id
    form = PhotoActionForm()
    private = current_app.extensions["private_media"]
    if not photo_jobs.retry_photo(photo, private, actor()):
        message = gettext(
            "This photo can't be processed again: its uploaded file is gone or it is not "
            "waiting. Delete it and upload the photo again if it still shows as failed."
        )
        return refused(message, form, product_id)
    try:
        _make_in_background(photo_id)
    except StorageUnavailable:
        current_app.logger.exception("Photo %s could not be made", photo_id)
    return done(gettext("The photo is being processed again."), form, product_id)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge) -> Any:
    """Explain a request over MAX_CONTENT_LENGTH instead of a bare 413.

    Blueprint-wide (Flask has no per-route error handlers): other admin uploads, such as
    the CSV import, get a plain page in the back-office layout.
    """
    limit = file_size(request.max_content_length or 0)
    if request.endpoint != "admin.photo_upload":
        message = gettext(
            "What was sent is larger than %(size)s, the most the back office accepts at once. "
            "Nothing was saved.",
            size=limit,
        )
        title = gettext("The upload is too large")
        page = render_template("admin/error.html", code=413, title=title, message=message)
        return page, 413
    message = gettext(
        "The photos sent together are larger than %(size)s, so nothing was saved. "
        "Choose fewer photos at a time, or smaller ones.",
        size=limit,
    )
    if wants_json():
        return json_error(message, 413)
    flash(message, "error")
    product_id = (request.view_args or {}).get("product_id", 0)
    return redirect(_same_site_referrer() or photos_page(product_id), 303)


def _same_site_referrer() -> str | None:
    """The referring page's path if it is on this site (the form could not be read)."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host:
        return None
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""))
