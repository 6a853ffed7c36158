"""Product photos in the back office: upload, reorder, choose the cover, alt text, delete."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.admin.photo_forms import (
    AltTextForm,
    MoveForm,
    PhotoActionForm,
    ReorderForm,
    UploadForm,
    shown_file_name,
)
from shop.admin.photo_messages import file_size, photo_refusal_message
from shop.extensions import db
from shop.media import StorageUnavailable
from shop.models import Product, ProductPhoto
from shop.redirects import local_path
from shop.services.media import images
from shop.services.media import product_photos as photo_service
from shop.services.media.product_photos import InvalidAltText, InvalidPhotoOrder, PhotoRefused
from shop.templating import media_url, smallest_width_at_least


@bp.context_processor
def photo_upload_limits() -> dict[str, Any]:
    """Give the photo manager the upload limits it tells staff about."""
    return {
        "photo_limits": {
            "max_bytes": images.MAX_UPLOAD_BYTES,
            "size": file_size(images.MAX_UPLOAD_BYTES),
        }
    }


def _wants_json() -> bool:
    """True for the photo manager's script, which asks for JSON instead of a page."""
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _product_or_404(product_id: int) -> Product:
    return db.session.get(Product, product_id) or abort(404)


def _photo_or_404(photo_id: int) -> ProductPhoto:
    return photo_service.find_photo(photo_id) or abort(404)


def _actor() -> Any:
    return current_user._get_current_object()


def _photos_page(product_id: int) -> str:
    return url_for("admin.product_photos", product_id=product_id)


def _back(form: PhotoActionForm, product_id: int) -> Response:
    """See Other: back to the page the form was on (the edit page or the photos page)."""
    # No #fragment: the flashed messages are at the top of the page and must be seen.
    return redirect(local_path(form.next.data) or _photos_page(product_id), 303)


def _done(message: str, form: PhotoActionForm, product_id: int) -> Response:
    if _wants_json():
        return jsonify(ok=True, message=message)
    flash(message, "success")
    return _back(form, product_id)


def _refused(message: str, form: PhotoActionForm, product_id: int) -> Response:
    """Say why nothing was changed: JSON 422 for the script, else flash and go back."""
    if _wants_json():
        return _json_error(message, 422)
    flash(message, "error")
    return _back(form, product_id)


def _json_error(message: str, status: int) -> Response:
    response = jsonify(ok=False, error=message)
    response.status_code = status
    return response


def _first_error(form: PhotoActionForm) -> str | None:
    """The form's first error message, or None if it is valid."""
    if form.validate_on_submit():
        return None
    errors = [str(m) for name, ms in form.errors.items() if name != "csrf_token" for m in ms]
    return errors[0] if errors else gettext("Please check the form and try again.")


@bp.get("/products/<int:product_id>/photos")
def product_photos(product_id: int) -> str:
    """Show a product's photos with the upload form (also the target without JavaScript)."""
    return _render_photos_page(_product_or_404(product_id))


def _render_photos_page(product: Product) -> str:
    return render_template("admin/photos.html", product=product)


def _photo_json(photo: ProductPhoto) -> dict[str, Any]:
    width = smallest_width_at_least(photo.widths, 320)
    return {
        "id": photo.id,
        "thumb_url": media_url(photo.image_key, width),
        "alt": photo.alt_text,
    }


@bp.post("/products/<int:product_id>/photos")
def photo_upload(product_id: int) -> Response:
    """Add the uploaded photos at the end of the product's photos; refuse unusable files."""
    product = _product_or_404(product_id)
    form = UploadForm()
    files = form.chosen_files()
    if not files:
        return _refused(gettext("Choose one or more photos to upload."), form, product_id)
    storage = current_app.extensions["media"]
    saved: list[dict[str, Any]] = []
    errors: list[str] = []
    for file in files:  # one transaction per file: a bad file does not stop the good ones
        name = shown_file_name(file.filename)
        # Read at most one byte past the limit: enough to know the file is too large.
        data = file.stream.read(images.MAX_UPLOAD_BYTES + 1)
        try:
            photo = photo_service.add_photo(product, data, storage, _actor(), file_name=name)
        except PhotoRefused as error:
            errors.append(photo_refusal_message(error, name or gettext("The file")))
        except StorageUnavailable:
            current_app.logger.exception("Photo could not be stored")
            errors.append(gettext("%(name)s could not be stored: the photo storage did not "
                                  "answer. Try again in a few minutes.",
                                  name=name or gettext("The file")))  # fmt: skip
        else:
            saved.append(_photo_json(photo) | {"name": name})
    if _wants_json():
        return _upload_json(saved, errors)
    if saved:
        flash(ngettext("%(num)d photo added.", "%(num)d photos added.", len(saved)), "success")
    for message in errors:
        flash(message, "error")
    return _back(form, product_id)


