"""Translations of catalog texts in the back office: a product's, a category's, a workshop's.

One page per entry and language (`?to=ja`) shows the translation beside the English original;
saving checks every field first and writes nothing when any is wrong.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.admin.translation_forms import MARKDOWN, translations_form
from shop.config import LANGUAGES
from shop.i18n import url_in_language as in_language
from shop.models import TRANSLATED_LOCALES
from shop.services.catalog import editing as catalog_admin
from shop.services.catalog import listings
from shop.services.catalog import translations as catalog_translations
from shop.services.catalog.translations import (
    LIMITS,
    Entry,
    InvalidTranslation,
    LanguageState,
    LanguageTexts,
    fields_of,
)


def _language(states: list[LanguageState]) -> str:
    """The language the page works on: the one asked for, else the first one still to do."""
    asked = request.args.get("to", "")
    if asked in TRANSLATED_LOCALES:
        return asked
    return next((s.locale for s in states if s.status != "done"), TRANSLATED_LOCALES[0])


def _put_errors(form: Any, entry: Entry, exc: InvalidTranslation) -> None:
    for (_locale, name), _code in exc.errors.items():
        limit = LIMITS[type(entry)][name]
        form[name].errors = [gettext("This is too long: at most %(max)d characters.", max=limit)]


def _edit(entry: Entry, title: str, back_url: str, shop_url: str | None) -> Any:
    """Show one language's translation of the entry beside the English, and save it."""
    fields = fields_of(entry)
    states = catalog_translations.states(entry)  # what the page shows: nothing saved yet
    locale = _language(states)
    status = 200
    if request.method == "POST":
        # CSRFProtect has checked the token already; nothing else on this form is required.
        form = translations_form(fields, locale, None)
        typed = LanguageTexts({n: form[n].data or "" for n in fields}, bool(form.confirmed.data))
        try:
            changed = catalog_translations.save_translations(
                current_user._get_current_object(), entry, {locale: typed}
            )
        except InvalidTranslation as exc:
            _put_errors(form, entry, exc)
            status = 422
        else:
            _flash_saved(changed)
            return redirect(url_for(request.endpoint or "", **request.view_args, to=locale), 303)
    else:
        form = translations_form(fields, locale, catalog_translations.current_values(entry)[locale])
    return render_template(
        "admin/translations.html",
        form=form,
        entry=entry,
        locale=locale,
        fields=fields,
        title=title,
        back_url=back_url,
        shop_url=in_language(shop_url, locale) if shop_url else None,
        states={s.locale: s for s in states},
        markdown_fields=MARKDOWN,
        limits=LIMITS[type(entry)],
        refused=status == 422,
    ), status


def _flash_saved(changed: list[str]) -> None:
    if changed:
        names = ", ".join(LANGUAGES[locale] for locale in changed)
        flash(gettext("Translation saved: %(languages)s.", languages=names), "success")
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
    """Translate a workshop's name, region, summary and story."""
    workshop = catalog_admin.find_workshop(workshop_id) or abort(404)
    shop_url = url_for("catalog.workshop_detail", slug=workshop.slug)
    back = url_for("admin.workshop_edit", workshop_id=workshop.id)
    return _edit(workshop, workshop.name, back, shop_url)
