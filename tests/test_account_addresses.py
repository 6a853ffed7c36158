"""The addresses a customer keeps: add, edit, make default, delete, limits, bad input, owners."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import CustomerAddress
from shop.services.accounts import addresses
from shop.services.accounts import customers as accounts
from shop.services.ordering.shipping import install_default_zones
from tests.conftest import PASSWORD
from tests.test_accounts import (  # noqa: F401 - fixtures
    customer,
    fresh_g,
    press,
    quick_hashes,
    sign_in,
    text,
    token,
)

ADDRESS = {"label": "Office", "name": "Aiko Tanaka", "line1": "1-2-3 Jingumae", "line2": "",
           "city": "Tokyo", "state": "", "postal_code": "150-0001", "country": "JP",
           "phone": ""}  # fmt: skip


@pytest.fixture
def signed_in(client, customer):  # noqa: F811 - the imported fixture
    """The customer, signed in on `client`, with shipping zones installed."""
    install_default_zones()
    db.session.commit()
    sign_in(client)
    return customer


def save(client, path: str = "/account/addresses/new", **fields: str):
    """Post the address form at `path` with ADDRESS changed by `fields`."""
    return client.post(path, data=ADDRESS | fields | {"csrf_token": token(client, path)})


def details(**fields: str) -> addresses.AddressDetails:
    """AddressDetails like ADDRESS, changed by `fields`."""
    return addresses.AddressDetails(**(ADDRESS | fields))


def stored() -> list[tuple[str, str, bool]]:
    """(label, city, is default) of every kept address, oldest first."""
    db.session.expire_all()
    rows = db.session.scalars(select(CustomerAddress).order_by(CustomerAddress.id))
    return [(a.label, a.city, a.is_default) for a in rows]


def test_address_pages_send_visitors_to_sign_in_first(client) -> None:
    response = client.get("/account/addresses/new")
    assert response.headers["Location"] == "/account/login?next=/account/addresses/new"


def test_the_first_address_becomes_the_default_and_shows_on_the_account(client, signed_in):
    assert "No addresses saved yet." in text(client.get("/account/addresses"))
    response = save(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/addresses"
    page = text(client.get("/account/addresses"))
    assert "The address was saved." in page
    assert "Office" in page and "1-2-3 Jingumae" in page and "Japan" in page and "Default" in page
    overview = text(client.get("/account"))
    assert "1-2-3 Jingumae" in overview and "Japan" in overview
    assert stored() == [("Office", "Tokyo", True)]


def test_editing_an_address_changes_it_and_keeps_it_the_default(client, signed_in) -> None:
    save(client)
    address_id = db.session.scalar(select(CustomerAddress.id))
    path = f"/account/addresses/{address_id}/edit"
    assert 'value="Tokyo"' in client.get(path).get_data(as_text=True)
    response = save(client, path, city="Osaka", label="Warehouse")
    assert response.headers["Location"] == "/account/addresses"
    page = text(client.get("/account/addresses"))
    assert "Osaka" in page and "Tokyo" not in page
    assert stored() == [("Warehouse", "Osaka", True)]


def test_another_address_can_be_made_the_default(client, signed_in) -> None:
    save(client, label="Office")
    save(client, label="Home", city="Yokohama")
    assert stored() == [("Office", "Tokyo", True), ("Home", "Yokohama", False)]
    home = db.session.scalar(select(CustomerAddress.id).where(CustomerAddress.label == "Home"))
    response = press(client, f"/account/addresses/{home}/default", "/account/addresses")
    assert response.headers["Location"] == "/account/addresses"
    page = text(client.get("/account/addresses"))
    assert "That is now your default address." in page
    assert page.index("Home") < page.index("Office")  # the default is listed first
    assert stored() == [("Office", "Tokyo", False), ("Home", "Yokohama", True)]

    save(client, label="Depot", city="Nagoya", is_default="y")
    assert [default for _, _, default in stored()] == [False, False, True]


def test_deleting_the_default_makes_the_oldest_left_the_default(client, signed_in) -> None:
    for label in ("Office", "Home", "Depot"):
        save(client, label=label)
    office = db.session.scalar(select(CustomerAddress.id).where(CustomerAddress.label == "Office"))
    response = press(client, f"/account/addresses/{office}/delete", "/account/addresses")
    assert response.headers["Location"] == "/account/addresses"
    assert "The address was deleted." in text(client.get("/account/addresses"))
    assert stored() == [("Home", "Tokyo", True), ("Depot", "Tokyo", False)]


def test_an_account_keeps_at_most_twenty_addresses(client, signed_in) -> None:
    for n in range(addresses.MAX_ADDRESSES):
        addresses.add_address(signed_in, details(label=f"Shop {n}"))
    response = save(client, label="One too many")
    assert response.status_code == 422
    assert "You can keep up to 20 addresses." in text(response)
    assert len(stored()) == 20


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter the recipient's name."),
        ({"line1": "  "}, "Enter the street address."),
        ({"city": ""}, "Enter the city."),
        ({"country": ""}, "Choose a country."),
        ({"country": "XX"}, "Not a valid choice"),
        ({"postal_code": "1" * 33}, "Use at most 32 characters."),
    ],
)
def test_bad_address_input_gets_a_message_and_changes_nothing(client, signed_in, fields, message):
    response = save(client, **fields)
    assert response.status_code == 422
    assert message in text(response)
    assert stored() == []

    save(client)
    address_id = db.session.scalar(select(CustomerAddress.id))
    response = save(client, f"/account/addresses/{address_id}/edit", **fields)
    assert response.status_code == 422
    assert message in text(response)
    assert stored() == [("Office", "Tokyo", True)]


def test_the_service_refuses_a_country_the_shop_does_not_ship_to(signed_in) -> None:
    with pytest.raises(addresses.InvalidCountry):
        addresses.add_address(signed_in, details(country="KP"))
    assert stored() == []
    kept = addresses.add_address(signed_in, details(country=" jp "))
    assert kept.country == "JP"
    with pytest.raises(addresses.InvalidCountry):
        addresses.update_address(signed_in, kept.id, details(country="KP", city="Pyongyang"))
    assert stored() == [("Office", "Tokyo", True)]


def test_another_customers_address_is_not_found(client, signed_in) -> None:
    other = accounts.register("budi@example.co.id", PASSWORD)
    theirs = addresses.add_address(other, details(label="Budi's office"))
    for bad in (theirs.id, 2**40):
        assert client.get(f"/account/addresses/{bad}/edit").status_code == 404
        for action in ("edit", "delete", "default"):
            response = press(client, f"/account/addresses/{bad}/{action}", "/account/addresses")
            assert response.status_code == 404
    db.session.expire_all()
    assert (theirs.label, theirs.city, theirs.is_default) == ("Budi's office", "Tokyo", True)
    assert "Budi" not in text(client.get("/account/addresses"))
    with pytest.raises(addresses.AddressNotFound):
        addresses.set_default(signed_in, theirs.id)
    with pytest.raises(addresses.AddressNotFound):
        addresses.delete_address(signed_in, theirs.id)
    assert db.session.scalar(select(func.count(CustomerAddress.id))) == 1


def test_address_buttons_need_their_csrf_token(client, signed_in) -> None:
    save(client)
    address_id = db.session.scalar(select(CustomerAddress.id))
    assert client.post(f"/account/addresses/{address_id}/delete").status_code == 400
    assert stored() == [("Office", "Tokyo", True)]
