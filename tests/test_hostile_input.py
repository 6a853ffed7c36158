"""Every route, every method, hostile path values, query strings and bodies: never a 5xx.

The walker builds its requests from `app.url_map`, so a new route is covered the day it is
added. Answers must be below 500; a 4xx says what happened, as JSON when the client asked for
JSON; and requests that must be refused write nothing (row counts of every table compared).
One app and database serve the whole module, so the few thousand requests take seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter, Rule

from shop.converters import MAX_ID
from shop.extensions import db
from tests.conftest import build_app
from tests.factories import csrf_from
from tests.hostile import (
    BODY_LABELS,
    HOSTILE_QUERIES,
    ODD_METHODS,
    PATH_VALUES,
    Shop,
    body,
    changed_rows,
    form_field_names,
    problem,
    row_counts,
    rule_path,
    seed,
    sign_in_admin,
    sign_in_buyer,
)

SIGN_OUTS = {"admin.logout", "account.logout"}
FORGED_KINDS = ("json-object", "multipart-files", "repeated", "invalid-utf8", "every-field=abc")


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
        valid, by_endpoint = seed(app)
        clients = {name: app.test_client() for name in ("anonymous", "admin", "buyer")}
        tokens = {
            "anonymous": csrf_from(clients["anonymous"].get("/quote").get_data(as_text=True)),
            "admin": sign_in_admin(clients["admin"]),
            "buyer": sign_in_buyer(clients["buyer"]),
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
        sign_in = sign_in_admin if who == "admin" else sign_in_buyer
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


COOKIE_VALUES = ["xx", "ZZ", "\u202e", "a" * 4000, "%FF%00", '{"a": [1]}', "x.y.z"]


@pytest.mark.parametrize("value", COOKIE_VALUES, ids=[v[:10] for v in COOKIE_VALUES])
def test_hostile_cookies_never_fail(shop: Shop, value: str) -> None:
    client = shop.app.test_client()  # a visitor of its own: the cookies replace the session
    for name in ("lang", "cur", "session"):
        client.set_cookie(name, value)
    failures = []
    for rule in _rules(shop.app):
        if "GET" not in (rule.methods or ()) or rule.endpoint in ("checkout.cancel", "static"):
            continue
        path = rule_path(rule, {n: shop.value(rule, n) for n in rule.arguments})
        wrong = problem(_send(client, "GET", path), False)
        if wrong:
            failures.append(f"GET {path} with cookies {value[:20]!r}: {wrong}")
    assert not failures, "\n".join(failures)


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


def test_page_numbers_are_clamped_in_one_place(shop: Shop) -> None:
    from shop.converters import MAX_PAGE, page_number

    assert [page_number(t) for t in ("3", "0", "-7", "99999999999999999999")] == [3, 1, 1, MAX_PAGE]
    for text in ("abc", "1e9", "", "9" * 5000):
        with pytest.raises(ValueError):
            page_number(text)
    page = shop.clients["admin"].get("/admin/orders?page=99999999999999999999")
    assert page.status_code == 200
