"""Every route, every method, hostile path values, query strings and bodies: never a 5xx.

The walker builds its requests from `app.url_map`, so a new route is covered the day it is
added. Answers must be below 500; a 4xx says what happened, as JSON when the client asked for
JSON; and requests that must be refused write nothing (row counts of every table compared).
One app and database serve the whole module, so the few thousand requests take seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter, Rule

from shop.converters import MAX_ID
from shop.extensions import db
from shop.models import Role
from shop.services.accounts import addresses, customers
from shop.services.accounts import staff as users
from shop.services.quotes import requests as quotes
from shop.services.quotes.files import Upload
from tests.conftest import PASSWORD, build_app
from tests.factories import TODAY, csrf_from, make_product, png_bytes, shop_with_stock
from tests.hostile import (
    BODY_LABELS,
    HOSTILE_QUERIES,
    ODD_METHODS,
    PATH_VALUES,
    body,
    changed_rows,
    form_field_names,
    problem,
    row_counts,
    rule_path,
)
from tests.order_factories import make_order

BUYER_PASSWORD = "quiet harbour lantern 4821"
SIGN_OUTS = {"admin.logout", "account.logout"}
FORGED_KINDS = ("json-object", "multipart-files", "repeated", "invalid-utf8", "every-field=abc")


@dataclass
class Shop:
    """The app, one client per identity, and a valid value for every path variable."""

    app: Flask
    clients: dict[str, FlaskClient]
    tokens: dict[str, str]
    valid: dict[str, str]
    by_endpoint: dict[tuple[str, str], str] = field(default_factory=dict)

    def value(self, rule: Rule, name: str) -> str:
        """A value of the variable that leads somewhere real."""
        return self.by_endpoint.get((rule.endpoint, name)) or self.valid.get(name, "1")

    def identities(self, rule: Rule) -> list[str]:
        """Who knocks: anonymous everywhere, and the signed-in owner of the area."""
        if rule.rule.startswith("/admin"):
            return ["anonymous", "admin"]
        if rule.rule.startswith("/account"):
            return ["anonymous", "buyer"]
        return ["anonymous"]


def _sign_in_admin(client: FlaskClient) -> str:
    page = client.get("/admin/login").get_data(as_text=True)
    data = {"email": "admin@example.com", "password": PASSWORD, "csrf_token": csrf_from(page)}
    assert client.post("/admin/login", data=data).status_code in (302, 303)
    return csrf_from(client.get("/admin/").get_data(as_text=True))


def _sign_in_buyer(client: FlaskClient) -> str:
    page = client.get("/account/login").get_data(as_text=True)
    data = {"email": "buyer@example.com", "password": BUYER_PASSWORD, "csrf_token": csrf_from(page)}
    assert client.post("/account/login", data=data).status_code in (302, 303)
    return csrf_from(client.get("/account").get_data(as_text=True))


def _seed(app: Flask) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """One of everything a path can name; returns valid path values."""
    product = shop_with_stock()
    variant = product.variants[0]
    pictured = make_product("Lamp", category=product.category, workshop=product.workshop, photos=2)
    spare = make_product("Stool", category=product.category, workshop=product.workshop)
    order = make_order(variant, quantity=1)
    admin = users.create_user("admin@example.com", PASSWORD, role=Role.ADMIN)
    staff = users.create_user("staff@example.com", PASSWORD, role=Role.STAFF)
    buyer = customers.register("buyer@example.com", BUYER_PASSWORD)
    home = addresses.AddressDetails(name="Aiko", line1="1-2-3", city="Tokyo", country="JP")
    address, spare_address = (addresses.add_address(buyer, home) for _ in range(2))
    details = quotes.RequestDetails(
        organisation="Example Air", contact_name="Sari", email="sari@air.example", phone="",
        country="JP", aircraft_type="Boeing 737-800", livery="Blue", scale="1:100",
        quantity=10, wanted_by=TODAY + timedelta(days=60),
    )  # fmt: skip
    quote = quotes.create_request(
        details, [Upload("livery.png", png_bytes())], app.extensions["private_media"],
        locale="en",
    )  # fmt: skip
    db.session.commit()
    photo = pictured.photos[0]
    valid = {
        "product_id": str(product.id), "variant_id": str(variant.id),
        "photo_id": str(photo.id), "category_id": str(product.category_id),
        "workshop_id": str(product.workshop_id), "order_id": str(order.id),
        "quote_id": str(quote.id), "file_id": str(quote.files[0].id),
        "user_id": str(staff.id), "address_id": str(address.id), "line_id": "1",
        "slug": product.slug, "token": quote.token, "code": "en",
        "name": f"{photo.image_key}-320.webp", "session_id": "cs_demo_1",
        "filename": "css/site.css",
    }  # fmt: skip
    by_endpoint = {
        ("catalog.workshop_detail", "slug"): product.workshop.slug,
        ("orders.show", "token"): order.token,
        ("checkout.done", "token"): order.token,
        # Deleting works on spares, so the forms after it still find what they edit.
        ("admin.product_delete", "product_id"): str(spare.id),
        ("admin.photo_delete", "photo_id"): str(pictured.photos[1].id),
        ("account.address_delete", "address_id"): str(spare_address.id),
    }
    assert admin.id and buyer.id
    return valid, by_endpoint


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, postgres_schema_ready: bool) -> Iterator[Shop]:
    """One app for the module: a fresh database with one of everything, three clients."""
    building = build_app(
        tmp_path_factory.mktemp("hostile"), RATELIMIT_ENABLED=False, STAFF_2FA_REQUIRED=False
    )
    app = next(building)
    # The fixture's app context outlives requests: start each request with an empty `g`,
    # as a server does (Flask-Login and the buyer's session keep their user there).
    app.teardown_request(lambda error: g.__dict__.clear())
    try:
        valid, by_endpoint = _seed(app)
        clients = {name: app.test_client() for name in ("anonymous", "admin", "buyer")}
        tokens = {
            "anonymous": csrf_from(clients["anonymous"].get("/quote").get_data(as_text=True)),
            "admin": _sign_in_admin(clients["admin"]),
            "buyer": _sign_in_buyer(clients["buyer"]),
        }
        yield Shop(app, clients, tokens, valid, by_endpoint)
    finally:
        next(building, None)


def _rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


class Crashed:
    """What a request that raised (the app's tests propagate errors) is recorded as."""

    def __init__(self, error: Exception) -> None:
        self.status_code = 500
        self.error = f"{type(error).__name__}: {str(error)[:200]}"


def _send(client: FlaskClient, method: str, url: str, *, json: bool = False, **kw: Any) -> Any:
    headers = kw.pop("headers", {}) | {"Accept": "application/json" if json else "text/html"}
    try:
        response = client.open(url, method=method, headers=headers, **kw)
    except Exception as error:  # noqa: BLE001 - every crash is a finding, with its message
        db.session.rollback()
        return Crashed(error)
    response.get_data()  # read whole, so the file a download streams can be closed
    response.close()
    return response


def _still_signed_in(shop: Shop, who: str) -> None:
    """Sign in again if a request signed the identity out (or switched the account off)."""
    if who == "anonymous":
        return
    home = "/admin/" if who == "admin" else "/account"
    if shop.clients[who].get(home).status_code != 200:
        sign_in = _sign_in_admin if who == "admin" else _sign_in_buyer
        shop.tokens[who] = sign_in(shop.clients[who])


# --- The URL map ----------------------------------------------------------------------------


def test_every_id_in_the_url_map_fits_a_database_integer(shop: Shop) -> None:
    loose = [
        f"{rule.rule} <{name}>"
        for rule in shop.app.url_map.iter_rules()
        for name, converter in rule._converters.items()
        if isinstance(converter, IntegerConverter)
        and not (converter.min == 1 and converter.max is not None and converter.max <= MAX_ID)
    ]
    assert not loose, "ids without bounds: " + ", ".join(loose)


# --- Hostile path values --------------------------------------------------------------------


@pytest.mark.parametrize(("label", "value"), PATH_VALUES, ids=[v[0] for v in PATH_VALUES])
def test_hostile_path_values_are_refused_without_writing(
    shop: Shop, label: str, value: str
) -> None:
    failures = []
    as_json = PATH_VALUES.index((label, value)) % 2 == 1  # every other value asks for JSON
    before = row_counts()
    for rule in _rules(shop.app):
        for name in rule.arguments:
            path = rule_path(rule, {n: shop.value(rule, n) for n in rule.arguments} | {name: value})
            for who in shop.identities(rule):
                for method in _methods(rule):
                    # A form token of the visitor's session, so forms get past the CSRF check.
                    form = {} if method == "GET" else {"data": {"csrf_token": shop.tokens[who]}}
                    response = _send(shop.clients[who], method, path, json=as_json, **form)
                    wrong = problem(response, as_json)
                    if wrong:
                        failures.append(f"{who} {method} {path[:120]}: {wrong}")
    changed = changed_rows(before, row_counts())
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures)
    assert not changed, f"requests with {label} in the path wrote rows: {changed}"


