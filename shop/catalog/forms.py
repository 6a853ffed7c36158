"""Parsing the listing's query string (nonsense is clamped or ignored, never an error), and
the back-in-stock sign-up form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from shop.services.catalog.products import MAX_PRICE_IDR, MAX_QUERY_LENGTH, SORTS, ListingFilters


class ListingForm(Form):
    """The filters a visitor can put in the /products query string."""

    q = StringField()
    category = StringField()
    workshop = StringField()
    min_price = IntegerField(validators=[Optional(), NumberRange(0, MAX_PRICE_IDR)])
    max_price = IntegerField(validators=[Optional(), NumberRange(0, MAX_PRICE_IDR)])
    available = BooleanField(false_values=("false", "", "0", "off", "no"))
    sort = SelectField(choices=[SelectChoice(s) for s in SORTS], default="newest")
    page = IntegerField(validators=[Optional()])


def default_sort(q: str) -> str:
    """A search lists the best matches first; everything else, the newest."""
    return "relevance" if q else "newest"


def _clean_text(value: str | None, limit: int) -> str:
    text = "".join(ch for ch in (value or "") if ch.isprintable())
    return " ".join(text.split())[:limit]


def parse_listing(args: MultiDict[str, str]) -> ListingFilters:
    """Turn query-string arguments into filters, dropping whatever does not make sense."""
    form = ListingForm(args)
    form.validate()
    errors = form.errors

    def number(field: IntegerField) -> int | None:
        return None if field.name in errors else field.data

    min_price, max_price = number(form.min_price), number(form.max_price)
    if min_price is not None and max_price is not None and min_price > max_price:
        min_price, max_price = max_price, min_price
    page = form.page.data if "page" not in errors and form.page.data else 1
    q = _clean_text(form.q.data, MAX_QUERY_LENGTH)
    sort = form.sort.data if "sort" not in errors and args.get("sort") else default_sort(q)
    if sort == "relevance" and not q:
        sort = "newest"
    return ListingFilters(
        q=q,
        category=_clean_text(form.category.data, 120) or None,
        workshop=_clean_text(form.workshop.data, 120) or None,
        min_price=min_price,
        max_price=max_price,
        available=bool(form.available.data),
        sort=sort,
        page=max(1, min(page, 1_000_000)),
    )


class StockAlertForm(FlaskForm):
    """ "Email me when it is back": the sold-out option and the buyer's address."""

    variant = StringField(validators=[DataRequired(), Length(max=64)])
    email = EmailField(
        _l("Your email address"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter a valid email address, like name@example.com.")),
            Length(max=254),
        ],
    )
    submit = SubmitField(_l("Email me when it is back"))
