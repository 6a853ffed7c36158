"""The back-office form for a shop page: a title and a Markdown text in each language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField

from shop.models import PAGE_LOCALES
from shop.services import pages


class PageForm(FlaskForm):
    """The page's texts; fields `title_<locale>` and `body_<locale>` for every language."""

    submit = SubmitField(_l("Save the page"))

    def draft_fields(self, locale: str) -> tuple[StringField, TextAreaField]:
        """The title and text fields of one language."""
        return self[f"title_{locale}"], self[f"body_{locale}"]


for _locale in PAGE_LOCALES:
    setattr(PageForm, f"title_{_locale}", StringField(_l("Title")))
    setattr(
        PageForm,
        f"body_{_locale}",
        TextAreaField(
            _l("Text (Markdown)"),
            description=_l(
                "## for a heading, **bold**, - for a list, [words](https://…) for a link. "
                "Leave title and text empty to show the English page."
            ),
        ),
    )


def fill(form: PageForm, current: dict[str, object]) -> None:
    """Put the page's current texts into an unsent form."""
    for locale in PAGE_LOCALES:
        version = current.get(locale)
        title, body = form.draft_fields(locale)
        title.data = getattr(version, "title", "")
        body.data = getattr(version, "body_md", "")


def drafts(form: PageForm) -> dict[str, pages.Draft]:
    """What staff typed, per language."""
    result = {}
    for locale in PAGE_LOCALES:
        title, body = form.draft_fields(locale)
        result[locale] = pages.Draft(title.data or "", body.data or "")
    return result