# --- Odd methods and query strings ------------------------------------------------------------


def test_odd_methods_are_refused_with_405(shop: Shop) -> None:
    failures = []
    for rule in _rules(shop.app):
        path = rule_path(rule, {n: shop.value(rule, n) for n in rule.arguments})
        for method in ODD_METHODS:
            if method in (rule.methods or ()):
                continue
            for as_json in (False, True):
                response = _send(shop.clients["anonymous"], method, path, json=as_json)
                wrong = problem(response, as_json)
                if response.status_code == 405 and not response.headers.get("Allow"):
                    wrong = "405 without Allow"
                if wrong:
                    failures.append(f"{method} {path}: {wrong}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=[q[:30] for q in HOSTILE_QUERIES])
def test_hostile_query_strings_never_fail(shop: Shop, query: str) -> None:
    failures = []
    before = row_counts()
    for rule in _rules(shop.app):
        if "GET" not in (rule.methods or ()) or rule.endpoint in ("checkout.cancel", "static"):
            continue  # leaving the payment page cancels the order: a write by design
        path = rule_path(rule, {n: shop.value(rule, n) for n in rule.arguments})
        for who in shop.identities(rule):
            response = _send(shop.clients[who], "GET", f"{path}?{query}")
            wrong = problem(response, False)
            if wrong:
                failures.append(f"{who} GET {path}?{query[:60]}: {wrong}")
    assert not failures, "\n".join(failures)
    assert not changed_rows(before, row_counts()), "a page view wrote rows"


# --- Hostile bodies -------------------------------------------------------------------------


@pytest.mark.parametrize("label", BODY_LABELS)
def test_hostile_bodies_never_fail(shop: Shop, label: str) -> None:
    names = form_field_names()
    failures = []
    for rule in _rules(shop.app):
        if "POST" not in (rule.methods or ()) or rule.endpoint in SIGN_OUTS:
            continue
        path = rule_path(rule, {n: shop.value(rule, n) for n in rule.arguments})
        who = shop.identities(rule)[-1]  # the area's own visitor gets furthest
        response = _send(shop.clients[who], "POST", path, **body(label, names, shop.tokens[who]))
        wrong = problem(response, False)
        if wrong:
            failures.append(f"{who} POST {path}: {wrong}")
        if 300 <= response.status_code < 400:  # signing out (or off) answers with a redirect
            _still_signed_in(shop, who)
    assert not failures, f"{label}:\n" + "\n".join(failures)


def test_hostile_bodies_without_a_form_token_write_nothing(shop: Shop) -> None:
    names = form_field_names()
    failures = []
    before = row_counts()
    for rule in _rules(shop.app):
        if "POST" not in (rule.methods or ()):
            continue
        path = rule_path(rule, {n: shop.value(rule, n) for n in rule.arguments})
        for label in FORGED_KINDS:
            forged = body(label, names, "forged")
            forged.pop("headers", None)
            response = _send(shop.clients["anonymous"], "POST", path, **forged)
            if response.status_code >= 500 or response.status_code < 300:
                failures.append(f"POST {path} ({label}): answered {response.status_code}")
    assert not failures, "\n".join(failures)
    assert not changed_rows(before, row_counts()), "a forged form wrote rows"


def test_a_json_body_is_refused_with_a_clear_message(shop: Shop) -> None:
    client = shop.clients["anonymous"]
    token = shop.tokens["anonymous"]
    response = client.post(
        "/cart/add",
        json={"variant": ["x"], "quantity": {"a": 1}, "csrf_token": token},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert response.status_code == 415
    assert response.get_json()["error"].startswith("This address takes a web form, not JSON")


def test_errors_answer_json_when_asked_and_a_page_otherwise(shop: Shop) -> None:
    client = shop.clients["anonymous"]
    missing = client.get("/products/no-such-thing", headers={"Accept": "application/json"})
    assert missing.status_code == 404 and missing.get_json()["status"] == 404
    page = client.get("/products/no-such-thing", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    wrong_method = client.put("/cart", headers={"Accept": "text/html"})
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["Allow"]
    assert "does not take that kind of request" in wrong_method.get_data(as_text=True)
    admin = shop.clients["admin"].get(
        "/admin/orders/2147483647", headers={"Accept": "application/json"}
    )
    assert admin.status_code == 404 and admin.is_json


def test_an_id_past_the_database_integer_is_not_found(shop: Shop) -> None:
    admin = shop.clients["admin"]
    for value in (2**31, 2**63, 10**30, 0):
        assert admin.get(f"/admin/products/{value}").status_code == 404
    assert admin.get(f"/admin/products/{shop.valid['product_id']}").status_code == 200


def test_a_file_sent_in_place_of_a_text_field_is_a_missing_field(shop: Shop) -> None:
    import io

    client = shop.clients["anonymous"]
    token = shop.tokens["anonymous"]
    data = {"variant": (io.BytesIO(b"SKU"), "sku.txt"), "quantity": "1", "csrf_token": token}
    response = client.post("/cart/add", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    assert re.search(r"/cart$", response.headers["Location"])
