"""Back-office forms for products: the list's filters, the product form with its variant
rows, status and delete buttons, and the stock adjustment form."""

from __future__ import annotations

import re
from typing import Any

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from shop.config import LANGUAGES
from shop.models import TRANSLATED_LOCALES, Product, ProductStatus, StockReason
from shop.services.catalog import listings, pricing, product_list, product_status, rules
from shop.services.catalog.rules import InvalidPrice, parse_rupiah
from shop.services.ordering import stock
from shop.templating import idr

MAX_VARIANT_ROWS = 50
# A whole number, with or without thousands separators ("1500", "1.500"); nothing else.
_WHOLE = re.compile(r"\d{1,3}(?:[.,\s]\d{3})+|\d{1,12}")
_SIGNED = re.compile(r"([+\-−])?\s*(\d{1,7})")

_TOO_LONG = _l("Use at most %(max)d characters.")
STATUS_LABELS = {
    ProductStatus.DRAFT: _l("Draft"),
    ProductStatus.ACTIVE: _l("On sale"),
    ProductStatus.ARCHIVED: _l("Archived"),
}
REASON_LABELS = {
    StockReason.PRODUCED: _l("Produced in the workshop"),
    StockReason.RECEIVED: _l("Received"),
    StockReason.COUNT: _l("Stocktake correction"),
    StockReason.DAMAGED: _l("Damaged"),
    StockReason.RETURNED: _l("Returned by a customer"),
    StockReason.EDITED: _l("Changed in the product form"),
    StockReason.IMPORTED: _l("Catalog import"),
    StockReason.OTHER: _l("Other"),
}
_PRICE_MESSAGES = {
    "format": _l("Enter the price in whole rupiah, e.g. 150000 or 150.000."),
    "negative": _l("The price can't be negative."),
    "decimals": _l("Enter whole rupiah, without cents."),
    "too_large": _l("That price is too large."),
}


def format_whole(number: int | None) -> str:
    """A whole number grouped the way the staff member's language writes it: 150.000."""
    if number is None:
        return ""
    return format_decimal(number, locale=str(get_locale() or "en"))


