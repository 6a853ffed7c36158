"""The catalog's words in the visitor's language, falling back to English field by field.

English texts live on the catalog rows; staff's translations live in translation rows (see
`shop.models.translations`). `localized` picks the visitor's version of one field and says
which language it came out in, so a page can mark English text (`lang="en"`) and tell the
visitor that part of it is not translated yet. Storefront queries in another language load
each entry's row for that language alone into `shown_translations`, a read-only twin of the
`translations` staff edit (`shown_in`); English pages load none.
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from sqlalchemy.orm import QueryableAttribute

from shop.models import (
    Category,
    CategoryTranslation,
    Product,
    ProductTranslation,
    Workshop,
    WorkshopTranslation,
)

SOURCE_LOCALE = "en"

# The texts staff can translate, per kind of catalog entry, in the order forms show them.
PRODUCT_FIELDS = ("name", "summary", "description_md", "materials", "care_notes")
CATEGORY_FIELDS = ("name", "description")
WORKSHOP_FIELDS = ("name", "region", "summary", "story")
FIELDS: dict[type, tuple[str, ...]] = {
    Product: PRODUCT_FIELDS,
    Category: CATEGORY_FIELDS,
    Workshop: WORKSHOP_FIELDS,
}
TRANSLATION_MODELS: dict[type, Any] = {
    Product: ProductTranslation,
    Category: CategoryTranslation,
    Workshop: WorkshopTranslation,
}


class Translated(Protocol):
    """A catalog entry with translation rows."""

    translations: list[Any]
    shown_translations: list[Any]


class LocalText(str):
    """A text together with the language it is written in (`lang`).

    It is an ordinary string everywhere else (Markdown, excerpts, messages), so templates
    use it like the field it stands for.
    """

    lang: str

    def __new__(cls, text: str, lang: str) -> LocalText:
        """Wrap `text`, written in `lang`."""
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj


def translation_for(entry: Translated, locale: str) -> Any | None:
    """The entry's translation row for one language, if staff wrote one (as the storefront
    loaded it: only that language's row, or every row when nothing was loaded yet)."""
    return next((t for t in entry.shown_translations if t.locale == locale), None)


def localized(entry: Any, field: str, locale: str) -> LocalText:
    """One field of a catalog entry in `locale`, or in English where it is not translated."""
    source = getattr(entry, field) or ""
    if locale == SOURCE_LOCALE or not source:
        return LocalText(source, SOURCE_LOCALE)
    translation = translation_for(entry, locale)
    value = getattr(translation, field, "") if translation is not None else ""
    if value and value.strip():
        return LocalText(value, locale)
    return LocalText(source, SOURCE_LOCALE)


def untranslated(entry: Any, fields: tuple[str, ...], locale: str) -> bool:
    """Whether any of these fields has English text that `locale` shows untranslated."""
    if locale == SOURCE_LOCALE:
        return False
    return any(localized(entry, f, locale).lang != locale for f in fields if getattr(entry, f))


def source_digest(entry: Any) -> str:
    """A fingerprint of the entry's English texts, to tell when they changed."""
    texts = "\x1f".join(getattr(entry, f) or "" for f in FIELDS[type(entry)])
    return hashlib.sha256(texts.encode()).hexdigest()[:16]


def is_stale(entry: Any, translation: Any) -> bool:
    """Whether the English texts changed after this translation was written."""
    return bool(translation.source_digest) and translation.source_digest != source_digest(entry)


def shown_in(model: type, locale: str) -> QueryableAttribute[Any]:
    """A catalog model's `shown_translations` narrowed to one language, for loader options:
    `selectinload(shown_in(Product, "ja"))` loads each product's Japanese row, if any."""
    row = TRANSLATION_MODELS[model]
    return model.shown_translations.and_(row.locale == locale)  # type: ignore[attr-defined,no-any-return]
