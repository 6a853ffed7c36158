"""Back-office forms for the audit log's filters and the revenue split report."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, MonthField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from shop.admin.forms import sensible_year
from shop.services.reporting import audit, revenue

# What each group of actions is called in the "what" filter.
GROUP_LABELS = {
    "product": _l("Products"),
    "variant": _l("Variants"),
    "stock": _l("Stock"),
    "photo": _l("Photos"),
    "category": _l("Categories"),
    "workshop": _l("Workshops"),
    "catalog": _l("Catalog import"),
    "order": _l("Orders"),
    "quote": _l("Quotes"),
    "user": _l("Staff accounts"),
    "revenue_rate": _l("Revenue rates"),
    "exchange_rate": _l("Exchange rates"),
    "payout": _l("Wage payouts"),
    "impact": _l("Impact page"),
}


# Browsers without a month picker show a text box: say what to type.
_MONTH = {"placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}"}


class AuditFilterForm(FlaskForm):
    """Who, what, days and a search over the changed object's name (a GET form)."""

    class Meta:
        csrf = False  # a search changes nothing

    who = StringField(_l("Who"), validators=[Optional(), Length(max=audit.MAX_SEARCH)])
    what = SelectField(_l("What"), validators=[Optional()], validate_choice=True)
    date_from = DateField(_l("From"), validators=[Optional(), sensible_year])
    date_to = DateField(_l("To"), validators=[Optional(), sensible_year])
    q = StringField(
        _l("Name of what changed"), validators=[Optional(), Length(max=audit.MAX_SEARCH)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.what.choices = [SelectChoice("", _l("Everything"))] + [
            SelectChoice(group, GROUP_LABELS[group]) for group in audit.ACTION_GROUPS
        ]

    def validate_date_to(self, field: DateField) -> None:
        """Refuse a range that ends before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


class PeriodForm(FlaskForm):
    """The months the revenue split report covers (a GET form)."""

    class Meta:
        csrf = False

    first = MonthField(_l("From month"), validators=[Optional(), sensible_year], render_kw=_MONTH)
    last = MonthField(_l("To month"), validators=[Optional(), sensible_year], render_kw=_MONTH)

    def validate_last(self, field: MonthField) -> None:
        """Refuse a period that ends before it starts, or one too long to read."""
        first = self.first.data
        if not (field.data and first):
            return
        if field.data < first:
            raise ValidationError(_l("The last month is before the first month."))
        if len(revenue.months_between(first, field.data)) > revenue.MAX_MONTHS:
            raise ValidationError(_l("Choose at most %(num)d months.", num=revenue.MAX_MONTHS))


_PERCENT_MESSAGE = _l("Enter a whole percentage from 0 to 100.")


class PercentField(IntegerField):
    """A whole percentage, with one message for anything that is not one."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the number, refusing text and fractions in the form's own words."""
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_PERCENT_MESSAGE)) from error


def _percent(label: Any) -> PercentField:
    return PercentField(
        label,
        validators=[InputRequired(_PERCENT_MESSAGE), NumberRange(0, 100, _PERCENT_MESSAGE)],
        render_kw={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"},
    )


class RateForm(FlaskForm):
    """The PNBP and default maker share in force from a month onwards."""

    effective_from = MonthField(
        _l("In force from (month)"),
        validators=[
            InputRequired(_l("Choose the first month the rate applies to.")),
            sensible_year,
        ],
        render_kw=_MONTH,
    )
    pnbp_pct = _percent(_l("PNBP (state's share), %"))
    default_maker_share_pct = _percent(_l("Default maker share for new products, %"))
    submit = SubmitField(_l("Set rate"))

    def validate_default_maker_share_pct(self, field: IntegerField) -> None:
        """The two shares together cannot exceed the whole price."""
        pnbp = self.pnbp_pct.data
        if isinstance(pnbp, int) and isinstance(field.data, int) and pnbp + field.data > 100:
            raise ValidationError(_l("PNBP and maker share together can be at most 100%."))