class WholeNumberField(StringField):
    """A whole number of 0 or more ("1500" or "1.500"); empty is None when the field is optional."""

    def __init__(self, label: Any = None, *, required: bool = False, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.required = required

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read the typed number; a negative or fractional one gets a message saying so."""
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            if self.required:
                raise ValueError(_l("Enter a number."))
            return
        if not _WHOLE.fullmatch(text):
            if text.startswith(("-", "−")):
                raise ValueError(_l("Enter 0 or more; it can't be negative."))
            raise ValueError(_l("Enter a whole number, e.g. 12."))
        self.data = int(re.sub(r"\D", "", text))

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class RupiahField(StringField):
    """An amount of whole rupiah as staff type it: "150000", "150.000" or "Rp150.000"."""

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read the amount; anything else gets a message saying what to type."""
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        try:
            self.data = parse_rupiah(text)
        except InvalidPrice as exc:
            raise ValueError(_PRICE_MESSAGES[exc.reason]) from exc

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format_whole(self.data)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _typed(field: Any) -> bool:
    return bool(field.raw_data and field.raw_data[0].strip())


class TierRowForm(Form):
    """One volume price of a variant: from how many pieces, and the price of each."""

    min_quantity = WholeNumberField(_l("From (pieces)"))
    price = RupiahField(_l("Price each (Rp)"))

    @property
    def is_blank(self) -> bool:
        """Both inputs left empty: ignored."""
        return not (_typed(self.min_quantity) or _typed(self.price))

    @property
    def is_complete(self) -> bool:
        """Both inputs read as numbers."""
        return self.min_quantity.data is not None and self.price.data is not None

    def validate_min_quantity(self, field: WholeNumberField) -> None:
        """A typed price needs the quantity it starts at."""
        if field.data is None and not field.errors and _typed(self.price):
            raise ValidationError(_l("Enter from how many pieces this price applies, e.g. 10."))

    def validate_price(self, field: RupiahField) -> None:
        """A typed quantity needs its price."""
        if field.data is None and not field.errors and _typed(self.min_quantity):
            raise ValidationError(_l("Enter the price of one piece from this quantity."))


class VariantRowForm(Form):
    """One row of the variant table (a sub-form: the product form carries the CSRF token)."""

    id = HiddenField()
    stock_loaded = HiddenField()
    sku = StringField(_l("SKU"), filters=[lambda s: (s or "").strip()])
    option_label = StringField(_l("Option"), filters=[lambda s: (s or "").strip()])
    price = RupiahField(_l("Price (Rp)"))
    stock = WholeNumberField(_l("Stock"), default=0)
    weight_g = WholeNumberField(_l("Weight (g)"))
    net_weight_g = WholeNumberField(_l("Net weight (g)"))
    length_mm = WholeNumberField(_l("Length (mm)"))
    width_mm = WholeNumberField(_l("Width (mm)"))
    height_mm = WholeNumberField(_l("Height (mm)"))
    is_active = BooleanField(_l("On sale"), default=True)
    remove = BooleanField(_l("Remove"))
    tiers = FieldList(
        FormField(TierRowForm), min_entries=pricing.MAX_TIERS, max_entries=pricing.MAX_TIERS
    )

    @property
    def is_blank(self) -> bool:
        """A new row left empty: ignored rather than refused."""
        typed = _typed(self.price) or any(not t.form.is_blank for t in self.tiers)
        return not (self.id.data or self.sku.data or self.option_label.data or typed)

    def tier_rows(self) -> list[Any]:
        """The volume price inputs that were filled in completely, in form order."""
        return [t for t in self.tiers if not t.form.is_blank and t.form.is_complete]

    def validate_price(self, field: RupiahField) -> None:
        """A kept row needs a price."""
        if field.data is None and not self.remove.data and not self.is_blank:
            raise ValidationError(_l("Enter the price."))

    def to_draft(self) -> listings.VariantDraft:
        """The row as the listings service takes it."""
        return listings.VariantDraft(
            id=_int_or_none(self.id.data),
            sku=self.sku.data or "",
            option_label=self.option_label.data or "",
            price_idr=self.price.data or 0,
            stock=self.stock.data or 0,
            stock_loaded=_int_or_none(self.stock_loaded.data),
            weight_g=self.weight_g.data or 0,
            net_weight_g=self.net_weight_g.data,
            length_mm=self.length_mm.data,
            width_mm=self.width_mm.data,
            height_mm=self.height_mm.data,
            is_active=bool(self.is_active.data),
            remove=bool(self.remove.data),
            tiers=[
                pricing.Tier(t.form.min_quantity.data, t.form.price.data) for t in self.tier_rows()
            ],
        )


def _id_or_zero(value: Any) -> int:
    """A chosen id; 0 for "Choose…" or anything that is not a number (refused later)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _slug_filter(value: str | None) -> str:
    return (value or "").strip().lower()


def _text_filter(value: str | None) -> str:
    """Browsers send text areas with CRLF line ends: store plain newlines, unchanged text
    compares equal to what was saved."""
    return (value or "").replace("\r\n", "\n")


class ProductForm(FlaskForm):
    """A product with its variants; three buttons: save, preview the description, add a row."""

    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter the product's name.")),
            Length(max=rules.MAX_NAME, message=_TOO_LONG),
        ],
    )
    slug = StringField(
        _l("Web address (slug)"),
        validators=[Optional(), Length(max=rules.MAX_PRODUCT_SLUG, message=_TOO_LONG)],
        filters=[_slug_filter],
    )
    summary = StringField(
        _l("Summary"), validators=[Length(max=rules.MAX_SUMMARY, message=_TOO_LONG)]
    )
    description_md = TextAreaField(
        _l("Description"),
        validators=[Length(max=rules.MAX_DESCRIPTION, message=_TOO_LONG)],
        filters=[_text_filter],
    )
    category_id = SelectField(_l("Category"), coerce=_id_or_zero, validate_choice=False)
    workshop_id = SelectField(_l("Workshop"), coerce=_id_or_zero, validate_choice=False)
    materials = StringField(
        _l("Materials"), validators=[Length(max=rules.MAX_MATERIALS, message=_TOO_LONG)]
    )
    care_notes = TextAreaField(
        _l("Care notes"),
        validators=[Length(max=rules.MAX_CARE_NOTES, message=_TOO_LONG)],
        filters=[_text_filter],
    )
    hs_code = StringField(
        _l("HS code"),
        description=_l("Customs tariff number, 6–10 digits, e.g. 4419.90 or 9503.00.70."),
        filters=[rules.clean_hs_code],
    )
    origin_country = StringField(
        _l("Country of origin"),
        description=_l("ISO country code, e.g. ID for Indonesia."),
        default=rules.DEFAULT_ORIGIN,
        filters=[rules.clean_country],
    )
    made_to_order = BooleanField(_l("Made to order when out of stock"))
    lead_time_days = WholeNumberField(_l("Lead time (days)"))
    featured = BooleanField(_l("Featured on the home page"))
    maker_share_pct = WholeNumberField(_l("Maker share (%)"))
    variants = FieldList(FormField(VariantRowForm), min_entries=1, max_entries=MAX_VARIANT_ROWS)
    save = SubmitField(_l("Save"))
    preview = SubmitField(_l("Preview"))
    add_variant = SubmitField(_l("Add a variant"))

    def set_choices(self, categories: list[Any], workshops: list[Any]) -> None:
        """Fill the category and workshop selects."""
        choose = [SelectChoice(0, _l("Choose…"))] if not self.category_id.data else []
        self.category_id.choices = choose + [SelectChoice(c.id, c.name) for c in categories]
        choose = [SelectChoice(0, _l("Choose…"))] if not self.workshop_id.data else []
        self.workshop_id.choices = choose + [SelectChoice(w.id, w.name) for w in workshops]

    def to_draft(self) -> listings.ProductDraft:
        """The form as the listings service takes it; blank new rows are left out."""
        return listings.ProductDraft(
            name=self.name.data or "",
            slug=self.slug.data or "",
            summary=self.summary.data or "",
            description_md=self.description_md.data or "",
            category_id=self.category_id.data or 0,
            workshop_id=self.workshop_id.data or 0,
            materials=self.materials.data or "",
            care_notes=self.care_notes.data or "",
            made_to_order=bool(self.made_to_order.data),
            lead_time_days=self.lead_time_days.data,
            featured=bool(self.featured.data),
            maker_share_pct=self.maker_share_pct.data,
            hs_code=self.hs_code.data or "",
            origin_country=self.origin_country.data or "",
            variants=[row.form.to_draft() for row in self.draft_rows()],
        )

    def draft_rows(self) -> list[Any]:
        """The variant rows that count: every row but new ones left blank."""
        return [row for row in self.variants if not row.form.is_blank]


def product_data(product: Product) -> dict[str, Any]:
    """The values a product form starts with for an existing product."""
    fields = ("name", "slug", "summary", "description_md", "category_id", "workshop_id",
              "materials", "care_notes", "made_to_order", "lead_time_days", "featured",
              "maker_share_pct", "hs_code", "origin_country")  # fmt: skip
    data = {name: getattr(product, name) for name in fields}
    data["variants"] = [
        {
            "id": str(v.id),
            "stock_loaded": str(v.stock),
            "sku": v.sku,
            "option_label": v.option_label,
            "price": v.price_idr,
            "stock": v.stock,
            "weight_g": v.weight_g,
            "net_weight_g": v.net_weight_g,
            "length_mm": v.length_mm,
            "width_mm": v.width_mm,
            "height_mm": v.height_mm,
            "is_active": v.is_active,
            "remove": False,
            "tiers": [
                {"min_quantity": t.min_quantity, "price": t.unit_price_idr} for t in v.price_tiers
            ],
        }  # fmt: skip
        for v in product.variants
    ]
    return data


class PreviewForm(FlaskForm):
    """The description sent by the preview pane's script."""

    description_md = TextAreaField(
        validators=[Length(max=rules.MAX_DESCRIPTION, message=_TOO_LONG)]
    )


class ProductStatusForm(FlaskForm):
    """Publish, unpublish, archive or restore: the button says which."""

    action = HiddenField(validators=[AnyOf(list(product_status.STATUS_ACTIONS))])


class DeleteProductForm(FlaskForm):
    """The second step of deleting: only the CSRF token."""


class ProductFilterForm(FlaskForm):
    """Search by name, slug or SKU; status, category and workshop (a GET form)."""

    class Meta:
        csrf = False  # a search changes nothing

    q = StringField(
        _l("Name, slug or SKU"),
        validators=[Optional(), Length(max=product_list.MAX_SEARCH, message=_TOO_LONG)],
    )
    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=True)
    category = SelectField(_l("Category"), validators=[Optional()], validate_choice=True)
    workshop = SelectField(_l("Workshop"), validators=[Optional()], validate_choice=True)
    untranslated = SelectField(
        _l("Not translated into"), validators=[Optional()], validate_choice=True
    )
    sort = SelectField(
        _l("Sort"),
        choices=[
            SelectChoice("updated", _l("Last updated")),
            SelectChoice("name", _l("Name")),
            SelectChoice("newest", _l("Newest")),
        ],
        default="updated",
        validators=[Optional()],
    )

    def set_choices(self, categories: list[Any], workshops: list[Any]) -> None:
        """Fill the selects, each with an "any" choice first."""
        self.status.choices = [SelectChoice("", _l("Any status"))] + [
            SelectChoice(s.value, STATUS_LABELS[s]) for s in ProductStatus
        ]
        self.category.choices = [SelectChoice("", _l("Any category"))] + [
            SelectChoice(str(c.id), c.name) for c in categories
        ]
        self.workshop.choices = [SelectChoice("", _l("Any workshop"))] + [
            SelectChoice(str(w.id), w.name) for w in workshops
        ]
        self.untranslated.choices = [SelectChoice("", _l("Any language"))] + [
            SelectChoice(code, LANGUAGES[code]) for code in TRANSLATED_LOCALES
        ]

    def to_filter(self) -> product_list.AdminFilter:
        """The filter the form describes; fields that did not validate are left out."""
        self.validate()

        def ok(field: Any) -> str:
            return "" if field.errors else (field.data or "")

        sort = ok(self.sort)
        return product_list.AdminFilter(
            q=ok(self.q).strip(),
            status=ProductStatus(ok(self.status)) if ok(self.status) else None,
            category_id=_int_or_none(ok(self.category)),
            workshop_id=_int_or_none(ok(self.workshop)),
            untranslated=ok(self.untranslated) or None,
            sort=sort if sort in product_list.SORTS else "updated",
        )


