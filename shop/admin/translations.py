"""Translations of catalog texts in the back office: a product's, a category's, a workshop's.

One page per entry shows each storefront language beside the English original; saving checks
every field first and writes nothing when any is wrong.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.admin.translation_forms import FIELD_LABELS, MARKDOWN, translations_form
from shop.config import LANGUAGES
from shop.models import TRANSLATED_LOCALES
from shop.services import catalog_admin, catalog_translations, listings
from shop.services.catalog_translations import (
    LIMITS,
    Entry,
    InvalidTranslation,
    LanguageTexts,
    fields_of,
)


def _texts_from(form: Any, fields: tuple[str, ...]) -> dict[str, LanguageTexts]:
    """Each language's typed values, as the service takes them."""
    texts = {}
    for locale in TRANSLATED_LOCALES:
        group = form[locale]
        values = {name: group[name].data or "" for name in fields}
        texts[locale] = LanguageTexts(values=values, confirmed=bool(group["confirmed"].data))
    return texts


def _put_errors(form: Any, entry: Entry, exc: InvalidTranslation) -> None:
    for (locale, name), _code in exc.errors.items():
        limit = LIMITS[type(entry)][name]
        message = gettext("This is too long: at most %(max)d characters.", max=limit)
        form[locale][name].errors = [message]


def _edit(entry: Entry, title: str, back_url: str, shop_url: str | None) -> Any:
    """Show the entry's translations and save them."""
    fields = fields_of(entry)
    status = 200
    if request.method == "POST":
        # CSRFProtect has checked the token already; nothing else on this form is required.
        form = translations_form(fields, None)
        try:
            changed = catalog_translations.save_translations(
                current_user._get_current_object(), entry, _texts_from(form, fields)
            )
        except InvalidTranslation as exc:
            _put_errors(form, entry, exc)
            status = 422
        else:
            _flash_saved(changed)
            return redirect(request.path, 303)
    else:
        form = translations_form(fields, catalog_translations.current_values(entry))
    return render_template(
        "admin/translations.html",
        form=form,
        entry=entry,
        fields=fields,
        title=title,
        back_url=back_url,
        shop_url=shop_url,
        states={s.locale: s for s in catalog_translations.states(entry)},
        languages=LANGUAGES,
        field_labels=FIELD_LABELS,
        markdown_fields=MARKDOWN,
        limits=LIMITS[type(entry)],
        refused=status == 422,
    ), status


def _flash_saved(changed: list[str]) -> None:
    if changed:
        names = ", ".join(LANGUAGES[locale] for locale in changed)
        flash(gettext("Translations saved: %(languages)s.", languages=names), "success")
    else:
        flash(gettext("Nothing changed."), "info")


@bp.route("/products/<int:product_id>/translations", methods=["GET", "POST"])
def product_translations(product_id: int) -> Response | Any:
    """Translate a product's name, summary, description, materials and care notes."""
    product = listings.find_product(product_id) or abort(404)
    shop_url = url_for("catalog.product_detail", slug=product.slug)
    back = url_for("admin.product_edit", product_id=product.id)
    return _edit(product, product.name, back, shop_url if product.status == "active" else None)


@bp.route("/categories/<int:category_id>/translations", methods=["GET", "POST"])
def category_translations(category_id: int) -> Response | Any:
    """Translate a category's name and description."""
    category = catalog_admin.find_category(category_id) or abort(404)
    shop_url = url_for("catalog.product_list", category=category.slug)
    back = url_for("admin.category_edit", category_id=category.id)
    return _edit(category, category.name, back, shop_url)


@bp.route("/workshops/<int:workshop_id>/translations", methods=["GET", "POST"])
def workshop_translations(workshop_id: int) -> Response | Any:
    """Translate a workshop's name, summary and story."""
    workshop = catalog_admin.find_workshop(workshop_id) or abort(404)
    shop_url = url_for("catalog.workshop_detail", slug=workshop.slug)
    back = url_for("admin.workshop_edit", workshop_id=workshop.id)
    return _edit(workshop, workshop.name, back, shop_url)
