"""Hostile input for the route walker: path values, query strings and bodies, the checks every
answer to them must pass, and the shop they are thrown at (one of everything, three visitors)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from shop.extensions import db
from shop.models import Role
from shop.services import pages
from shop.services.accounts import addresses, customers
from shop.services.accounts import staff as users
from shop.services.quotes import requests as quotes
from shop.services.quotes.files import Upload
from tests.conftest import PASSWORD
from tests.factories import TODAY, csrf_from, make_product, png_bytes, shop_with_stock
from tests.order_factories import make_order

# Text for a path segment (percent-encoded before sending), and escapes sent exactly as written.
TEXT_VALUES: list[tuple[str, str]] = [
    ("zero", "0"),
    ("minus-one", "-1"),
    ("2**31", str(2**31)),
    ("2**63", str(2**63)),
    ("2**64", str(2**64)),
    ("10**30", str(10**30)),
    ("1e9", "1e9"),
    ("0x10", "0x10"),
    ("abc", "abc"),
    ("sql", "1;DROP TABLE"),
    ("percent-00-text", "%00"),
    ("nul", "\x00"),
    ("rtl-override", "\u202e"),
    ("dot-dot", "../../etc/passwd"),
    ("10000-a", "a" * 10_000),
    ("u-umlaut", "ü"),
    ("emoji", "\U0001f6eb"),
    ("5000-digits", "9" * 5000),
]
RAW_VALUES: list[tuple[str, str]] = [
    ("invalid-utf8-c328", "%C3%28"),
    ("invalid-utf8-ff", "%FF"),
    ("raw-dot-dot", "../../etc/passwd"),
]
PATH_VALUES: list[tuple[str, str]] = [(label, quote(text, safe="")) for label, text in TEXT_VALUES]
PATH_VALUES += RAW_VALUES

HOSTILE_QUERIES = [
    "page=99999999999999999999",
    "page=-1",
    "page=abc",
    "page=0",
    "page=1e9",
    "page=" + "9" * 5000,
    "page=1&page=abc&page=-5",
    "per_page=0",
    "per_page=-1",
    "per_page=99999999999999999999",
    "lang=xx",
    "to=zz",
    "w=99999999999999999999",
    "status=%00",
    "sort=%C3%28",
    "q=" + "a" * 10_000,
    "date_from=9999-99-99&date_to=0000-00-00",
    "next=//evil.example/%0d%0aSet-Cookie:x=1",
    "%FF=%FF",
]

ODD_METHODS = ("PUT", "DELETE", "PATCH")
# For form fields: the path values that behave differently in a form, and a few more.
FORM_LABELS = {"zero", "minus-one", "2**31", "2**63", "10**30", "1e9", "0x10", "abc", "sql",
               "nul", "10000-a", "emoji", "5000-digits"}  # fmt: skip
FORM_VALUES = [(label, value) for label, value in TEXT_VALUES if label in FORM_LABELS] + [
    ("control-characters", "a\x00b\x01\x1b[31m\x7f\u202e\ufeff"),
    ("NaN", "NaN"),
    ("minus-inf", "-inf"),
    ("fraction", "1.5"),
    ("blank", " "),
    ("february-30", "2026-02-30"),
]


def rule_path(rule: Rule, values: dict[str, str]) -> str:
    """The rule's path with each variable replaced by its (already encoded) value."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)


def form_field_names() -> list[str]:
    """Every field name of every form in the shop."""
    from flask_wtf import FlaskForm
    from wtforms.fields.core import UnboundField

    names: set[str] = set()
    todo: list[type] = [FlaskForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        names.update(n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField))
    names.discard("csrf_token")
    return sorted(names)


BODY_LABELS = [
    "json-object", "json-list", "json-number", "json-broken", "multipart-files", "repeated",
    "overlong", "invalid-utf8", "invalid-utf8-multipart", "multipart-without-boundary",
    "unknown-charset", "gzip-claimed",
] + [f"every-field={label}" for label, _ in FORM_VALUES]  # fmt: skip
JSON = "application/json"


