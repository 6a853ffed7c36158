"""Exchange rates: conversion, staff setting them at /admin/exchange-rates, and `load-rates`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry, ExchangeRate
from shop.services import currency
from shop.services.currency import InvalidRate, format_approx, parse_rate, to_minor_units
from shop.services.reporting import audit
from tests.factories import csrf_from

USD = 162_500_000  # Rp16.250 for one dollar, scaled by 10,000
URL = "/admin/exchange-rates"
ID = {"Accept-Language": "id-ID,id;q=0.9"}


def stored() -> dict[str, int]:
    db.session.expire_all()
    return {r.currency: r.idr_per_unit_e4 for r in db.session.scalars(select(ExchangeRate))}


def rate_entries() -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == "exchange_rate.set")
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


# Conversion and formatting


def test_rupiah_convert_to_cents_at_the_rate() -> None:
    assert to_minor_units(150_000, "USD", USD) == 923  # 923.08 cents


def test_yen_and_won_have_no_decimals() -> None:
    assert to_minor_units(150_000, "JPY", 1_080_000) == 1389  # ¥1,388.9
    assert to_minor_units(150_000, "KRW", 117_500) == 12766  # ₩12,765.96


def test_conversion_rounds_half_up() -> None:
    ten_thousand = 10_000 * currency.RATE_SCALE  # one unit costs Rp10.000
    assert to_minor_units(50, "SGD", ten_thousand) == 1  # half a cent
    assert to_minor_units(150, "SGD", ten_thousand) == 2  # 1.5 cents
    assert to_minor_units(250, "SGD", ten_thousand) == 3  # 2.5 cents: up, not to even
    assert to_minor_units(149, "SGD", ten_thousand) == 1


@pytest.mark.parametrize(
    ("code", "rate", "locale", "shown"),
    [
        ("USD", USD, "en", "$9.23"),
        ("JPY", 1_080_000, "ja", "￥1,389"),
        ("KRW", 117_500, "ko", "₩12,766"),
    ],
)
def test_approximate_prices_are_written_as_the_locale_writes_money(
    code: str, rate: int, locale: str, shown: str
) -> None:
    assert format_approx(150_000, code, rate, locale) == shown


# Reading rates as staff type them


@pytest.mark.parametrize(
    ("text", "locale", "scaled"),
    [
        ("16.250", "id", USD),
        ("16.250,5", "id", 162_505_000),
        ("16250", "id", USD),
        ("16,250.5", "en", 162_505_000),
        ("16250", "en", USD),
        ("11,7525", "id", 117_525),
        (" 108.5 ", "en", 1_085_000),
    ],
)
def test_rates_are_read_in_the_staff_members_language(text: str, locale: str, scaled: int) -> None:
    assert parse_rate(text, "USD", locale) == scaled


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("sixteen", "not_a_number"),
        ("", "not_a_number"),
        ("0", "not_positive"),
        ("-5", "not_positive"),
        ("1,23456", "too_precise"),
        ("200.000.000", "too_large"),
    ],
)
def test_rates_that_are_not_sensible_are_refused(text: str, reason: str) -> None:
    with pytest.raises(InvalidRate) as refused:
        parse_rate(text, "EUR", "id")
    assert (refused.value.currency, refused.value.reason) == ("EUR", reason)


# The back-office page


@pytest.fixture
def signed_in(app, client, auth, staff_user):
    auth.login(staff_user.email)
    return client


def post_rates(client, headers: dict | None = None, **boxes: str):
    """Submit the page's form as it was shown, with some boxes changed."""
    page = client.get(URL, headers=headers).get_data(as_text=True)
    data = dict(re.findall(r'name="((?:rate|shown)_[a-z]{3})" type="\w+" value="([^"]*)"', page))
    data |= {f"rate_{code.lower()}": text for code, text in boxes.items()}
    return client.post(URL, headers=headers, data={"csrf_token": csrf_from(page), **data})


def test_staff_see_every_currency_with_its_name_and_rate(signed_in, staff_user) -> None:
    currency.set_rates({"USD": 162_505_000}, staff_user)
    page = signed_in.get(URL, headers=ID).get_data(as_text=True)
    assert "Dolar Amerika Serikat" in page and "Yen Jepang" in page
    for code in currency.CURRENCIES:
        assert f'name="rate_{code.lower()}"' in page
    assert 'value="16.250,5"' in page  # the Indonesian way, every decimal kept
    assert "staff@example.com" in page
    assert "Setiap pembayaran tetap dalam rupiah" in page and "Kurs terakhir diperbarui" in page


def test_the_nav_links_to_the_page(signed_in) -> None:
    assert f'href="{URL}"' in signed_in.get("/admin/").get_data(as_text=True)


def test_a_rate_typed_in_indonesian_is_saved(signed_in) -> None:
    response = post_rates(signed_in, ID, USD="16.250")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(URL)
    assert stored() == {"USD": USD}
    page = signed_in.get(URL, headers=ID).get_data(as_text=True)
    assert "Kurs disimpan untuk USD." in page
    assert 'value="16.250"' in page


def test_a_rate_typed_in_english_is_saved(signed_in) -> None:
    post_rates(signed_in, {"Accept-Language": "en"}, EUR="18,900.25", JPY="108.5")
    assert stored() == {"EUR": 189_002_500, "JPY": 1_085_000}


