"""CSV downloads through a real HTTP server, where no app context outlives the view."""

from __future__ import annotations

import csv
import http.cookiejar
import io
import re
import urllib.parse
import urllib.request
import uuid

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import Role, Variant
from shop.services.accounts import staff as users
from tests.order_factories import make_order

PASSWORD = "a long enough password"


@pytest.fixture
def staff_opener(live_app, live_server):
    """A urllib opener signed in to the back office of the live server."""
    email = f"csv-{uuid.uuid4().hex[:8]}@example.com"
    with live_app.app_context():
        users.create_user(email, PASSWORD, role=Role.STAFF)
        variant = db.session.scalars(select(Variant).where(Variant.stock >= 1)).first()
        make_order(variant, quantity=1)
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(live_server + "/admin/login") as response:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode())
    form = {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    opener.open(live_server + "/admin/login", urllib.parse.urlencode(form).encode()).close()
    return opener


@pytest.mark.parametrize(
    ("path", "first_column"),
    [
        ("/admin/orders/export.csv", "number"),
        ("/admin/catalog/export.csv", "product_slug"),
        ("/admin/reports/revenue-split.csv", None),
    ],
)
def test_csv_downloads_arrive_whole(staff_opener, live_server, path, first_column) -> None:
    with staff_opener.open(live_server + path) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        text = response.read().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) >= 2, text
    if first_column:
        assert rows[0][0] == first_column
