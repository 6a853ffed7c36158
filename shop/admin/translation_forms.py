"""The back-office form for one language of an entry's translations."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField

from shop.admin.audit_log import FIELD_LABELS  # the catalog's field names in words
from shop.services.catalog.translations import ONE_LINE

# Fields written in Markdown, like their English originals.
MARKDOWN = {"description_md", "care_notes", "story"}


def translations_form(fields: tuple[str, ...], locale: str, data: dict[str, str] | None) -> Any:
    """The form for one language of an entry: an input per translatable field and the
    "still matches" box, named `<locale>-<field>`; filled from `data` on a GET and from the
    request on a POST."""
    attrs: dict[str, Any] = {
        name: (StringField if name in ONE_LINE else TextAreaField)(FIELD_LABELS[name])
        for name in fields
    }
    attrs["confirmed"] = BooleanField(_l("I checked it: it still matches the English"))
    attrs["submit"] = SubmitField(_l("Save translation"))
    form_class = type("TranslationForm", (FlaskForm,), attrs)
    if data is None:
        return form_class(prefix=locale)
    return form_class(prefix=locale, data=data)
