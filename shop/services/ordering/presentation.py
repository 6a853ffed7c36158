"""An order as its buyer reads it: item names in their language, their country's name, times
in their time zone, and the rupiah total with its approximate value in their currency.

The order keeps what was bought frozen in English (`OrderLine.product_name`); a translated
name is looked up when shown, so a buyer reads the names the product pages used, and a
product deleted since falls back to the frozen name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime
from sqlalchemy import select

from shop.extensions import db
from shop.models import OrderLine, ProductTranslation, Variant
from shop.services import currency

# Where a country spans several time zones with different clocks, the shop cannot tell which
# one the buyer lives in and names UTC, except at home: Indonesian orders use Jakarta (WIB).
HOME_ZONES = {"ID": "Asia/Jakarta"}


def line_names(lines: Iterable[OrderLine], locale: str) -> dict[OrderLine, str]:
    """Each line's product name in `locale` where the product has one, else as frozen."""
    lines = list(lines)
    names = {line: line.product_name for line in lines}
    variant_ids = {line.variant_id for line in lines if line.variant_id is not None}
    if not variant_ids or locale == "en":
        return names
    rows = db.session.execute(
        select(Variant.id, ProductTranslation.name)
        .join(ProductTranslation, ProductTranslation.product_id == Variant.product_id)
        .where(Variant.id.in_(variant_ids), ProductTranslation.locale == locale)
    ).all()
    translated = {variant_id: name for variant_id, name in rows if name.strip()}
    for line in lines:
        if line.variant_id in translated:
            names[line] = translated[line.variant_id]
    return names


def country_name(code: str, locale: str) -> str:
    """The country's name in `locale` ("日本" for JP in Japanese); the code if unknown."""
    if not code:
        return ""
    return Locale.parse(locale).territories.get(code.upper(), code)


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, list[str]]:
    zones: dict[str, list[str]] = {}
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    for row in table.splitlines():
        if row and not row.startswith("#"):
            fields = row.split("\t")
            zones.setdefault(fields[0], []).append(fields[2])
    return zones


@lru_cache(maxsize=256)
def buyer_zone(country: str) -> tzinfo:
    """The time zone of the buyer's country when all of it keeps one clock; else UTC."""
    code = (country or "").upper()
    if code in HOME_ZONES:
        return ZoneInfo(HOME_ZONES[code])
    names = _zones_by_country().get(code, [])
    if not names:
        return UTC
    # One clock all year: the same offsets in January and in July (so the answer, cached, does
    # not depend on the season it was first asked in).
    year = datetime.now(UTC).year
    seasons = (datetime(year, 1, 15, tzinfo=UTC), datetime(year, 7, 15, tzinfo=UTC))
    offsets = {
        tuple(day.astimezone(ZoneInfo(name)).utcoffset() for day in seasons) for name in names
    }
    return ZoneInfo(names[0]) if len(offsets) == 1 else UTC


def moment(value: datetime | None, country: str, locale: str) -> str:
    """A time as the buyer reads it, with its zone named: "2026/12/05 1:15:00 JST"."""
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite hands back naive times; they are stored in UTC
        value = value.replace(tzinfo=UTC)
    zone = buyer_zone(country)
    local = value.astimezone(zone)
    shown = format_datetime(local, format="medium", tzinfo=zone, locale=locale)
    return f"{shown} {local.tzname() or 'UTC'}"


def approx_in(amount_idr: int, code: str | None, locale: str, rates: currency.Rates) -> str:
    """ "≈ ￥2,627" in the currency at the given rates; empty for rupiah alone or no rate."""
    if not code or not rates.has(code):
        return ""
    return "≈ " + currency.format_approx(amount_idr, code, rates.by_currency[code], locale)


def mail_currency(locale: str, country: str | None = None) -> str | None:
    """The currency a mail in this language shows beside rupiah, as the pages do by default.

    English says nothing of where its reader lives, so an English mail follows the parcel's
    country (GB: GBP); other languages keep their own (a Japanese gift to the US: JPY).
    """
    return currency.currency_for(locale, country if locale == "en" else None)
