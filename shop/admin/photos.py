"""Product photos in the back office: reorder, choose the cover, alt text, delete.

Uploads (and retrying a photo whose background job failed) are in photo_uploads; the helpers
here are shared with it.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.admin.photo_forms import (
    AltTextForm,
    MoveForm,
    PhotoActionForm,
    ReorderForm,
)
from shop.extensions import db
from shop.media import StorageUnavailable
from shop.models import PhotoState, Product, ProductPhoto
from shop.redirects import local_path
from shop.services.media import photo_jobs
from shop.services.media import product_photos as photo_service
from shop.services.media.product_photos import InvalidAltText, InvalidPhotoOrder
from shop.templating import media_url, smallest_width_at_least


def wants_json() -> bool:
    """True for the photo manager's script, which asks for JSON instead of a page."""
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def product_or_404(product_id: int) -> Product:
    """The product, or a 404 page."""
    return db.session.get(Product, product_id) or abort(404)


def photo_or_404(photo_id: int) -> ProductPhoto:
    """The photo, or a 404 page."""
    return photo_service.find_photo(photo_id) or abort(404)


def actor() -> Any:
    """The signed-in staff member, for the audit log."""
    return current_user._get_current_object()


def photos_page(product_id: int) -> str:
    """The address of the product's photos page."""
    return url_for("admin.product_photos", product_id=product_id)


def back(form: PhotoActionForm, product_id: int) -> Response:
    """See Other: back to the page the form was on (the edit page or the photos page)."""
    # No #fragment: the flashed messages are at the top of the page and must be seen.
    return redirect(local_path(form.next.data) or photos_page(product_id), 303)


def done(message: str, form: PhotoActionForm, product_id: int) -> Response:
    """Say it is done: JSON for the script, else flash and go back."""
    if wants_json():
        return jsonify(ok=True, message=message)
    flash(message, "success")
    return back(form, product_id)


def refused(message: str, form: PhotoActionForm, product_id: int) -> Response:
    """Say why nothing was changed: JSON 422 for the script, else flash and go back."""
    if wants_json():
        return json_error(message, 422)
    flash(message, "error")
    return back(form, product_id)


def json_error(message: str, status: int) -> Response:
    """A JSON refusal for the script, with its HTTP status."""
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
    return _render_photos_page(product_or_404(product_id))


def _render_photos_page(product: Product) -> str:
    return render_template("admin/photos.html", product=product)


def photo_json(photo: ProductPhoto) -> dict[str, Any]:
    """What the script shows of a new photo (no picture yet while it is processed)."""
    processing = photo.state == PhotoState.PROCESSING
    width = smallest_width_at_least(photo.widths, 320)
    return {
        "id": photo.id,
        "thumb_url": None if processing else media_url(photo.image_key, width),
        "alt": photo.alt_text,
        "processing": processing,
    }


@bp.post("/products/<int:product_id>/photos/order")
def photos_reorder(product_id: int) -> Response | tuple[str, int]:
    """Put the product's photos in the order given; the first one is the cover."""
    product = product_or_404(product_id)
    form = ReorderForm()
    ids = form.photo_ids() if form.validate_on_submit() else None
    try:
        if ids is None:
            raise InvalidPhotoOrder(form.order.data)
        changed = photo_service.reorder(product, ids, actor())
    except InvalidPhotoOrder:
        message = gettext(
            "The new order must list each photo of this product once. Nothing was changed: "
            "reload the page and try again."
        )
        if wants_json():
            return json_error(message, 422)
        flash(message, "error")
        return _render_photos_page(product), 422
    message = gettext("The new order is saved.") if changed else gettext("The order is unchanged.")
    return done(message, form, product_id)


@bp.post("/photos/<int:photo_id>/move")
def photo_move(photo_id: int) -> Response:
    """Move a photo one place earlier or later."""
    photo = photo_or_404(photo_id)
    product_id = photo.product_id
    form = MoveForm()
    problem = _first_error(form)
    if problem:
        return refused(problem, form, product_id)
    earlier = form.direction.data == "earlier"
    if photo_service.move(photo, "earlier" if earlier else "later", actor()):
        message = gettext("Photo moved earlier.") if earlier else gettext("Photo moved later.")
    elif earlier:
        message = gettext("This photo is first already.")
    else:
        message = gettext("This photo is last already.")
    return done(message, form, product_id)


@bp.post("/photos/<int:photo_id>/cover")
def photo_cover(photo_id: int) -> Response:
    """Make a photo the product's cover: it moves first."""
    photo = photo_or_404(photo_id)
    product_id = photo.product_id
    form = PhotoActionForm()
    if photo_service.set_cover(photo, actor()):
        message = gettext("This photo is now the cover.")
    else:
        message = gettext("This photo is the cover already.")
    return done(message, form, product_id)


@bp.post("/photos/<int:photo_id>")
def photo_update(photo_id: int) -> Response:
    """Change a photo's alt text (required)."""
    photo = photo_or_404(photo_id)
    product_id = photo.product_id
    form = AltTextForm()
    problem = _first_error(form)
    if problem:
        return refused(problem, form, product_id)
    try:
        changed = photo_service.set_alt_text(photo, form.alt_text.data or "", actor())
    except InvalidAltText as error:
        return refused(_alt_text_problem(error), form, product_id)
    message = gettext("Alt text saved.") if changed else gettext("The alt text is unchanged.")
    return done(message, form, product_id)


def _alt_text_problem(error: InvalidAltText) -> str:
    if error.reason == "too_long":
        return gettext(
            "Use at most %(num)d characters for the alt text.", num=photo_service.ALT_TEXT_MAX
        )
    return gettext("Describe what the photo shows: alt text is required.")


@bp.post("/photos/<int:photo_id>/delete")
def photo_delete(photo_id: int) -> Response:
    """Remove a photo from its product."""
    photo = photo_or_404(photo_id)
    product_id = photo.product_id
    form = PhotoActionForm()
    try:
        media, private = current_app.extensions["media"], current_app.extensions["private_media"]
        photo_jobs.delete_photo(photo, actor(), media, private)
    except StorageUnavailable:  # the photo is gone from the shop; its files stay behind
        current_app.logger.exception("Files of deleted photo %s could not be removed", photo_id)
    return done(gettext("Photo deleted."), form, product_id)
