"""What pages read on every request but changes only with the catalog (categories, workshops,
counts, exchange rates, synonyms, shipping zones) is read once per catalog version, and a
change to any of it shows on the very next page."""

from __future__ import annotations

import re

from shop.extensions import cache, db
from shop.models import ExchangeRate, ShippingCountry, ShippingZone
from shop.services import currency
from shop.services.catalog import synonyms
from tests.factories import make_category, make_product, make_workshop, shop_with_stock


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _statements(client, count_queries, url: str) -> int:
    cache.clear()  # no stored page: render it, as every request would with the cache off
    db.session.expire_all()
    before = count_queries.count
    _html(client, url)
    return count_queries.count - before


def test_an_unchanged_catalog_reads_categories_workshops_counts_and_rates_once(
    client, count_queries
) -> None:
    make_product("Teak bowl", category=make_category(), workshop=make_workshop())
    db.session.add(ExchangeRate(currency="JPY", idr_per_unit_e4=1_050_000, updated_by="t"))
    db.session.commit()
    first = _statements(client, count_queries, "/products?lang=ja")
    again = _statements(client, count_queries, "/products?lang=ja")
    # Categories, workshops, their counts and the rates: four statements the first time only.
    assert again <= first - 4
    # Another language reads its own names once, but not the counts or the rates again.
    english = _statements(client, count_queries, "/products?lang=en")
    assert english == first - 2
    assert _statements(client, count_queries, "/products?lang=en") == again


def test_a_renamed_category_and_a_new_workshop_show_at_once(client) -> None:
    category = make_category()
    make_product("Teak bowl", category=category, workshop=make_workshop())
    db.session.commit()
    assert ">Tableware (1)</option>" in _html(client, "/products")
    category.name = "Bowls and plates"
    make_product("Rattan tray", category=category, workshop=make_workshop("rattan", "Rattan"))
    db.session.commit()
    page = _html(client, "/products")
    assert ">Bowls and plates (2)</option>" in page
    assert ">Rattan (1)</option>" in page


def test_a_new_exchange_rate_shows_at_once(client) -> None:
    product = make_product("Teak bowl", category=make_category(), workshop=make_workshop())
    rate = ExchangeRate(currency="JPY", idr_per_unit_e4=1_050_000, updated_by="t")
    db.session.add(rate)
    db.session.commit()
    price = product.price_min_idr

    def shown() -> str:
        return _html(client, f"/products/{product.slug}?lang=ja")

    assert currency.format_approx(price, "JPY", 1_050_000, "ja") in shown()
    rate.idr_per_unit_e4 = 2_100_000
    db.session.commit()
    page = shown()
    assert currency.format_approx(price, "JPY", 2_100_000, "ja") in page
    assert currency.format_approx(price, "JPY", 1_050_000, "ja") not in page


def test_a_new_synonym_finds_at_once(client) -> None:
    make_product("Teak bowl", category=make_category(), workshop=make_workshop())
    db.session.commit()
    assert "Teak bowl" not in _html(client, "/products?q=schale")
    synonyms.add_synonym("schale", "", "bowl")
    db.session.commit()
    assert "Teak bowl" in _html(client, "/products?q=schale")


def test_a_shipping_fee_change_shows_on_product_pages_at_once(client) -> None:
    product = shop_with_stock()
    db.session.commit()

    def fee_to_east_asia() -> str:
        page = _html(client, f"/products/{product.slug}")
        row = re.search(r'<th scope="row">East Asia</th><td class="num">([^<]*)<', page)
        assert row is not None
        return row.group(1)

    assert fee_to_east_asia() == "IDR\xa0350,000"
    zone = db.session.query(ShippingZone).filter_by(code="EA").one()
    zone.base_fee_idr = 300_000
    db.session.commit()
    assert fee_to_east_asia() == "IDR\xa0430,000"


def test_a_country_added_or_moved_to_another_zone_counts_at_once(client) -> None:
    """The destinations are kept per catalog version; a country's change bumps it, so the
    checkout offers a new destination, and the payment page is limited to the zone's
    countries as they are now."""
    from shop.services.ordering import shipping

    shipping.install_default_zones()
    assert "GL" not in dict(shipping.country_choices("ja"))  # named and kept before the change
    assert "IS" in shipping.allowed_countries() and "GL" not in shipping.allowed_countries()
    assert shipping.zone_of("gb") == "EU" and "GB" not in shipping.zone_countries("ROW")
    europe = db.session.query(ShippingZone).filter_by(code="EU").one()
    europe.countries.append(ShippingCountry(code="GL"))
    db.session.commit()
    assert "GL" in shipping.allowed_countries() and shipping.zone_of("GL") == "EU"
    assert ("GL", "グリーンランド") in shipping.country_choices("ja")
    assert shipping.zone_countries("EU", first="GL")[0] == "GL"
    moved = db.session.get(ShippingCountry, "GB")
    moved.zone = db.session.query(ShippingZone).filter_by(code="ROW").one()
    db.session.commit()
    assert shipping.zone_of("GB") == "ROW"
    assert "GB" in shipping.zone_countries("ROW") and "GB" not in shipping.zone_countries("EU")
    db.session.delete(db.session.get(ShippingCountry, "GL"))
    db.session.commit()
    assert "GL" not in shipping.allowed_countries() and shipping.zone_of("GL") is None
    assert "GL" not in dict(shipping.country_choices("ja"))


def test_what_a_rolled_back_change_showed_is_never_kept(client) -> None:
    from shop.services.catalog import directory

    category = make_category()
    workshop = make_workshop()
    make_product("Teak bowl", category=category, workshop=workshop)
    db.session.commit()
    assert ">Tableware (1)</option>" in _html(client, "/products")
    category.name = "Never saved"
    db.session.flush()  # the catalog version moves on in this transaction only
    assert directory.categories_with_counts()[0][0].name == "Never saved"  # it sees its own
    db.session.rollback()
    workshop.name = "Woodcraft"  # another change, committed: the version moves on for real
    db.session.commit()
    page = _html(client, "/products")
    assert "Never saved" not in page
    assert ">Tableware (1)</option>" in page
