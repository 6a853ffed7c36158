"""Staff's translations of catalog texts: read them for the editor, save them all or nothing.

Each language's texts for one product, category or workshop are one translation row. Saving
checks every field of the languages given first and writes nothing when any is wrong; a language
whose fields are all emptied loses its row (the shop shows English there again). A row keeps
a fingerprint of the English texts it was written from: when the English changes later, the
editor says so until staff change the translation or confirm it still matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shop.extensions import db
from shop.models import TRANSLATED_LOCALES, Category, Product, User, Workshop
from shop.services.catalog import editing as catalog_admin
from shop.services.catalog import rules as catalog_rules
from shop.services.catalog.text import FIELDS, TRANSLATION_MODELS, is_stale, source_digest
from shop.services.reporting import audit

# The most each field may hold: the same limits as the English texts.
LIMITS = {
    Product: {
        "name": catalog_rules.MAX_NAME,
        "summary": catalog_rules.MAX_SUMMARY,
        "description_md": catalog_rules.MAX_DESCRIPTION,
        "materials": catalog_rules.MAX_MATERIALS,
        "care_notes": catalog_rules.MAX_CARE_NOTES,
    },
    Category: {
        "name": catalog_admin.MAX_CATEGORY_NAME,
        "description": catalog_admin.MAX_DESCRIPTION,
    },
    Workshop: {
        "name": catalog_admin.MAX_WORKSHOP_NAME,
        "region": catalog_admin.MAX_REGION,
        "summary": catalog_admin.MAX_SUMMARY,
        "story": catalog_admin.MAX_STORY,
    },
}
# Single-line fields: a line break typed or pasted into one is folded into a space.
ONE_LINE = {"name", "region", "summary", "materials"}
KINDS = {Product: "product", Category: "category", Workshop: "workshop"}

Entry = Product | Category | Workshop


class InvalidTranslation(Exception):
    """Fields that can't be saved: {(locale, field): code}; codes "too_long"."""

    def __init__(self, errors: dict[tuple[str, str], str]) -> None:
        problems = (f"{locale}.{field}: {code}" for (locale, field), code in errors.items())
        super().__init__(", ".join(problems))
        self.errors = errors


@dataclass(frozen=True)
class LanguageTexts:
    """What staff typed for one language; `confirmed` says a stale translation still holds."""

    values: Mapping[str, str]
    confirmed: bool = False


@dataclass(frozen=True)
class LanguageState:
    """How far one language's translation of an entry has got, for the editor and lists."""

    locale: str
    translated: int  # fields with English text that have a translation
    total: int  # fields with English text
    stale: bool  # the English changed after the translation was written

    @property
    def status(self) -> str:
        """ "missing", "partial", "stale" or "done"."""
        if self.translated == 0:
            return "missing"
        if self.stale:
            return "stale"
        return "done" if self.translated >= self.total else "partial"


def fields_of(entry: Entry) -> tuple[str, ...]:
    """The translatable fields of this kind of entry, in form order."""
    return FIELDS[type(entry)]


def current_values(entry: Entry) -> dict[str, dict[str, str]]:
    """{locale: {field: text}} of the entry's translations, empty strings where none."""
    rows = {t.locale: t for t in entry.translations}
    return {
        locale: {f: getattr(rows.get(locale), f, "") for f in fields_of(entry)}
        for locale in TRANSLATED_LOCALES
    }


def states(entry: Entry) -> list[LanguageState]:
    """Each translated language's progress for this entry."""
    rows = {t.locale: t for t in entry.translations}
    sources = [f for f in fields_of(entry) if (getattr(entry, f) or "").strip()]
    result = []
    for locale in TRANSLATED_LOCALES:
        row = rows.get(locale)
        done = sum(1 for f in sources if row is not None and getattr(row, f).strip())
        stale = row is not None and is_stale(entry, row)
        result.append(LanguageState(locale, done, len(sources), stale))
    return result


def _clean(entry: Entry, texts: Mapping[str, LanguageTexts]) -> dict[str, dict[str, str]]:
    """The given languages' values trimmed and checked; raises InvalidTranslation."""
    limits = LIMITS[type(entry)]
    errors: dict[tuple[str, str], str] = {}
    cleaned: dict[str, dict[str, str]] = {}
    for locale in (loc for loc in TRANSLATED_LOCALES if loc in texts):
        values = {}
        for field in fields_of(entry):
            value = texts[locale].values.get(field, "") or ""
            value = " ".join(value.split()) if field in ONE_LINE else value.strip()
            if len(value) > limits[field]:
                errors[(locale, field)] = "too_long"
            values[field] = value
        cleaned[locale] = values
    if errors:
        raise InvalidTranslation(errors)
    return cleaned


def _apply(
    entry: Entry, locale: str, values: dict[str, str], confirmed: bool, actor_email: str
) -> bool:
    """Write one language's texts to its row (made, changed or removed); say if it changed."""
    row = next((t for t in entry.translations if t.locale == locale), None)
    if not any(values.values()):
        if row is not None:
            entry.translations.remove(row)
        return row is not None
    digest = source_digest(entry)
    if row is None:
        row = TRANSLATION_MODELS[type(entry)](locale=locale)
        entry.translations.append(row)
    elif all(getattr(row, f) == v for f, v in values.items()):
        if not (confirmed and row.source_digest != digest):
            return False  # untouched, and not newly confirmed against the English
    for field, value in values.items():
        setattr(row, field, value)
    row.source_digest = digest
    row.updated_by = actor_email
    return True


def save_translations(
    actor: User | str | None, entry: Entry, texts: Mapping[str, LanguageTexts]
) -> list[str]:
    """Save the given languages' texts for the entry (others stay as they are) and audit the
    change; return the languages that changed. Nothing is written when any field is refused."""
    cleaned = _clean(entry, texts)
    before = current_values(entry)
    changed = [
        locale
        for locale, values in cleaned.items()
        if _apply(entry, locale, values, texts[locale].confirmed, audit.actor_email(actor))
    ]
    changes = {
        f"{locale}.{field}": [before[locale][field], value]
        for locale, values in cleaned.items()
        for field, value in values.items()
        if before[locale][field] != value
    }
    if changes:
        kind = KINDS[type(entry)]
        audit.record(
            actor, f"{kind}.translated", target_type=kind, target_id=entry.id,
            label=entry.name, changes=changes,
        )  # fmt: skip
    db.session.commit()
    return changed