def _upload_json(saved: list[dict[str, Any]], errors: list[str]) -> Response:
    response = jsonify(
        ok=not errors,
        photo=saved[0] if saved else None,
        photos=saved,
        error=errors[0] if errors else None,
        errors=errors,
    )
    response.status_code = 200 if saved else 422
    return response


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
    if _wants_json():
        return _json_error(message, 413)
    flash(message, "error")
    product_id = (request.view_args or {}).get("product_id", 0)
    return redirect(_same_site_referrer() or _photos_page(product_id), 303)


def _same_site_referrer() -> str | None:
    """The referring page's path if it is on this site (the form could not be read)."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host:
        return None
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""))


@bp.post("/products/<int:product_id>/photos/order")
def photos_reorder(product_id: int) -> Response | tuple[str, int]:
    """Put the product's photos in the order given; the first one is the cover."""
    product = _product_or_404(product_id)
    form = ReorderForm()
    ids = form.photo_ids() if form.validate_on_submit() else None
    try:
        if ids is None:
            raise InvalidPhotoOrder(form.order.data)
        changed = photo_service.reorder(product, ids, _actor())
    except InvalidPhotoOrder:
        message = gettext(
            "The new order must list each photo of this product once. Nothing was changed: "
            "reload the page and try again."
        )
        if _wants_json():
            return _json_error(message, 422)
        flash(message, "error")
        return _render_photos_page(product), 422
    message = gettext("The new order is saved.") if changed else gettext("The order is unchanged.")
    return _done(message, form, product_id)


@bp.post("/photos/<int:photo_id>/move")
def photo_move(photo_id: int) -> Response:
    """Move a photo one place earlier or later."""
    photo = _photo_or_404(photo_id)
    product_id = photo.product_id
    form = MoveForm()
    problem = _first_error(form)
    if problem:
        return _refused(problem, form, product_id)
    earlier = form.direction.data == "earlier"
    if photo_service.move(photo, "earlier" if earlier else "later", _actor()):
        message = gettext("Photo moved earlier.") if earlier else gettext("Photo moved later.")
    elif earlier:
        message = gettext("This photo is first already.")
    else:
        message = gettext("This photo is last already.")
    return _done(message, form, product_id)


@bp.post("/photos/<int:photo_id>/cover")
def photo_cover(photo_id: int) -> Response:
    """Make a photo the product's cover: it moves first."""
    photo = _photo_or_404(photo_id)
    product_id = photo.product_id
    form = PhotoActionForm()
    if photo_service.set_cover(photo, _actor()):
        message = gettext("This photo is now the cover.")
    else:
        message = gettext("This photo is the cover already.")
    return _done(message, form, product_id)


@bp.post("/photos/<int:photo_id>")
def photo_update(photo_id: int) -> Response:
    """Change a photo's alt text (required)."""
    photo = _photo_or_404(photo_id)
    product_id = photo.product_id
    form = AltTextForm()
    problem = _first_error(form)
    if problem:
        return _refused(problem, form, product_id)
    try:
        changed = photo_service.set_alt_text(photo, form.alt_text.data or "", _actor())
    except InvalidAltText as error:
        return _refused(_alt_text_problem(error), form, product_id)
    message = gettext("Alt text saved.") if changed else gettext("The alt text is unchanged.")
    return _done(message, form, product_id)


def _alt_text_problem(error: InvalidAltText) -> str:
    if error.reason == "too_long":
        return gettext(
            "Use at most %(num)d characters for the alt text.", num=photo_service.ALT_TEXT_MAX
        )
    return gettext("Describe what the photo shows: alt text is required.")


@bp.post("/photos/<int:photo_id>/delete")
def photo_delete(photo_id: int) -> Response:
    """Remove a photo from its product."""
    photo = _photo_or_404(photo_id)
    product_id = photo.product_id
    form = PhotoActionForm()
    try:
        photo_service.delete_photo(photo, _actor(), current_app.extensions["media"])
    except StorageUnavailable:  # the photo is gone from the shop; its files stay behind
        current_app.logger.exception("Files of deleted photo %s could not be removed", photo_id)
    return _done(gettext("Photo deleted."), form, product_id)
