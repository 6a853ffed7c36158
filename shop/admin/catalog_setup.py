"""Categories and workshops in the back office: create and edit, with a workshop photo and story."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.admin.catalog_forms import CategoryForm, WorkshopForm
from shop.admin.photo_messages import photo_refusal_message
from shop.models import Category, Workshop
from shop.services.catalog import editing as catalog_admin
from shop.services.catalog import translations as catalog_translations
from shop.services.catalog.editing import (
    CategoryFields,
    InvalidEntry,
    PhotoChange,
    WorkshopFields,
)
from shop.services.media.product_photos import PhotoRefused
from shop.services.text import render_markdown


def _entry_message(field: str, code: str) -> str:
    """Say in words what is wrong with one field of a category or workshop."""
    if code == "taken":
        return gettext("This slug is already used by another entry. Choose another one.")
    if code == "invalid":
        return gettext("Use only lowercase letters a–z, digits and hyphens, e.g. rattan-bamboo.")
    if code == "required" and field == "slug":
        return gettext("The name has no letters a–z to make a slug from: enter one.")
    if code == "required" and field == "photo_alt":
        return gettext("Describe the photo for people who can't see it.")
    if code == "required":
        return gettext("This field is required.")
    if code == "out_of_range":
        return gettext("Enter a number from 0 to %(max)d.", max=catalog_admin.MAX_POSITION)
    return gettext("This is too long.")


def _put_errors(form: CategoryForm | WorkshopForm, exc: InvalidEntry) -> None:
    for name, code in exc.errors.items():
        form[name].errors = [*form[name].errors, _entry_message(name, code)]


def _actor() -> object:
    return current_user._get_current_object()


# --- categories -------------------------------------------------------------------------


@bp.get("/categories")
def categories() -> str:
    """List categories in display order with how many products each holds."""
    return render_template("admin/categories.html", rows=catalog_admin.list_categories())


def _category_fields(form: CategoryForm) -> CategoryFields:
    return CategoryFields(
        name=form.name.data or "",
        slug=form.slug.data or "",
        description=form.description.data or "",
        position=form.position.data or 0,
    )


def _category_page(form: CategoryForm, category: Category | None) -> tuple[str, int]:
    status = 422 if form.errors else 200
    return render_template(
        "admin/category_form.html",
        form=form,
        category=category,
        translation_states=catalog_translations.states(category) if category else [],
    ), status


def _save_category(form: CategoryForm, category: Category | None) -> Category | None:
    """Save what the form says; put any refusal on its fields and return None."""
    try:
        return catalog_admin.save_category(_actor(), category, _category_fields(form))
    except InvalidEntry as exc:
        _put_errors(form, exc)
    return None


@bp.route("/categories/new", methods=["GET", "POST"])
def category_new() -> tuple[str, int] | Response:
    """Offer an empty category form and create the category."""
    form = CategoryForm()
    if form.validate_on_submit():
        category = _save_category(form, None)
        if category is not None:
            flash(gettext("Category %(name)s created.", name=category.name), "success")
            return redirect(url_for("admin.categories"), 303)
    return _category_page(form, None)


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
def category_edit(category_id: int) -> tuple[str, int] | Response:
    """Show a category's form and save changes to it."""
    category = catalog_admin.find_category(category_id) or abort(404)
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        if _save_category(form, category) is not None:
            flash(gettext("Category %(name)s saved.", name=category.name), "success")
            return redirect(url_for("admin.categories"), 303)
    return _category_page(form, category)


# --- workshops --------------------------------------------------------------------------


@bp.get("/workshops")
def workshops() -> str:
    """List workshops with their place and how many products each makes."""
    return render_template("admin/workshops.html", rows=catalog_admin.list_workshops())


def _workshop_fields(form: WorkshopForm) -> WorkshopFields:
    return WorkshopFields(
        name=form.name.data or "",
        institution=form.institution.data or "",
        region=form.region.data or "",
        slug=form.slug.data or "",
        summary=form.summary.data or "",
        story=form.story.data or "",
        photo_alt=form.photo_alt.data or "",
    )


def _photo_change(form: WorkshopForm) -> PhotoChange:
    upload = form.photo.data
    data = upload.read() if upload and upload.filename else None
    return PhotoChange(upload=data, remove=bool(form.remove_photo.data))


def _save_workshop(form: WorkshopForm, workshop: Workshop | None) -> Workshop | None:
    """Save what the form says; put any refusal on its fields and return None."""
    try:
        return catalog_admin.save_workshop(
            _actor(), workshop, _workshop_fields(form), _photo_change(form),
            current_app.extensions["media"],
        )  # fmt: skip
    except InvalidEntry as exc:
        _put_errors(form, exc)
    except PhotoRefused as exc:
        form.photo.errors = [photo_refusal_message(exc)]
    return None


def _workshop_page(form: WorkshopForm, workshop: Workshop | None) -> tuple[str, int]:
    previewing = bool(form.preview.data) and not form.errors
    story = form.story.data if previewing else getattr(workshop, "story", "")
    return render_template(
        "admin/workshop_form.html",
        form=form,
        workshop=workshop,
        story_preview=render_markdown(story or ""),
        previewing=previewing,
        translation_states=catalog_translations.states(workshop) if workshop else [],
    ), (422 if form.errors else 200)


@bp.route("/workshops/new", methods=["GET", "POST"])
def workshop_new() -> tuple[str, int] | Response:
    """Offer an empty workshop form and create the workshop."""
    form = WorkshopForm()
    if form.validate_on_submit() and not form.preview.data:
        workshop = _save_workshop(form, None)
        if workshop is not None:
            flash(gettext("Workshop %(name)s created.", name=form.name.data), "success")
            return redirect(url_for("admin.workshops"), 303)
    return _workshop_page(form, None)


@bp.route("/workshops/<int:workshop_id>", methods=["GET", "POST"])
def workshop_edit(workshop_id: int) -> tuple[str, int] | Response:
    """Show a workshop's form with its photo and story, and save changes to it."""
    workshop = catalog_admin.find_workshop(workshop_id) or abort(404)
    form = WorkshopForm(obj=workshop)
    if form.validate_on_submit() and not form.preview.data:
        if _save_workshop(form, workshop) is not None:
            flash(gettext("Workshop %(name)s saved.", name=workshop.name), "success")
            return redirect(url_for("admin.workshops"), 303)
    return _workshop_page(form, workshop)