class StockAdjustForm(FlaskForm):
    """Change one variant's stock by a number, or set it to what was counted, with a reason."""

    change = StringField(_l("Change (+ or −)"), validators=[Length(max=12, message=_TOO_LONG)])
    counted = WholeNumberField(_l("Or set to the counted stock"))
    reason = SelectField(
        _l("Reason"),
        choices=[SelectChoice(r.value, REASON_LABELS[r]) for r in stock.MANUAL_REASONS],
        validate_choice=True,
    )
    note = StringField(_l("Note"), validators=[Length(max=stock.MAX_NOTE, message=_TOO_LONG)])
    submit = SubmitField(_l("Save stock"))

    def validate_change(self, field: StringField) -> None:
        """A signed whole number other than 0, or nothing when the counted stock is given."""
        text = (field.data or "").strip()
        if not text:
            return
        found = _SIGNED.fullmatch(text)
        if found is None:
            raise ValidationError(_l("Enter a change such as +5 or -2."))
        if int(found.group(2)) == 0:
            raise ValidationError(_l("Enter a change other than 0."))

    def validate_counted(self, field: WholeNumberField) -> None:
        """Exactly one of change and counted stock."""
        has_change = bool((self.change.data or "").strip())
        if field.data is None and not has_change:
            raise ValidationError(_l("Enter a change (e.g. +5 or -2) or the counted stock."))
        if field.data is not None and has_change:
            raise ValidationError(_l("Enter either a change or the counted stock, not both."))

    def validate_note(self, field: StringField) -> None:
        """Say what happened when the reason is Other."""
        if self.reason.data == StockReason.OTHER.value and not (field.data or "").strip():
            raise ValidationError(_l("Write a note saying what happened when the reason is Other."))

    @property
    def delta(self) -> int | None:
        """The validated change, or None when the counted stock was given."""
        found = _SIGNED.fullmatch((self.change.data or "").strip())
        if found is None:
            return None
        sign = -1 if found.group(1) in ("-", "−") else 1
        return sign * int(found.group(2))


