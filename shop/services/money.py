"""Money is whole rupiah in integers; these helpers turn it into text for a locale."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

# Rupiah has no minor unit in daily use: show whole rupiah with the locale's grouping,
# "Rp 100.000" in Indonesian, "IDR 100,000" in English.
_IDR_PATTERN = "¤\xa0#,##0"


@lru_cache(maxsize=32)
def _idr_pattern(locale: str) -> tuple[NumberPattern, Locale]:
    return parse_pattern(_IDR_PATTERN), Locale.parse(locale)


@lru_cache(maxsize=8192)
def format_idr(amount_idr: int, locale: str) -> str:
    """Format whole rupiah for a locale, without decimals."""
    # Cached, and the pattern parsed once per locale (format_currency parses it on every
    # call): a listing page formats the same few hundred prices over and over, and an
    # order's mail a dozen new ones.
    pattern, parsed = _idr_pattern(locale)
    return pattern.apply(amount_idr, parsed, currency="IDR", currency_digits=False)


def format_idr_range(low: int | None, high: int | None, locale: str) -> str:
    """Format a price range: one price when both ends agree, "low – high" otherwise."""
    if low is None:
        return ""
    if high is None or high == low:
        return format_idr(low, locale)
    return f"{format_idr(low, locale)} – {format_idr(high, locale)}"


# Stripe's zero-decimal currencies among those the shop may charge in; every other one
# (IDR included, although rupiah has no coins in use) is sent in hundredths.
ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "PYG", "UGX", "XOF", "XAF"})


def to_minor_units(amount: int, currency: str) -> int:
    """Convert whole units (e.g. rupiah) to the provider's minor units: Rp100.000 → 10000000."""
    return amount if currency.upper() in ZERO_DECIMAL_CURRENCIES else amount * 100


def from_minor_units(amount_minor: int, currency: str) -> int:
    """Convert provider minor units back to whole units, refusing fractions."""
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return amount_minor
    whole, fraction = divmod(amount_minor, 100)
    if fraction:
        raise ValueError(f"{amount_minor} minor units is not a whole amount of {currency}")
    return whole
