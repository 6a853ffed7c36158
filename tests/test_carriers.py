"""Carriers staff keep, and tracking numbers buyers can follow with one click."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import AuditEntry, Carrier
from shop.services.ordering import carriers
from tests.factories import csrf_from, shop_with_stock
from tests.order_factories import make_order
from tests.test_admin_orders import act, outbox

DHL = "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id="
DHL_HREF = DHL.replace("&", "&amp;")  # as HTML writes it


@pytest.fixture
def signed_in(client, auth, staff_user):
    carriers.install_defaults()
    auth.login(staff_user.email)
    return client


@pytest.fixture
def order(app):
    variant = shop_with_stock(stock=10, price=100_000).variants[0]
    return make_order(variant, quantity=1, created_at=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))


def test_a_known_carrier_any_case_links_the_number_quoted(app) -> None:
    carriers.install_defaults()
    assert carriers.tracking_link("dhl express", " 12 34/5 ") == DHL + "12%2034%2F5"
    assert carriers.tracking_link("Someone's van", "123") == ""
    assert carriers.tracking_link("DHL Express", "") == ""
    assert carriers.install_defaults() == 0  # idempotent


def test_the_buyer_follows_the_parcel_from_the_order_page_and_the_mail(
    app, client, signed_in, order
) -> None:
    page = act(signed_in, order, "packed")
    assert 'list="carrier-names"' in page and '<option value="FedEx">' in page
    page = act(signed_in, order, "shipped", carrier="DHL Express", tracking_number="JD0146")
    assert f'href="{DHL_HREF}JD0146"' in page  # staff can follow it too
    buyer = app.test_client().get(f"/orders/{order.token}").get_data(as_text=True)
    assert f'href="{DHL_HREF}JD0146"' in buyer
    [mail] = [m for m in outbox(app) if "JD0146" in m.get_body(("plain",)).get_content()]
    assert DHL + "JD0146" in mail.get_body(("plain",)).get_content()
    assert f'href="{DHL_HREF}JD0146"' in mail.get_body(("html",)).get_content()


def test_a_carrier_typed_by_hand_without_a_page_shows_the_number_alone(
    app, signed_in, order
) -> None:
    act(signed_in, order, "packed")
    act(signed_in, order, "shipped", carrier="Kurir Lapas", tracking_number="KL-9")
    buyer = app.test_client().get(f"/orders/{order.token}").get_data(as_text=True)
    assert "KL-9" in buyer and "Follow the parcel" not in buyer


def post(client, path: str, **data):
    token = csrf_from(client.get("/admin/carriers").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def test_staff_add_edit_and_remove_a_carrier(signed_in) -> None:
    response = post(signed_in, "/admin/carriers", **{
        "new-name": "JNE", "new-tracking_url": "https://jne.example/track/{number}"})  # fmt: skip
    assert response.status_code == 303
    jne = db.session.scalar(select(Carrier).where(Carrier.name == "JNE"))
    assert carriers.tracking_link("JNE", "A1") == "https://jne.example/track/A1"

    response = post(signed_in, f"/admin/carriers/{jne.id}", **{
        f"c{jne.id}-name": "JNE Express", f"c{jne.id}-tracking_url": ""})  # fmt: skip
    assert response.status_code == 303
    assert carriers.tracking_link("JNE Express", "A1") == ""

    assert post(signed_in, f"/admin/carriers/{jne.id}/delete").status_code == 303
    assert db.session.get(Carrier, jne.id) is None
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"carrier.created", "carrier.updated", "carrier.deleted"} <= actions


@pytest.mark.parametrize(
    ("name", "url", "message"),
    [
        ("", "", "Enter the carrier"),
        ("DHL express", "", "There is already a carrier with this name."),
        ("JNE", "http://jne.example/{number}", "Enter an https:// address with {number}"),
        ("JNE", "https://jne.example/track", "Enter an https:// address with {number}"),
        ("JNE", "javascript:alert(1)//{number}", "Enter an https:// address with {number}"),
        ("x" * 81, "", "Use at most 80 characters."),
        ("JNE", "https://jne.example/" + "a" * 300 + "{number}", "Use at most 300 characters."),
    ],
)
def test_bad_carriers_are_explained_and_change_nothing(signed_in, name, url, message) -> None:
    before = db.session.scalar(select(func.count()).select_from(Carrier))
    response = post(signed_in, "/admin/carriers", **{"new-name": name, "new-tracking_url": url})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Carrier)) == before


def test_carriers_need_staff_and_a_form_token(app, client, signed_in) -> None:
    assert app.test_client().get("/admin/carriers").status_code == 302
    response = signed_in.post("/admin/carriers", data={"new-name": "JNE"})
    assert response.status_code == 400  # no form token
    assert db.session.scalar(select(Carrier).where(Carrier.name == "JNE")) is None
    assert post(signed_in, "/admin/carriers/99999/delete").status_code == 404


def test_two_staff_adding_the_same_carrier_at_once_get_one_carrier_and_a_message(
    app, staff_user
) -> None:
    from tests.races import run_together

    staff_id = staff_user.id

    def add() -> str:
        from shop.models import User

        try:
            carriers.save(None, "JNE", "", db.session.get(User, staff_id))
        except carriers.CarrierProblem as problem:
            return problem.reason
        return "saved"

    results = run_together(app, add, add)
    assert sorted(r.value for r in results) == ["saved", "taken"]
    assert db.session.scalar(select(func.count()).where(Carrier.name == "JNE")) == 1
