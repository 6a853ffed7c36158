"""Shipping fees by destination zone and parcel weight."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from babel import Locale
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from shop.extensions import db
from shop.models import ShippingCountry, ShippingZone
from shop.services.catalog.kept import kept, snapshot

# code, name, base fee, fee per started kilogram, delivery days, countries
DEFAULT_ZONES: list[tuple[str, str, int, int, int, int, str]] = [
    ("ID", "Indonesia", 25_000, 15_000, 2, 5, "ID"),
    ("SEA", "Southeast Asia", 150_000, 90_000, 5, 10, "SG MY TH VN PH BN KH LA MM TL"),
    ("EA", "East Asia", 220_000, 130_000, 6, 12, "JP KR CN TW HK MO MN"),
    ("OC", "Oceania", 260_000, 150_000, 7, 14, "AU NZ PG FJ NC"),
    ("AM", "Americas", 350_000, 210_000, 8, 18, "US CA MX BR AR CL CO PE UY CR PA"),
    (
        "EU",
        "Europe",
        330_000,
        190_000,
        8,
        16,
        "GB IE FR DE NL BE LU AT CH IT ES PT DK SE NO FI IS PL CZ SK HU SI HR RO BG GR EE "
        "LV LT MT CY",
    ),
    (
        "ROW",
        "Rest of the world",
        420_000,
        250_000,
        10,
        25,
        "AE SA QA KW OM BH IL TR IN LK NP BD PK ZA KE EG MA NG",
    ),  # fmt: skip
]


class ShippingUnavailable(Exception):
    """The shop does not ship to that country."""


@dataclass(frozen=True)
class ShippingQuote:
    """What shipping costs to one country for one parcel weight."""

    country: str
    zone_code: str
    zone_name: str
    fee_idr: int
    min_days: int
    max_days: int


def install_default_zones() -> int:
    """Add the default zones and countries that are missing; return zones added."""
    existing = set(db.session.scalars(select(ShippingZone.code)))
    added = 0
    for position, (code, name, base, per_kg, low, high, countries) in enumerate(DEFAULT_ZONES):
        if code in existing:
            continue
        zone = ShippingZone(
            code=code, name=name, base_fee_idr=base, per_kg_fee_idr=per_kg,
            min_days=low, max_days=high, position=position,
        )  # fmt: skip
        zone.countries = [ShippingCountry(code=c) for c in countries.split()]
        db.session.add(zone)
        added += 1
    db.session.commit()
    return added


def fee_for(zone: Any, weight_g: int) -> int:
    """Base fee plus the per-kilogram fee for every started kilogram."""
    kilograms = max(1, math.ceil(weight_g / 1000))
    return zone.base_fee_idr + zone.per_kg_fee_idr * kilograms


# Built once: every checkout prices its shipping from the rows themselves.
_COUNTRY_WITH_ZONE = (
    select(ShippingCountry)
    .options(joinedload(ShippingCountry.zone))
    .where(ShippingCountry.code == bindparam("code"))
)


def quote(country: str, weight_g: int) -> ShippingQuote:
    """Price shipping a parcel to a country; raise ShippingUnavailable if we don't ship there."""
    row = db.session.scalar(_COUNTRY_WITH_ZONE, {"code": (country or "").upper()})
    if row is None:
        raise ShippingUnavailable(country)
    zone = row.zone
    return ShippingQuote(
        country=row.code,
        zone_code=zone.code,
        zone_name=zone.name,
        fee_idr=fee_for(zone, weight_g),
        min_days=zone.min_days,
        max_days=zone.max_days,
    )


def _zones() -> list[Any]:
    query = select(ShippingZone).order_by(ShippingZone.position, ShippingZone.id)
    return [snapshot(zone) for zone in db.session.scalars(query)]


def zone_fees(weight_g: int) -> list[ShippingQuote]:
    """What a parcel of this weight costs to each zone, and how long it takes (zone order).

    For pages only (a product's shipping table): the zones are kept per catalog version,
    which a zone change bumps. Orders are priced from the rows themselves (`quote`).
    """
    zones = kept("shipping_zones", _zones)
    return [
        ShippingQuote(
            country="", zone_code=z.code, zone_name=z.name, fee_idr=fee_for(z, weight_g),
            min_days=z.min_days, max_days=z.max_days,
        )
        for z in zones
    ]  # fmt: skip


def _zone_by_country() -> dict[str, str]:
    rows = db.session.execute(
        select(ShippingCountry.code, ShippingZone.code)
        .join(ShippingZone, ShippingCountry.zone_id == ShippingZone.id)
        .order_by(ShippingCountry.code)
    )
    return dict(rows.all())


def _destinations() -> Mapping[str, str]:
    """Every destination's zone code by country code (in code order), kept per catalog
    version: a country or zone change bumps it."""
    return kept("shipping_countries", lambda: MappingProxyType(_zone_by_country()))


def allowed_countries() -> list[str]:
    """Every country code the shop ships to."""
    return list(_destinations())


def zone_of(country: str) -> str | None:
    """The code of the zone a country ships in, or None if the shop doesn't ship there."""
    return _destinations().get((country or "").upper()[:2])


def zone_countries(zone_code: str, first: str = "") -> list[str]:
    """The country codes of one zone, `first` leading (the payment page's default)."""
    codes = [code for code, zone in _destinations().items() if zone == zone_code]
    return sorted(codes, key=lambda code: code != first)


def country_choices(locale: str) -> list[tuple[str, str]]:
    """(code, name in the visitor's language) for every destination, sorted by name; named
    and sorted once per language and catalog version."""

    def named() -> tuple[tuple[str, str], ...]:
        names = Locale.parse(locale).territories
        return tuple(sorted(((c, names.get(c, c)) for c in _destinations()), key=lambda p: p[1]))

    return list(kept(("country_choices", locale), named))
