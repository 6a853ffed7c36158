"""The back-office form for exchange rates: one box per currency, rupiah for one unit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import Length

from shop.services.currency import CURRENCIES

# Longer than any rate that parses ("100.000.000,0000"), short enough to refuse junk early.
MAX_RATE_TEXT = 40


class ExchangeRatesForm(FlaskForm):
    """Rupiah for one unit of each currency, written as the staff member writes numbers.

    Each currency has a text box (`rate_usd`) and a hidden copy of the rate the page showed
    (`shown_usd`, scaled by 10,000), so a box left as it was never overwrites a rate someone
    else changed meanwhile.
    """

    submit = SubmitField(_l("Save rates"))

    def rate_field(self, currency: str) -> StringField:
        """The box for one currency's rate."""
        return self[f"rate_{currency.lower()}"]

    def shown_field(self, currency: str) -> HiddenField:
        """The hidden copy of the rate the page showed for one currency."""
        return self[f"shown_{currency.lower()}"]


for _code in CURRENCIES:
    setattr(
        ExchangeRatesForm,
        f"rate_{_code.lower()}",
        StringField(
            _l("Rupiah for 1 %(code)s", code=_code),
            validators=[Length(max=MAX_RATE_TEXT, message=_l("That rate is far too large."))],
            render_kw={"inputmode": "decimal", "autocomplete": "off"},
        ),
    )
    setattr(ExchangeRatesForm, f"shown_{_code.lower()}", HiddenField())