def _raw_multipart(fields: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "hostile-boundary-7d1f"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in fields
    ]
    return b"".join(
        parts
    ) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def body(label: str, names: list[str], csrf: str) -> dict[str, Any]:
    """The test client's arguments for one hostile body filling every form field of the shop."""
    token = {"csrf_token": csrf}
    headers = {"X-CSRFToken": csrf}
    if label.startswith("every-field="):
        value = dict(FORM_VALUES)[label.split("=", 1)[1]]
        return {"data": {name: value for name in names} | token}
    if label == "json-object":
        nested = {name: {"a": [1, {"b": None}]} for name in names}
        return {"data": json.dumps(nested | token), "headers": headers, "content_type": JSON}
    if label.startswith("json-"):
        text = {"json-list": "[1, 2, [3]]", "json-number": "1e999", "json-broken": '{"a": '}
        return {"data": text[label], "headers": headers, "content_type": JSON}
    if label == "multipart-files":
        png = b"\x89PNG\r\n\x1a\n" + b"x" * 64
        files = {name: (io.BytesIO(png), "x.png") for name in names}
        return {"data": files | token, "content_type": "multipart/form-data"}
    if label == "repeated":
        pairs = [(name, v) for name in names for v in ("1", "x", "-1")]
        return {"data": MultiDict([*pairs, ("csrf_token", csrf)])}
    if label == "overlong":
        return {"data": {name: "a" * 2_500 for name in names} | token}
    bad = b"%C3%28%FF\xff\xfe"
    if label == "invalid-utf8":
        data = b"&".join(name.encode() + b"=" + bad for name in names)
        return {"data": data + b"&csrf_token=" + csrf.encode(),
                "content_type": "application/x-www-form-urlencoded"}  # fmt: skip
    if label == "multipart-without-boundary":
        return {"data": b"--x\r\nnot a part", "content_type": "multipart/form-data"}
    if label == "unknown-charset":
        data = b"&".join(name.encode() + b"=%E9t%E9" for name in names)
        return {"data": data + b"&csrf_token=" + csrf.encode(),
                "content_type": "application/x-www-form-urlencoded; charset=x-klingon"}  # fmt: skip
    if label == "gzip-claimed":
        return {"data": b"csrf_token=" + csrf.encode(), "headers": {"Content-Encoding": "gzip"},
                "content_type": "application/x-www-form-urlencoded"}  # fmt: skip
    assert label == "invalid-utf8-multipart", label
    fields = [(name, b"\xff\xfe\xc3(") for name in names] + [("csrf_token", csrf.encode())]
    data, content_type = _raw_multipart(fields)
    return {"data": data, "content_type": content_type}


def row_counts() -> dict[str, int]:
    """How many rows every table holds, in one statement."""
    tables = db.metadata.sorted_tables
    counts = [select(func.count()).select_from(t).scalar_subquery() for t in tables]
    row = db.session.execute(select(*counts)).one()
    db.session.rollback()
    return {table.name: count for table, count in zip(tables, row, strict=True)}


def changed_rows(before: dict[str, int], after: dict[str, int]) -> dict[str, str]:
    """The tables whose counts differ: {"cart": "0 -> 1"}."""
    return {k: f"{before[k]} -> {after[k]}" for k in before if before[k] != after[k]}


def problem(response: Any, wants_json: bool) -> str | None:
    """Why an answer to hostile input is wrong, or None: no 5xx, and a 4xx says what happened
    in the form the client asked for."""
    code = response.status_code
    if code >= 500:
        return f"answered {code}" + (f" ({response.error})" if hasattr(response, "error") else "")
    if code < 400:
        return None
    body = response.get_data()
    if response.is_json:
        message = (response.get_json(silent=True) or {}).get("error")
        return None if isinstance(message, str) and message.strip() else "JSON without a message"
    if wants_json and code != 422:
        return f"answered {code} as {response.mimetype}, not JSON"
    if response.mimetype == "text/html" and b"<h1" in body:
        return None
    if code == 422 and b"<form" in body:
        return None
    return f"answered {code} without a message ({response.mimetype}, {len(body)} bytes)"


# --- The shop under attack -------------------------------------------------------------------

BUYER_PASSWORD = "quiet harbour lantern 4821"


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


def sign_in_admin(client: FlaskClient) -> str:
    """Sign the back office's admin in through the form; return a form token of the session."""
    page = client.get("/admin/login").get_data(as_text=True)
    data = {"email": "admin@example.com", "password": PASSWORD, "csrf_token": csrf_from(page)}
    assert client.post("/admin/login", data=data).status_code in (302, 303)
    return csrf_from(client.get("/admin/").get_data(as_text=True))


def sign_in_buyer(client: FlaskClient) -> str:
    """Sign the buyer in through the form; return a form token of the session."""
    page = client.get("/account/login").get_data(as_text=True)
    data = {"email": "buyer@example.com", "password": BUYER_PASSWORD, "csrf_token": csrf_from(page)}
    assert client.post("/account/login", data=data).status_code in (302, 303)
    return csrf_from(client.get("/account").get_data(as_text=True))


def seed(app: Flask) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
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
    pages.install_defaults()
    terms = pages.find_page(1)
    photo = pictured.photos[0]
    valid = {
        "product_id": str(product.id), "variant_id": str(variant.id),
        "photo_id": str(photo.id), "category_id": str(product.category_id),
        "workshop_id": str(product.workshop_id), "order_id": str(order.id),
        "quote_id": str(quote.id), "file_id": str(quote.files[0].id),
        "user_id": str(staff.id), "address_id": str(address.id), "line_id": "1",
        "slug": product.slug, "token": quote.token, "code": "en",
        "name": f"{photo.image_key}-320.webp", "session_id": "cs_demo_1",
        "filename": "css/site.css", "page_id": str(terms.id),
        "version_id": str(pages.history(terms)[-1].id),
    }  # fmt: skip
    by_endpoint = {
        ("catalog.workshop_detail", "slug"): product.workshop.slug,
        ("orders.show", "token"): order.token,
        ("checkout.done", "token"): order.token,
        ("pages.show", "slug"): "shipping",
        # Deleting works on spares, so the forms after it still find what they edit.
        ("admin.product_delete", "product_id"): str(spare.id),
        ("admin.photo_delete", "photo_id"): str(pictured.photos[1].id),
        ("account.address_delete", "address_id"): str(spare_address.id),
    }
    assert admin.id and buyer.id
    return valid, by_endpoint
