"""Exchange rates: staff set how many rupiah one unit of each foreign currency costs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from babel.numbers import format_decimal, get_currency_name
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField

from shop.admin import bp
from shop.admin.rate_forms import ExchangeRatesForm
from shop.extensions import db
from shop.models import ExchangeRate
from shop.services import currency

# Why a rate was refused, in words; "not_a_number" has its own message with examples.
REASON_MESSAGES = {
    "not_positive": _l("A rate must be more than zero."),
    "too_precise": _l("Use at most four decimals."),
    "too_large": _l("That rate is far too large."),
    "unknown": _l("The shop does not show prices in this currency."),
}


@dataclass(frozen=True)
class RateRow:
    """One currency on the page: its box, and who last set its rate and when."""

    code: str
    name: str
    field: StringField
    shown: HiddenField
    updated_at: datetime | None
    updated_by: str


def _locale() -> str:
    return str(get_locale())


def _stored() -> dict[str, ExchangeRate]:
    """The rate rows as stored, by currency (read-only: set_rates does the writing)."""
    return {r.currency: r for r in db.session.scalars(select(ExchangeRate))}


def rate_text(idr_per_unit_e4: int, locale: str) -> str:
    """A stored rate as staff write it in their language, every decimal kept: "16.250,5"."""
    # No quantization: the locale's pattern keeps three decimals, and a box showing a
    # rounded rate would change the rate when saved as it is.
    value = Decimal(idr_per_unit_e4).scaleb(-4)
    return format_decimal(value, locale=locale, decimal_quantization=False)


def refusal(reason: str, locale: str) -> str:
    """Why a typed rate was refused, with examples written the way the locale writes numbers."""
    if reason in REASON_MESSAGES:
        return str(REASON_MESSAGES[reason])
    exact = format_decimal(Decimal("16250.50"), format="#,##0.00", locale=locale)
    return gettext(
        "Enter a number of rupiah, like %(whole)s or %(exact)s.", whole="16250", exact=exact
    )


def _fill(form: ExchangeRatesForm, stored: dict[str, ExchangeRate], locale: str) -> None:
    """Put the rates in force in the boxes, and remember what the page showed."""
    for code in currency.CURRENCIES:
        row = stored.get(code)
        form.rate_field(code).data = rate_text(row.idr_per_unit_e4, locale) if row else ""
        form.shown_field(code).data = str(row.idr_per_unit_e4) if row else ""


def _wanted(form: ExchangeRatesForm, locale: str) -> dict[str, int] | None:
    """The rates the staff member changed, scaled; None when a box was refused.

    An empty box keeps its rate. A box left as the page showed it is not sent either, so
    saving never undoes a rate someone else set after the page was opened.
    """
    wanted: dict[str, int] = {}
    refused = False
    for code in currency.CURRENCIES:
        field = form.rate_field(code)
        text = (field.data or "").strip()
        if field.errors:
            refused = True
        elif text:
            try:
                rate = currency.parse_rate(text, code, locale)
            except currency.InvalidRate as error:
                field.errors = [*field.errors, refusal(error.reason, locale)]
                refused = True
                continue
            if form.shown_field(code).data != str(rate):
                wanted[code] = rate
    return None if refused else wanted


def _page(form: ExchangeRatesForm, locale: str, status: int = 200) -> tuple[str, int]:
    stored = _stored()
    rows = [
        RateRow(
            code=code,
            name=get_currency_name(code, locale=locale),
            field=form.rate_field(code),
            shown=form.shown_field(code),
            updated_at=stored[code].updated_at if code in stored else None,
            updated_by=stored[code].updated_by if code in stored else "",
        )
        for code in currency.CURRENCIES
    ]
    updated_at = max((row.updated_at for row in stored.values()), default=None)
    page = render_template("admin/exchange_rates.html", form=form, rows=rows, updated_at=updated_at)
    return page, status


@bp.route("/exchange-rates", methods=["GET", "POST"])
def exchange_rates() -> tuple[str, int] | Response:
    """Show the rates for approximate prices and let staff change them (staff and admins)."""
    locale = _locale()
    if request.method != "POST":
        form = ExchangeRatesForm(formdata=None)
        _fill(form, _stored(), locale)
        return _page(form, locale)
    form = ExchangeRatesForm()
    wanted = _wanted(form, locale) if form.validate_on_submit() else None
    if wanted is None:
        return _page(form, locale, 422)
    changed = currency.set_rates(wanted, current_user._get_current_object())
    if changed:
        flash(gettext("Rates saved for %(currencies)s.", currencies=", ".join(changed)), "success")
    else:
        flash(gettext("Nothing changed."), "success")
    return redirect(url_for("admin.exchange_rates"), 303)
