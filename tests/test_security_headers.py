"""HTTPS only once seen, private pages never cached, buyers' files never rendered as the shop."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from sqlalchemy import select

from shop.extensions import db
from shop.http import safe_download_name
from shop.models import Order
from shop.services.quotes.files import Upload
from tests.conftest import build_app
from tests.factories import make_category, make_product, make_workshop, png_bytes, shop_with_stock
from tests.test_admin_quotes import make_quote
from tests.test_cart import add
from tests.test_checkout import checkout

HSTS = "Strict-Transport-Security"
ONE_YEAR = "max-age=31536000; includeSubDomains"
SANDBOX = "sandbox; default-src 'none'"


# --- Strict-Transport-Security --------------------------------------------------------------


def test_https_requests_get_hsts_and_plain_http_in_development_does_not(client) -> None:
    assert client.get("/", base_url="https://localhost").headers[HSTS] == ONE_YEAR
    assert client.get("/healthz", base_url="https://localhost").headers[HSTS] == ONE_YEAR
    assert HSTS not in client.get("/").headers


def test_behind_a_proxy_https_is_seen_through_its_forwarded_scheme(tmp_path) -> None:
    for app in build_app(tmp_path, PROXY_COUNT=1):
        client = app.test_client()
        assert client.get("/", headers={"X-Forwarded-Proto": "https"}).headers[HSTS] == ONE_YEAR
        assert HSTS not in client.get("/", headers={"X-Forwarded-Proto": "http"}).headers


def test_a_shop_whose_address_is_https_always_sends_hsts(tmp_path) -> None:
    for app in build_app(tmp_path, SITE_URL="https://karyabinaan.example"):
        client = app.test_client()
        for path in ("/", "/products", "/no-such-page", "/admin/login"):
            response = client.get(path, base_url="http://karyabinaan.example")
            assert response.headers[HSTS] == ONE_YEAR, path


def test_hsts_can_leave_out_subdomains_or_be_switched_off(tmp_path) -> None:
    for app in build_app(tmp_path, HSTS_INCLUDE_SUBDOMAINS=False, HSTS_MAX_AGE=600):
        https = app.test_client().get("/", base_url="https://localhost")
        assert https.headers[HSTS] == "max-age=600"
        app.config["HSTS_MAX_AGE"] = 0
        assert HSTS not in app.test_client().get("/", base_url="https://localhost").headers


# --- Cache-Control --------------------------------------------------------------------------


@pytest.fixture
def paid_order_pages(app, client) -> dict[str, int]:
    """A buyer's real checkout: the pages it passes through, with the status each should give."""
    from shop.services.ordering.shipping import install_default_zones

    install_default_zones()
    product = shop_with_stock(stock=5)
    db.session.commit()
    add(client, product.variants[0].sku, "1")
    redirect = checkout(client)
    order = db.session.scalar(select(Order))
    quote = make_quote(app)
    return {
        "/cart": 200,
        "/checkout": 200,
        redirect.headers["Location"]: 200,  # the demo payment page
        f"/checkout/done/{order.token}": 200,
        f"/checkout/cancel/{order.token}": 303,  # back to the cart
        f"/orders/{order.token}": 200,
        "/orders/a-guessed-token": 404,
        f"/quote/{quote.token}": 200,
        "/quote/a-guessed-token": 404,
        "/quote": 200,
        "/account/login": 200,
        "/account/register": 200,
        "/account": 302,
        "/admin/login": 200,
        "/admin/": 302,
        "/admin/no-such-page": 404,
    }


def test_every_private_page_says_no_store(client, paid_order_pages) -> None:
    for path, status in paid_order_pages.items():
        response = client.get(path)
        assert response.status_code == status, (path, response.status_code)
        assert response.headers.get("Cache-Control") == "no-store", path


def test_the_back_office_is_never_stored_once_signed_in(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    for path in ("/admin/", "/admin/orders", "/admin/quotes", "/admin/products",
                 "/admin/orders/export.csv", "/admin/no-such-page"):  # fmt: skip
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response.headers.get("Cache-Control") == "no-store", path


def test_public_catalog_pages_stay_cacheable(app, client) -> None:
    make_product("Teak bowl", category=make_category(), workshop=make_workshop(), slug="teak-bowl")
    db.session.commit()
    for path in ("/", "/products", "/products/teak-bowl", "/workshops", "/workshops/woodcraft",
                 "/sitemap.xml", "/robots.txt"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in response.headers.get("Cache-Control", ""), path
    page = client.get("/").get_data(as_text=True)
    css = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    static = client.get(css)
    assert (
        "immutable" in static.headers["Cache-Control"]
        and "public" in static.headers["Cache-Control"]
    )
    static.close()


# --- Buyers' files --------------------------------------------------------------------------


def pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_open_action(JavaScript("app.alert('run by the shop?');"))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def fetch(client, url: str):
    with client.get(url) as response:
        return response.status_code, dict(response.headers), response.data


def assert_sent_as_download(headers: dict[str, str], url: str) -> None:
    assert headers["Content-Disposition"].startswith("attachment; filename="), url
    assert headers["X-Content-Type-Options"] == "nosniff", url
    assert headers["Content-Security-Policy"] == SANDBOX, url
    assert headers["Cache-Control"] == "no-store", url


def test_buyers_files_are_downloads_that_never_run_as_the_shop(app, client, auth, staff_user):
    script_pdf = pdf_with_javascript()
    quote = make_quote(app, uploads=[Upload("リバリー 案.pdf", script_pdf),
                                     Upload("livery.png", png_bytes(size=(800, 600)))])  # fmt: skip
    pdf, picture = quote.files
    buyer = f"/quote/{quote.token}/files"
    staff = f"/admin/quotes/{quote.id}/files"
    urls = [f"{buyer}/{pdf.id}", f"{buyer}/{picture.id}"]
    for url in urls:
        status, headers, _ = fetch(client, url)
        assert status == 200, url
        assert_sent_as_download(headers, url)
    status, headers, body = fetch(client, f"{buyer}/{pdf.id}")
    assert body == script_pdf  # kept as sent, but only ever offered as a download
    assert "filename*=UTF-8''" in headers["Content-Disposition"]
    auth.login(staff_user.email)
    for url in (f"{staff}/{pdf.id}", f"{staff}/{picture.id}", f"{staff}/{picture.id}?w=320"):
        status, headers, _ = fetch(client, url)
        assert status == 200, url
        assert_sent_as_download(headers, url)


@pytest.mark.parametrize(
    ("name", "offered"),
    [
        ('evil".html', "evil_.html"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\sari\\livery.pdf", "livery.pdf"),
        ("a\r\nSet-Cookie: x=1.pdf", "a_Set-Cookie_ x=1.pdf"),
        ("report;.pdf", "report_.pdf"),
        ("", "reference-file"),
        ("...", "reference-file"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("ライブリー.pdf", "ライブリー.pdf"),
    ],
)
def test_download_names_carry_no_path_quote_or_line_break(name, offered) -> None:
    assert safe_download_name(name, fallback="reference-file") == offered
