"""Every back-office URL in the app's URL map is closed to visitors and to the wrong role.

The tests walk `app.url_map`, so a route added later is checked without anyone listing it.
A new admin-only route must be added to ADMIN_ONLY; a new URL parameter needs a sample value.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, url_for
from werkzeug.routing import Rule

PUBLIC = {"admin.login", "admin.login_code", "admin.forgot_password", "admin.reset_password"}
ADMIN_ONLY = {
    "admin.staff_accounts",
    "admin.set_account_active",
    "admin.send_password_reset",
    "admin.reset_two_factor",
    "admin.audit_log",
    "admin.revenue_split_rates",
    "admin.record_payout",
    "admin.payout_receipt",
    "admin.approve_month",
}


def admin_rules(app: Flask) -> list[Rule]:
    """Rules of the admin blueprint, and any other rule mounted under /admin."""
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin.") or rule.rule.startswith("/admin")
    ]
    return sorted(rules, key=lambda rule: rule.rule)


def guarded_rules(app: Flask) -> list[Rule]:
    """Admin rules that need a signed-in account."""
    return [rule for rule in admin_rules(app) if rule.endpoint not in PUBLIC]


def method_of(rule: Rule) -> str:
    """GET for pages, else the rule's one other method (POST for forms)."""
    methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
    return "GET" if "GET" in methods else sorted(methods)[0]


def url_of(app: Flask, rule: Rule, samples: dict[str, Any]) -> str:
    """Build the rule's URL, filling each parameter from `samples`."""
    missing = set(rule.arguments) - samples.keys()
    assert not missing, f"add a sample value for {sorted(missing)} used by {rule.endpoint}"
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: samples[name] for name in rule.arguments})


@pytest.fixture
def samples(staff_user: Any) -> dict[str, Any]:
    """Valid values for URL parameters of admin routes."""
    from shop.extensions import db
    from shop.gateways.mail import MailMessage
    from shop.models import SearchSynonym
    from shop.services.ordering import carriers
    from shop.services.outbox import queue
    from tests.factories import make_product, shop_with_stock
    from tests.order_factories import make_order

    product = shop_with_stock(stock=5)
    order = make_order(product.variants[0])
    pictured = make_product(
        "Batik tray", category=product.category, workshop=product.workshop, photos=1
    )
    db.session.commit()
    quote = _quote_with_a_file()
    mail = queue.record(db.session, MailMessage(to="aiko@example.jp", subject="Hi", text="Hello"))
    db.session.commit()
    carriers.install_defaults()
    synonym = SearchSynonym(term="plane", expansion="aircraft")
    db.session.add(synonym)
    db.session.commit()
    from tests.discount_helpers import make_code

    discount = make_code("GARUDA10")
    from shop.services import pages

    pages.install_defaults()
    terms = pages.find_page(1)
    payout = _payout_with_a_receipt(product.workshop_id, staff_user)
    return {
        "payout_id": payout.id,
        "page_id": terms.id,
        "version_id": pages.history(terms)[-1].id,
        "carrier_id": carriers.all_carriers()[0].id,
        "synonym_id": synonym.id,
        "code_id": discount.id,
        "user_id": staff_user.id,
        "order_id": order.id,
        "product_id": product.id,
        "variant_id": product.variants[0].id,
        "photo_id": pictured.photos[0].id,
        "category_id": product.category_id,
        "workshop_id": product.workshop_id,
        "quote_id": quote.id,
        "file_id": quote.files[0].id,
        "token": "not-a-real-reset-token",
        "kind": "packing-slips",
        "mail_id": mail.id,
    }


