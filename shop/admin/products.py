"""Products in the back office: list, create and edit with variants, publish, archive; stock."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.admin.product_forms import (
    REASON_LABELS,
    STATUS_LABELS,
    DeleteProductForm,
    PreviewForm,
    ProductFilterForm,
    ProductForm,
    ProductStatusForm,
    StockAdjustForm,
    product_data,
    show_problems,
)
from shop.converters import page_number
from shop.extensions import db
from shop.models import Product, StockReason, Variant
from shop.services import clock
from shop.services.catalog import listings, product_list, stock_alerts
from shop.services.catalog import product_status as statuses
from shop.services.catalog import translations as catalog_translations
from shop.services.catalog.drafts import ListingInvalid
from shop.services.media import photo_jobs
from shop.services.ordering import stock
from shop.services.text import render_markdown

PER_PAGE = 50
HISTORY_PER_PAGE = 50


@bp.context_processor
def product_labels() -> dict[str, Any]:
    """Give admin templates the product status and stock reason names in words."""
    return {"product_status_labels": STATUS_LABELS, "stock_reason_labels": REASON_LABELS}


def _actor() -> Any:
    return current_user._get_current_object()


def _product_or_404(product_id: int) -> Product:
    return listings.find_product(product_id) or abort(404)


def _filter_args() -> dict[str, str]:
    """The list's filters from the query string, for links that keep them."""
    keys = ("q", "status", "category", "workshop", "untranslated", "sort")
    return {key: request.args[key] for key in keys if request.args.get(key)}


@bp.get("/products")
def products() -> str:
    """List products, last updated first, with search, filters and pages."""
    categories, workshops = listings.categories(), listings.workshops()
    form = ProductFilterForm(request.args)
    form.set_choices(categories, workshops)
    page = request.args.get("page", 1, type=page_number)
    found = product_list.search_admin(form.to_filter(), page, PER_PAGE)
    return render_template("admin/products.html", form=form, page=found, filter_args=_filter_args())


def _render_form(
    form: ProductForm,
    product: Product | None,
    status: int = 200,
    general: list[str] | None = None,
    preview: Markup | None = None,
) -> Any:
    context: dict[str, Any] = {
        "form": form,
        "product": product,
        "general_errors": general or [],
        "refused": status == 422,
        "preview_html": preview,
    }
    if product is not None:
        context |= {
            "status_form": ProductStatusForm(formdata=None),
            "delete_form": DeleteProductForm(formdata=None),
            "stock_forms": {
                v.id: StockAdjustForm(formdata=None, prefix=f"v{v.id}") for v in product.variants
            },
            "was_ordered": statuses.was_ordered(product),
            "waiting": stock_alerts.waiting_counts([v.id for v in product.variants]),
            "translation_states": catalog_translations.states(product),
        }
    return render_template("admin/product_form.html", **context), status


def _new_form(product: Product | None) -> ProductForm:
    if request.method == "POST":
        form = ProductForm()
    elif product is None:
        form = ProductForm(
            formdata=None, maker_share_pct=listings.default_maker_share_pct(_today())
        )
    else:
        form = ProductForm(formdata=None, data=product_data(product))
    form.set_choices(listings.categories(), listings.workshops())
    return form


def _today() -> Any:
    return clock.shop_today()


def _save(form: ProductForm, product: Product | None) -> Any:
    """Handle a POST of the product form: add a row, preview, or save."""
    if form.add_variant.data and len(form.variants) < form.variants.max_entries:
        form.variants.append_entry()
        return _render_form(form, product)
    if form.preview.data:  # shows the description as the shop will; saves nothing
        return _render_form(form, product, preview=render_markdown(form.description_md.data))
    if not form.validate():
        if "csrf_token" in form.errors:
            return _render_form(
                form, product, 422, [gettext("The form expired. Please try again.")]
            )
        # Also point out what the service would refuse (a SKU taken, …), all in one go.
        share = listings.default_maker_share_pct(_today())
        problems = listings.check_draft(form.to_draft(), product, _actor(), share)
        return _render_form(form, product, 422, show_problems(form, problems))
    try:
        if product is None:
            result = listings.create_product(form.to_draft(), _actor(), today=_today())
        else:
            result = listings.update_product(product, form.to_draft(), _actor())
    except ListingInvalid as exc:  # rolled back: the page shows the product as it was
        return _render_form(form, product, 422, show_problems(form, exc.problems))
    _flash_saved(result, created=product is None)
    return redirect(url_for("admin.product_edit", product_id=result.product.id), 303)


def _flash_saved(result: listings.SaveResult, *, created: bool) -> None:
    name = result.product.name
    if created:
        flash(
            gettext("%(name)s is saved as a draft. Add photos, then publish it.", name=name),
            "success",
        )
    else:
        flash(gettext("%(name)s is saved.", name=name), "success")
    if result.deactivated:
        flash(
            ngettext(
                "Variant %(skus)s was ordered before, so it is switched off instead of removed.",
                "Variants %(skus)s were ordered before, so they are switched off instead of "
                "removed.",
                len(result.deactivated),
                skus=", ".join(result.deactivated),
            ),
            "info",
        )


@bp.route("/products/new", methods=["GET", "POST"])
def product_new() -> Any:
    """Create a product with its variants (saved as a draft)."""
    form = _new_form(None)
    if request.method == "POST":
        return _save(form, None)
    return _render_form(form, None)


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
def product_edit(product_id: int) -> Any:
    """Edit a product and its variants; the page also offers status, photos and stock."""
    product = _product_or_404(product_id)
    form = _new_form(product)
    if request.method == "POST":
        return _save(form, product)
    return _render_form(form, product)


