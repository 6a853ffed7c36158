"""Approximate prices in a buyer's currency, from exchange rates staff set.

Every charge stays in rupiah; these figures only help a buyer abroad read a price. Rates are
kept as integers (rupiah per unit, scaled by 10,000) and conversion is integer arithmetic
in `to_minor_units`, rounded half up, so the same price always shows the same figure.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import NumberFormatError, format_currency, get_currency_precision
from babel.numbers import parse_decimal as babel_parse_decimal
from sqlalchemy import select

from shop.extensions import db
from shop.models import ExchangeRate
from shop.services.reporting import audit

CURRENCIES = ("USD", "JPY", "KRW", "EUR", "SGD", "AUD", "GBP")
# The currency a first visit sees beside rupiah, from the visitor's language; Indonesian
# readers see rupiah alone.
LOCALE_CURRENCY = {"en": "USD", "ja": "JPY", "ko": "KRW", "id": None}
# The currency a buyer in a country thinks in, when the shop can show it (en-GB reads GBP).
EURO_COUNTRIES = frozenset(
    "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK".split()
)  # fmt: skip
COUNTRY_CURRENCY = {"GB": "GBP", "JP": "JPY", "KR": "KRW", "US": "USD", "SG": "SGD", "AU": "AUD"}
CURRENCY_COUNTRIES = EURO_COUNTRIES | COUNTRY_CURRENCY.keys()
RATE_SCALE = 10_000  # four decimals
MAX_RATE_E4 = 10**8 * RATE_SCALE  # Rp100.000.000 for one unit: beyond any real currency


class InvalidRate(ValueError):
    """A rate that is not a positive number of rupiah (or too large, or too precise)."""

    def __init__(self, currency: str, reason: str) -> None:
        super().__init__(f"{currency}: {reason}")
        self.currency = currency
        self.reason = reason  # "not_a_number", "not_positive", "too_large", "too_precise"


@dataclass(frozen=True)
class Rates:
    """The rates in force: rupiah per unit (scaled) by currency, and when they last changed."""

    by_currency: dict[str, int]
    updated_at: datetime | None

    def has(self, currency: str | None) -> bool:
        """Whether a rate is set for this currency."""
        return bool(currency) and currency in self.by_currency


def currency_for(locale: str, country: str | None) -> str | None:
    """The currency shown beside rupiah to a reader of `locale` in `country` (if known).

    Indonesian readers see rupiah alone; otherwise the country's currency when the shop
    shows it (GB → GBP, DE → EUR), else the language's (ja → JPY, en → USD).
    """
    if locale not in LOCALE_CURRENCY or LOCALE_CURRENCY[locale] is None:
        return None
    country = (country or "").upper()
    if country in EURO_COUNTRIES:
        return "EUR"
    return COUNTRY_CURRENCY.get(country) or LOCALE_CURRENCY[locale]


def decimals(currency: str) -> int:
    """How many decimals the currency is written with (JPY and KRW: none, USD: two)."""
    return get_currency_precision(currency)


def to_minor_units(amount_idr: int, currency: str, idr_per_unit_e4: int) -> int:
    """Rupiah to the currency's minor units (cents, yen), rounded half up, integers only."""
    scale = 10 ** decimals(currency) * RATE_SCALE
    return (amount_idr * scale * 2 + idr_per_unit_e4) // (2 * idr_per_unit_e4)


@lru_cache(maxsize=8192)
def format_approx(amount_idr: int, currency: str, idr_per_unit_e4: int, locale: str) -> str:
    """The amount in the currency as the locale writes money: "$18.46", "￥1,846", "₩25,062".

    Cached like `money.format_idr`: a listing formats the same few hundred prices again and
    again, and the rate is part of the key, so a new rate never shows an old figure.
    """
    minor = to_minor_units(amount_idr, currency, idr_per_unit_e4)
    value = Decimal(minor).scaleb(-decimals(currency))
    return format_currency(value, currency, locale=locale)


def current_rates() -> Rates:
    """The rates set for the shop's currencies (one small query)."""
    rows = db.session.scalars(select(ExchangeRate).where(ExchangeRate.currency.in_(CURRENCIES)))
    rates = list(rows)
    return Rates(
        by_currency={r.currency: r.idr_per_unit_e4 for r in rates},
        updated_at=max((r.updated_at for r in rates), default=None),
    )


def parse_rate(text: str, currency: str, locale: str) -> int:
    """Read a rate as staff type it in their language ("16.250,5" in Indonesian); scaled."""
    try:
        value = babel_parse_decimal((text or "").strip().replace(" ", ""), locale=locale)
    except (NumberFormatError, InvalidOperation):
        raise InvalidRate(currency, "not_a_number") from None
    return _scaled(value, currency)


def _scaled(value: Decimal, currency: str) -> int:
    if not value.is_finite():
        raise InvalidRate(currency, "not_a_number")
    if value <= 0:
        raise InvalidRate(currency, "not_positive")
    scaled = value * RATE_SCALE
    if scaled != scaled.to_integral_value():
        raise InvalidRate(currency, "too_precise")
    if scaled > MAX_RATE_E4:
        raise InvalidRate(currency, "too_large")
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def set_rates(wanted: dict[str, int], actor: audit.Actor) -> list[str]:
    """Store the rates that changed (scaled integers by currency); audit; commit.

    Returns the currencies whose rate changed.
    """
    existing = {r.currency: r for r in db.session.scalars(select(ExchangeRate))}
    changed = []
    for currency, rate in wanted.items():
        if currency not in CURRENCIES:
            raise InvalidRate(currency, "unknown")
        row = existing.get(currency)
        before = row.idr_per_unit_e4 if row else None
        if before == rate:
            continue
        if row is None:
            row = ExchangeRate(currency=currency)
            db.session.add(row)
        row.idr_per_unit_e4 = rate
        row.updated_by = audit.actor_email(actor)[:254]
        row.updated_at = datetime.now(UTC)
        audit.record(actor, "exchange_rate.set", target_type="exchange_rate", label=currency,
                     changes={"idr_per_unit": [_shown(before), _shown(rate)]})  # fmt: skip
        changed.append(currency)
    db.session.commit()
    return changed


def _shown(rate: int | None) -> str | None:
    return None if rate is None else format(Decimal(rate).scaleb(-4).normalize(), "f")


def rates_from_csv(text: str) -> dict[str, int]:
    """Read "currency,idr_per_unit" rows (a header optional, "." for decimals)."""
    wanted: dict[str, int] = {}
    for row in csv.reader(io.StringIO(text)):
        if not row or not row[0].strip() or row[0].strip().lower() == "currency":
            continue
        currency = row[0].strip().upper()
        if len(row) < 2:
            raise InvalidRate(currency, "not_a_number")
        try:
            value = Decimal(row[1].strip())
        except InvalidOperation:
            raise InvalidRate(currency, "not_a_number") from None
        if currency not in CURRENCIES:
            raise InvalidRate(currency, "unknown")
        wanted[currency] = _scaled(value, currency)
    return wanted
