"""Back-office forms for categories, workshops and the catalog CSV import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from shop.services.catalog import editing as catalog_admin
from shop.services.catalog.rules import MAX_CATEGORY_SLUG

_SLUG_HINT = _l(
    "Part of the web address: lowercase letters, digits and hyphens. "
    "Leave empty to make it from the name."
)


def _name_field(max_length: int) -> StringField:
    """The entry's name: required."""
    return StringField(
        _l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=max_length)]
    )


def _slug_field() -> StringField:
    """The entry's slug: optional, made from the name when left empty."""
    return StringField(
        _l("Slug"), validators=[Length(max=MAX_CATEGORY_SLUG)], description=_SLUG_HINT
    )


class CategoryForm(FlaskForm):
    """Name, slug, description and position of a category."""

    name = _name_field(catalog_admin.MAX_CATEGORY_NAME)
    slug = _slug_field()
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=catalog_admin.MAX_DESCRIPTION)],
        description=_l("Shown at the top of the category's page; at most 500 characters."),
    )
    position = IntegerField(
        _l("Position"),
        default=0,
        validators=[
            InputRequired(_l("Enter a whole number, e.g. 0.")),
            NumberRange(0, catalog_admin.MAX_POSITION),
        ],
        description=_l("Categories are listed from the lowest number up."),
    )
    submit = SubmitField(_l("Save category"))


class WorkshopForm(FlaskForm):
    """A workshop's names, place, story and photo."""

    name = _name_field(catalog_admin.MAX_WORKSHOP_NAME)
    slug = _slug_field()
    institution = StringField(
        _l("Institution"),
        validators=[DataRequired(_l("Enter the institution, e.g. Lapas Kelas IIA Banyuwangi.")),
                    Length(max=catalog_admin.MAX_INSTITUTION)],
    )  # fmt: skip
    region = StringField(
        _l("Region"),
        validators=[
            DataRequired(_l("Enter the region, e.g. East Java.")),
            Length(max=catalog_admin.MAX_REGION),
        ],
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[Length(max=catalog_admin.MAX_SUMMARY)],
        description=_l("One or two sentences for the list of workshops; at most 300 characters."),
    )
    story = TextAreaField(
        _l("Story"),
        validators=[Length(max=catalog_admin.MAX_STORY)],
        description=_l(
            "Markdown: **bold**, *italic*, lists, links. Tell what the workshop makes and "
            "which skills its makers learn."
        ),
    )
    photo = FileField(
        _l("Photo"),
        description=_l(
            "JPEG, PNG or WebP. No faces of makers, no names, nothing that identifies a person: "
            "show hands, tools, the workshop and the work."
        ),
    )
    remove_photo = BooleanField(_l("Remove the current photo"))
    photo_alt = StringField(
        _l("Photo description (alt text)"),
        validators=[Length(max=catalog_admin.MAX_ALT)],
        description=_l("What the photo shows, for people who can't see it. Required with a photo."),
    )
    preview = SubmitField(_l("Preview story"))
    submit = SubmitField(_l("Save workshop"))


class CatalogImportForm(FlaskForm):
    """A CSV file, and whether to check it only or import it."""

    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
    check = SubmitField(_l("Check only"))
    submit = SubmitField(_l("Import"))