@bp.post("/products/preview")
def product_preview() -> Any:
    """Render a Markdown description as the storefront will show it (an HTML fragment)."""
    form = PreviewForm()
    if not form.validate_on_submit():
        return gettext("The preview could not be made. Please try again."), 400
    return render_markdown(form.description_md.data or "")


@bp.post("/products/<int:product_id>/status")
def product_status(product_id: int) -> Response:
    """Publish, unpublish, archive or restore a product."""
    product = _product_or_404(product_id)
    form = ProductStatusForm()
    back = redirect(url_for("admin.product_edit", product_id=product.id), 303)
    if not form.validate_on_submit():
        flash(gettext("The form expired. Please try again."), "error")
        return back
    try:
        statuses.set_status(product, form.action.data, _actor())
    except statuses.NeedsActiveVariant:
        flash(
            gettext(
                "Switch on at least one variant before publishing: there is nothing to "
                "buy yet. Nothing was changed."
            ),
            "error",
        )
    except statuses.InvalidStatusChange as exc:
        flash(
            gettext(
                "That can't be done while the product's status is “%(status)s”. "
                "Nothing was changed.",
                status=STATUS_LABELS[exc.current],
            ),
            "error",
        )
    else:
        flash(_status_message(product, form.action.data), "success")
        if form.action.data == "publish" and not product.photos:
            flash(
                gettext("It has no photo yet: buyers are much more likely to buy with one."), "info"
            )
    return back


def _status_message(product: Product, action: str) -> str:
    messages = {
        "publish": gettext("%(name)s is on sale in the shop.", name=product.name),
        "unpublish": gettext(
            "%(name)s is a draft again: no longer in the shop.", name=product.name
        ),
        "archive": gettext("%(name)s is archived.", name=product.name),
        "restore": gettext("%(name)s is restored as a draft.", name=product.name),
    }
    return messages[action]


@bp.post("/products/<int:product_id>/delete")
def product_delete(product_id: int) -> Response:
    """Delete a product that was never ordered; an ordered one can only be archived."""
    product = _product_or_404(product_id)
    back = redirect(url_for("admin.product_edit", product_id=product.id), 303)
    if not DeleteProductForm().validate_on_submit():
        flash(gettext("The form expired. Please try again."), "error")
        return back
    name = product.name
    originals = [photo.original_key for photo in product.photos if photo.original_key]
    try:
        statuses.delete_product(product, _actor())
    except statuses.ProductWasOrdered:
        flash(gettext("This product has been ordered, so it can only be archived."), "error")
        return back
    for original in originals:  # uploads kept for a photo job that now has nothing to do
        photo_jobs.discard_original(original, current_app.extensions["private_media"])
    flash(gettext("%(name)s is deleted.", name=name), "success")
    return redirect(url_for("admin.products"), 303)


_STOCK_FIELD_MESSAGES = {
    ("change", "too_large"): lambda: gettext("That change is too large."),
    ("counted", "too_large"): lambda: gettext("That number is too large."),
    ("counted", "negative"): lambda: gettext("The counted stock can't be negative."),
    ("note", "missing"): lambda: gettext(
        "Write a note saying what happened when the reason is Other."
    ),
    ("note", "too_long"): lambda: gettext("The note is too long."),
}


@bp.post("/variants/<int:variant_id>/stock")
def stock_adjust(variant_id: int) -> Response:
    """Change one variant's stock with a reason, recorded in its history."""
    variant = db.session.get(Variant, variant_id) or abort(404)
    form = StockAdjustForm(prefix=f"v{variant.id}")
    # Back to this variant's row, where the answer is shown: the page keeps its place.
    anchor = f"stock-v{variant.id}"
    edit = url_for("admin.product_edit", product_id=variant.product_id, _anchor=anchor)
    back = redirect(edit, 303)
    inline = f"inline:{variant.id}:"
    if not form.validate_on_submit():
        errors = [str(m) for messages in form.errors.values() for m in messages]
        if "csrf_token" in form.errors or not errors:
            errors = [gettext("The form expired. Please try again.")]
        flash(gettext("%(sku)s: %(problem)s", sku=variant.sku, problem=errors[0]), inline + "error")
        return back
    try:
        done = stock.adjust(
            variant,
            delta=form.delta,
            counted=form.counted.data,
            reason=StockReason(form.reason.data),
            note=form.note.data or "",
            actor=_actor(),
        )
    except stock.WouldGoNegative as exc:
        flash(
            gettext(
                "%(sku)s has only %(current)d in stock, so %(change)d can't be taken away. "
                "Nothing was changed.",
                sku=exc.sku,
                current=exc.current,
                change=-exc.delta,
            ),
            inline + "error",
        )
    except stock.NothingToChange as exc:
        flash(
            gettext(
                "%(sku)s already has %(current)d in stock. Nothing was changed.",
                sku=variant.sku,
                current=exc.current,
            ),
            inline + "info",
        )
    except stock.InvalidAdjustment as exc:
        message = _STOCK_FIELD_MESSAGES.get((exc.field, exc.reason))
        flash(message() if message else gettext("Please check the form."), inline + "error")
    except stock.StockError:
        changing = gettext("The stock kept changing while you saved. Please try again.")
        flash(changing, inline + "error")
    else:
        flash(
            gettext(
                "%(sku)s: stock %(change)s, now %(after)d.",
                sku=variant.sku,
                change=f"{done.delta:+d}",
                after=done.stock_after,
            ),
            inline + "success",
        )
    return back


@bp.get("/products/<int:product_id>/stock")
def product_stock(product_id: int) -> str:
    """List the product's stock adjustments, newest first."""
    product = _product_or_404(product_id)
    page = request.args.get("page", 1, type=page_number)
    found = stock.history(product, page, HISTORY_PER_PAGE)
    return render_template("admin/stock_history.html", product=product, page=found)
