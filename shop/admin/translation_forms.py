"""The back-office form for an entry's translations: one group of fields per language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, Form, FormField, StringField, SubmitField, TextAreaField

from shop.models import TRANSLATED_LOCALES
from shop.services.catalog_translations import ONE_LINE

FIELD_LABELS = {
    "name": _l("Name"),
    "summary": _l("Summary"),
    "description_md": _l("Description"),
    "description": _l("Description"),
    "materials": _l("Materials"),
    "care_notes": _l("Care notes"),
    "story": _l("Story"),
}
# Fields written in Markdown, like their English originals.
MARKDOWN = {"description_md", "care_notes", "story"}


def _language_form(fields: tuple[str, ...]) -> type[Form]:
    """A subform with one input per translatable field and the "still matches" box."""
    attrs: dict[str, Any] = {
        name: (StringField if name in ONE_LINE else TextAreaField)(FIELD_LABELS[name])
        for name in fields
    }
    attrs["confirmed"] = BooleanField(_l("I checked it: it still matches the English"))
    return type("LanguageForm", (Form,), attrs)


def translations_form(fields: tuple[str, ...], data: dict[str, dict[str, str]] | None) -> Any:
    """The whole form for an entry: a group per translated language, filled from `data` on
    a GET and from the request on a POST."""
    language = _language_form(fields)
    attrs: dict[str, Field | Any] = {
        locale: FormField(language, label=locale) for locale in TRANSLATED_LOCALES
    }
    attrs["submit"] = SubmitField(_l("Save translations"))
    form_class = type("TranslationsForm", (FlaskForm,), attrs)
    return form_class(data=data) if data is not None else form_class()