def test_saving_the_page_as_it_is_changes_nothing(signed_in, staff_user) -> None:
    currency.set_rates({"USD": USD, "KRW": 117_525}, staff_user)
    response = post_rates(signed_in, ID)
    assert response.status_code == 303
    assert "Tidak ada yang berubah." in signed_in.get(URL).get_data(as_text=True)
    assert stored() == {"USD": USD, "KRW": 117_525}
    assert len(rate_entries()) == 2


def test_an_empty_box_keeps_its_rate(signed_in, staff_user) -> None:
    currency.set_rates({"USD": USD}, staff_user)
    post_rates(signed_in, ID, USD="", GBP="21.800")
    assert stored() == {"USD": USD, "GBP": 218_000_000}


def test_a_box_left_alone_keeps_a_rate_changed_meanwhile(signed_in, staff_user) -> None:
    currency.set_rates({"USD": USD}, staff_user)
    page = signed_in.get(URL, headers=ID).get_data(as_text=True)
    currency.set_rates({"USD": 163_000_000}, "cli")  # e.g. a scheduled load-rates
    data = dict(re.findall(r'name="((?:rate|shown)_[a-z]{3})" type="\w+" value="([^"]*)"', page))
    data["rate_eur"] = "18.900"
    signed_in.post(URL, headers=ID, data={"csrf_token": csrf_from(page), **data})
    assert stored() == {"USD": 163_000_000, "EUR": 189_000_000}


def test_refused_rows_show_their_message_and_nothing_is_saved(signed_in) -> None:
    response = post_rates(signed_in, ID, USD="16.250", JPY="abc", KRW="0", EUR="1,23456",
                          GBP="999.999.999")  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Masukkan jumlah rupiah, misalnya 16250 atau 16.250,50." in page
    assert "Kurs harus lebih dari nol." in page
    assert "Gunakan paling banyak empat angka desimal." in page
    assert "Kurs itu terlalu besar." in page
    assert 'value="abc"' in page  # what was typed stays to be corrected
    assert stored() == {}
    assert rate_entries() == []


def test_the_form_needs_its_csrf_token(signed_in) -> None:
    response = signed_in.post(URL, data={"rate_usd": "16250"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert stored() == {}


def test_a_saved_rate_is_in_the_audit_log(signed_in, staff_user) -> None:
    post_rates(signed_in, ID, USD="16.250")
    post_rates(signed_in, ID, USD="16.300")
    first, second = rate_entries()
    assert first.actor_email == second.actor_email == staff_user.email
    assert second.target_type == "exchange_rate" and second.target_label == "USD"
    assert audit.changes_of(second) == {"idr_per_unit": ["16250", "16300"]}


def test_admins_read_the_rate_change_in_words(app, client, auth, admin_user) -> None:
    auth.login(admin_user.email)
    post_rates(client, ID, USD="16.250")
    page = client.get("/admin/audit?what=exchange_rate").get_data(as_text=True)
    assert "Exchange rate set" in page and f'href="{URL}"' in page


# The command line


@pytest.fixture
def rates_file(tmp_path: Path):
    def write(text: str) -> str:
        path = tmp_path / "rates.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_load_rates_stores_a_file(runner, rates_file) -> None:
    path = rates_file("\ufeffcurrency,idr_per_unit\nUSD,16250\njpy,108.5\n")
    result = runner.invoke(args=["load-rates", path])
    assert result.exit_code == 0, result.output
    assert "Rates changed: USD, JPY" in result.output
    assert stored() == {"USD": USD, "JPY": 1_085_000}
    assert {e.actor_email for e in rate_entries()} == {"cli"}
    assert "No rate changed." in runner.invoke(args=["load-rates", path]).output


def test_load_rates_refuses_an_unknown_currency(runner, rates_file) -> None:
    result = runner.invoke(args=["load-rates", rates_file("USD,16250\nXAU,40000000\n")])
    assert result.exit_code == 1
    assert "XAU: not a currency the shop shows prices in" in result.output
    assert stored() == {}


def test_load_rates_stores_nothing_when_a_number_is_bad(runner, rates_file) -> None:
    result = runner.invoke(args=["load-rates", rates_file('USD,16250\nEUR,"18.900,5"\n')])
    assert result.exit_code == 1
    assert "EUR: the rate is not a number of rupiah" in result.output
    assert "Nothing was stored." in result.output
    assert stored() == {}


# Demo data


def test_seed_demo_sets_the_demo_rates_once(runner, monkeypatch, staff_user) -> None:
    import shop.demo.seed

    monkeypatch.setattr(shop.demo.seed, "seed_demo", lambda storage, **kwargs: 0)
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Demo exchange rates set: USD, JPY, KRW, EUR, SGD, AUD, GBP." in first.output
    assert stored()["USD"] == USD and stored()["JPY"] == 1_085_000
    assert stored()["KRW"] == 117_500
    currency.set_rates({"USD": 163_000_000}, staff_user)
    again = runner.invoke(args=["seed-demo"])
    assert "demo rates skipped" in again.output
    assert stored()["USD"] == 163_000_000
    assert len(rate_entries()) == len(currency.CURRENCIES) + 1