def _quote_with_a_file() -> Any:
    """A quote request with one reference picture, so its file route has something to send."""
    from datetime import UTC, datetime, timedelta

    from flask import current_app

    from shop.extensions import db
    from shop.services.ordering import shipping
    from shop.services.quotes import requests as quotes
    from shop.services.quotes.files import Upload
    from tests.factories import png_bytes

    shipping.install_default_zones()
    db.session.commit()
    details = quotes.RequestDetails(
        organisation="Garuda Indonesia", contact_name="Sari", email="sari@example.co.id",
        phone="", country="ID", aircraft_type="Boeing 737-800", livery="Nature", scale="1:100",
        quantity=50, wanted_by=datetime.now(UTC).date() + timedelta(days=90),
    )  # fmt: skip
    storage = current_app.extensions["private_media"]
    return quotes.create_request(details, [Upload("livery.png", png_bytes())], storage, locale="en")


def _payout_with_a_receipt(workshop_id: int, actor: Any) -> Any:
    """A wage payout with a receipt scan, so its receipt route has something to send."""
    from datetime import date

    from flask import current_app

    from shop.services.impact import payouts
    from shop.services.quotes.files import Upload
    from tests.factories import png_bytes

    details = payouts.PayoutDetails(workshop_id, date(2026, 1, 1), date(2026, 2, 3), 1000, "TRF-1")
    storage = current_app.extensions["private_media"]
    receipt = Upload("receipt.png", png_bytes())
    return payouts.record_payout(details, receipt, storage, actor, date(2026, 3, 1))


@pytest.fixture
def no_csrf(app: Flask) -> None:
    """Let bare POSTs reach the access checks (CSRF has tests of its own)."""
    app.config["WTF_CSRF_ENABLED"] = False


def test_the_admin_area_has_routes_to_check(app) -> None:
    endpoints = {rule.endpoint for rule in admin_rules(app)}
    assert {"admin.login", "admin.logout", "admin.dashboard"} | ADMIN_ONLY <= endpoints


def test_every_admin_url_sends_anonymous_visitors_to_sign_in(app, client, samples, no_csrf) -> None:
    for rule in guarded_rules(app):
        url = url_of(app, rule, samples)
        method = method_of(rule)
        response = client.open(url, method=method)
        assert response.status_code == 302, f"{method} {url} answered {response.status_code}"
        location = urlsplit(response.headers["Location"])
        assert location.path == "/admin/login", f"{method} {url} went to {location.path}"
        if method == "GET":
            assert parse_qs(location.query)["next"] == [url]


def test_routes_for_admins_refuse_staff_and_the_rest_admit_them(
    app, client, auth, staff_user, samples, no_csrf
) -> None:
    refused = set()
    for rule in guarded_rules(app):
        auth.login(staff_user.email)  # again each time: a POST to logout signs out
        # `with`: a file download streams from an open file until the response is closed.
        with client.open(url_of(app, rule, samples), method=method_of(rule)) as response:
            pass
        assert response.status_code < 500, rule.endpoint
        assert response.status_code != 302 or "/admin/login" not in response.headers["Location"]
        if response.status_code == 403:
            refused.add(rule.endpoint)
    assert refused == ADMIN_ONLY


def test_admins_open_every_admin_page(app, client, auth, admin_user, samples, no_csrf) -> None:
    auth.login(admin_user.email)
    for rule in guarded_rules(app):
        if method_of(rule) != "GET":
            continue
        with client.get(url_of(app, rule, samples)) as response:
            assert response.status_code == 200, f"{rule.rule} answered {response.status_code}"


def test_staff_see_a_403_page_in_the_back_office_layout(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    response = client.get("/admin/users")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "You don&#39;t have access to this page" in page
    assert "css/admin.css" in page


def test_staff_get_no_link_to_staff_accounts(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    assert "/admin/users" not in client.get("/admin/").get_data(as_text=True)


def test_a_route_under_admin_on_another_blueprint_is_checked_too(app) -> None:
    app.add_url_rule("/admin/sneaky", "sneaky", lambda: "open")
    assert "/admin/sneaky" in [rule.rule for rule in guarded_rules(app)]


def test_back_office_pages_are_never_cached(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    assert client.get("/admin/").headers["Cache-Control"] == "no-store"
    assert client.get("/admin/login").headers["Cache-Control"] == "no-store"
