"""Back-office forms for wage payouts and for approving a month for /impact."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, MonthField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange

from shop.admin.forms import sensible_year
from shop.services.impact import payouts

_MONTH = {"placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}"}
_AMOUNT_MESSAGE = _l("Enter the amount in whole rupiah, more than 0.")


class AmountField(IntegerField):
    """Whole rupiah, with one message for anything that is not a whole number."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the number (dots and spaces between thousands allowed)."""
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].replace(".", "").replace(" ", "").replace(",", "")]
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_AMOUNT_MESSAGE)) from error


class PayoutForm(FlaskForm):
    """A wage payout to a workshop: for which month, when, how much, which transfer."""

    workshop_id = SelectField(
        _l("Workshop"), coerce=int, validators=[InputRequired(_l("Choose the workshop paid."))]
    )
    period = MonthField(
        _l("For the sales of (month)"),
        validators=[InputRequired(_l("Choose the month the wages are for.")), sensible_year],
        render_kw=_MONTH,
    )
    paid_on = DateField(
        _l("Paid on"),
        validators=[InputRequired(_l("Enter the day the transfer was made.")), sensible_year],
    )
    amount_idr = AmountField(
        _l("Amount (Rp)"),
        validators=[InputRequired(_AMOUNT_MESSAGE), NumberRange(1, 10**13, _AMOUNT_MESSAGE)],
        render_kw={"inputmode": "numeric"},
    )
    reference = StringField(
        _l("Transfer reference"),
        validators=[
            InputRequired(_l("Enter the bank transfer's reference.")),
            Length(max=payouts.MAX_REFERENCE),
        ],
    )
    receipt = FileField(_l("Receipt scan (optional: JPEG, PNG, WebP or PDF, at most 10 MB)"))
    submit = SubmitField(_l("Record payout"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workshop_id.choices = [(w.id, w.name) for w in payouts.workshops()]


class ApproveMonthForm(FlaskForm):
    """Close a month and publish its figures on /impact."""

    month = MonthField(
        _l("Month"), validators=[InputRequired(_l("Choose a month.")), sensible_year]
    )
    submit = SubmitField(_l("Close and publish"))