_MESSAGES: dict[tuple[str, str], Any] = {
    ("name", "missing"): _l("Enter the product's name."),
    ("slug", "format"): _l(
        "Use lowercase letters, digits and hyphens only, e.g. teak-serving-bowl."
    ),
    ("slug", "duplicate"): _l(
        "Another product already uses this web address. Choose another one, or leave it "
        "empty to make one from the name."
    ),
    ("category_id", "missing"): _l("Choose a category."),
    ("workshop_id", "missing"): _l("Choose a workshop."),
    ("lead_time_days", "negative"): _l("Enter a number of days between 0 and %(max)d."),
    ("lead_time_days", "too_large"): _l("Enter a number of days between 0 and %(max)d."),
    ("maker_share_pct", "range"): _l("Enter a percentage between 0 and 100."),
    ("hs_code", "format"): _l("Enter the HS code as 6 to 10 digits, dots allowed, e.g. 4419.90."),
    ("origin_country", "missing"): _l("Enter the country of origin, e.g. ID."),
    ("origin_country", "format"): _l("Enter a two-letter ISO country code, e.g. ID or JP."),
    ("maker_share_pct", "only_admin"): _l(
        "Only an admin can change the maker share. Nothing was saved."
    ),
    ("variants", "none"): _l("Add at least one variant: a product needs something to buy."),
    ("variants", "unknown"): _l(
        "A variant row doesn't belong to this product. Reload the page and try again."
    ),
    ("form", "conflict"): _l(
        "Someone else saved a product with the same web address or SKU just now. Nothing "
        "was saved: check and save again."
    ),
    ("sku", "missing"): _l("Enter the SKU."),
    ("sku", "format"): _l("Use letters, digits and . _ - only, starting with a letter or digit."),
    ("sku", "repeated"): _l("SKU %(sku)s is in this form twice."),
    ("sku", "duplicate"): _l("SKU %(sku)s already belongs to another variant."),
    ("option_label", "missing"): _l("Enter the option, e.g. 1:100, Ø 24 cm or Standard."),
    ("price_idr", "negative"): _PRICE_MESSAGES["negative"],
    ("price_idr", "too_large"): _PRICE_MESSAGES["too_large"],
    ("stock", "negative"): _l("Enter 0 or more; it can't be negative."),
    ("stock", "went_negative"): _l(
        "The stock changed while you were editing (orders came in): there are %(current)d "
        "now, so your change would make it negative. The field shows the current stock; "
        "enter the new number and save again."
    ),
}
_ANY_FIELD = {
    "too_long": _l("Use at most %(max)d characters."),
    "negative": _l("Enter 0 or more; it can't be negative."),
    "too_large": _l("That number is too large (at most %(max)d)."),
}
_ROW_FIELDS = {"price_idr": "price"}
_TIER_MESSAGES = {
    "too_many": _l("Enter at most %(max)d volume prices per variant."),
    "too_small": _l("A volume price starts at %(min)d pieces or more."),
    "too_large": _l("A cart line holds at most %(max)d pieces: for more, buyers ask for a quote."),
    "repeated": _l("There are two volume prices from %(quantity)d pieces."),
    "negative": _PRICE_MESSAGES["negative"],
    "not_cheaper": _l("A volume price must be lower than the variant's price (%(price)s)."),
    "not_decreasing": _l(
        "Buying more must cost less per piece: make this lower than the price from "
        "%(quantity)d pieces (%(price)s)."
    ),
}
_TIER_PARTS = {"min_quantity": "min_quantity", "unit_price_idr": "price"}


def problem_message(problem: listings.Problem) -> str:
    """The problem in words, in the staff member's language."""
    if problem.field == "tiers" and problem.key in _TIER_MESSAGES:
        params = dict(problem.params)
        if "price" in params:
            params["price"] = idr(params["price"])
        return str(_TIER_MESSAGES[problem.key]) % params
    message = _MESSAGES.get((problem.field, problem.key)) or _ANY_FIELD.get(problem.key)
    if message is None:
        return str(_l("Please check this field."))
    params = problem.params or {}
    return str(message) % params if params and "%(" in str(message) else str(message)


def show_problems(form: ProductForm, problems: list[listings.Problem]) -> list[str]:
    """Put each problem on its field; return those that belong to the whole form."""
    rows = form.draft_rows()
    general = []
    for problem in problems:
        message = problem_message(problem)
        name = _ROW_FIELDS.get(problem.field, problem.field)
        if problem.field == "tiers" and _show_tier_problem(rows, problem, message):
            continue
        if problem.row is not None and problem.row < len(rows) and name in rows[problem.row].form:
            row = rows[problem.row].form
            row[name].errors = [*row[name].errors, message]
            if problem.key == "went_negative":  # start again from the stock there is now
                current = str(problem.params["current"])
                row.stock.raw_data, row.stock_loaded.data = [current], current
        elif problem.row is None and name in form and name != "variants":
            form[name].errors = [*form[name].errors, message]
        else:
            general.append(message)
    return general


def _show_tier_problem(rows: list[Any], problem: listings.Problem, message: str) -> bool:
    """Put a volume price problem on its input; False when the input cannot be found."""
    if problem.row is None or problem.row >= len(rows):
        return False
    tiers = rows[problem.row].form.tier_rows()
    index = problem.params.get("tier", -1)
    if not 0 <= index < len(tiers):
        return False
    field = tiers[index].form[_TIER_PARTS.get(problem.params.get("part", ""), "min_quantity")]
    field.errors = [*field.errors, message]
    return True
