"""Absolute links come from SITE_URL, never the request's Host; other hosts get a 400."""

from __future__ import annotations

import email
import email.policy
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
from flask import url_for
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import EnvironBuilder, run_wsgi_app

from shop import create_app
from shop.config_values import UnsafeConfiguration
from shop.extensions import db
from shop.models import Order
from shop.services.ordering.shipping import install_default_zones
from tests.conftest import build_app
from tests.factories import csrf_from, make_category, make_product, make_workshop, shop_with_stock
from tests.stripe_double import StripeDouble
from tests.test_accounts import register
from tests.test_cart import add
from tests.test_checkout import checkout
from tests.test_quotes import send_request

SITE = "https://karyabinaan.example"
FORGED = "evil.example"
SETTINGS = ("FLASK_DEBUG", "SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET",
            "DEMO_PAYMENTS", "SITE_URL", "TRUSTED_HOSTS", "PROXY_COUNT", "HSTS_MAX_AGE",
            "HSTS_INCLUDE_SUBDOMAINS", "REDIS_URL", "MAIL_SERVER")  # fmt: skip
MALFORMED = [
    "karyabinaan.example:abc",
    "karyabinaan example",
    " karyabinaan.example",
    "karyabinaan.example:0",
    "karyabinaan.example:99999",
    "例え.jp".encode().decode("latin-1"),  # UTF-8 bytes, as a WSGI server passes them on
    "karyabinaan.example\x00",
    "karyabinaan.example/../admin",
    "a" * 300 + ".example",
    "",
]


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """Production settings on a SQLite file of its own; returns a setter for more."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))
    monkeypatch.setenv("MAIL_OUTBOX", str(tmp_path / "outbox"))
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("DEMO_PAYMENTS", "1")

    def set_all(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_all


def production_app():
    """The shop as `gunicorn app:app` starts it, with a schema."""
    app = create_app()
    with app.app_context():
        db.create_all()
    return app


def get(client, path: str, host: str, **kwargs):
    """GET with this Host header exactly as a client sent it."""
    return client.get(path, environ_overrides={"HTTP_HOST": host}, **kwargs)


# --- Configuration --------------------------------------------------------------------------


def test_production_refuses_to_start_without_site_url(environment) -> None:
    with pytest.raises(UnsafeConfiguration, match="SITE_URL must be set outside debug mode"):
        create_app()


@pytest.mark.parametrize(
    "value",
    ["karyabinaan.example", "ftp://karyabinaan.example", "https://", "https://karyabinaan.example/shop",
     "https://karyabinaan.example?lang=ja", "https://karyabinaan.example#top",
     "https://admin@karyabinaan.example", "https://karyabinaan.example:abc",
     "https://karyabinaan.example:99999", "https://karya binaan.example", "//karyabinaan.example"],
)  # fmt: skip
def test_a_site_url_that_is_not_an_http_origin_is_refused_by_name(environment, value) -> None:
    environment(SITE_URL=value)
    with pytest.raises(UnsafeConfiguration, match="SITE_URL must be the shop's public address"):
        create_app()


def test_site_url_is_normalised_and_its_host_is_the_trusted_one(environment) -> None:
    environment(
        SITE_URL="HTTPS://KaryaBinaan.example:443/", TRUSTED_HOSTS="www.karyabinaan.example"
    )
    app = create_app()
    assert app.config["SITE_URL"] == SITE
    assert app.config["TRUSTED_HOSTS"] == ["karyabinaan.example", "www.karyabinaan.example"]
    assert app.config["SERVER_NAME"] == "karyabinaan.example"
    assert app.config["PREFERRED_URL_SCHEME"] == "https"


@pytest.mark.parametrize("value", ["https://www.example", "www.example/x", "a b", "ex:8080"])
def test_malformed_trusted_hosts_are_refused_by_name(environment, value) -> None:
    environment(SITE_URL=SITE, TRUSTED_HOSTS=value)
    with pytest.raises(UnsafeConfiguration, match="TRUSTED_HOSTS"):
        create_app()


def test_debug_needs_no_site_url_and_serves_any_host(environment) -> None:
    environment(FLASK_DEBUG="1")
    app = production_app()
    assert app.config["SITE_URL"] == "" and app.config["TRUSTED_HOSTS"] is None
    assert get(app.test_client(), "/", "127.0.0.1:5000").status_code == 200


# --- Hosts ----------------------------------------------------------------------------------


def test_the_shops_own_host_is_served_and_any_other_is_a_400(environment) -> None:
    environment(SITE_URL=SITE)
    client = production_app().test_client()
    assert client.get("/").status_code == 200  # SERVER_NAME: the client's default host
    assert get(client, "/", "karyabinaan.example:8443").status_code == 200  # any port
    for host in (FORGED, "karyabinaan.example.evil.example", "www.karyabinaan.example",
                 "localhost", "127.0.0.1"):  # fmt: skip
        for path in ("/", "/products", "/admin/login", "/healthz", "/no-such-page"):
            response = get(client, path, host)
            assert response.status_code == 400, (host, path)
            assert FORGED not in response.get_data(as_text=True)
    posted = client.post("/stripe/webhook", data=b"{}", environ_overrides={"HTTP_HOST": FORGED})
    assert posted.status_code == 400


def test_hosts_added_in_trusted_hosts_are_served_too(environment) -> None:
    environment(SITE_URL=SITE, TRUSTED_HOSTS="127.0.0.1,.cdn.example")
    client = production_app().test_client()
    assert get(client, "/healthz", "127.0.0.1:8000").status_code == 200
    assert get(client, "/healthz", "edge1.cdn.example").status_code == 200
    assert get(client, "/healthz", FORGED).status_code == 400


@pytest.mark.parametrize("host", MALFORMED)
def test_a_malformed_host_is_a_400_never_a_500(environment, host) -> None:
    environment(SITE_URL=SITE)
    client = production_app().test_client()
    assert get(client, "/", host).status_code == 400
    assert get(client, "/products?q=x", host).status_code == 400


@pytest.mark.parametrize("host", MALFORMED)
def test_a_malformed_host_is_a_400_in_debug_and_tests_too(app, host) -> None:
    assert get(app.test_client(), "/", host).status_code == 400


def test_a_forwarded_host_is_checked_like_any_other(environment) -> None:
    environment(SITE_URL=SITE, PROXY_COUNT="1")
    client = production_app().test_client()
    forwarded = {"X-Forwarded-Host": FORGED, "X-Forwarded-Proto": "https"}
    assert client.get("/", headers=forwarded).status_code == 400
    forwarded["X-Forwarded-Host"] = "karyabinaan.example"
    assert client.get("/", headers=forwarded).status_code == 200


# --- Links ----------------------------------------------------------------------------------


@pytest.fixture
def site_app(tmp_path, postgres_schema_ready):
    """A shop that knows its address but (like a misconfigured proxy) lets any host through."""
    yield from build_app(tmp_path, SITE_URL=SITE)


class ForgedHostClient(FlaskClient):
    """A test client whose every request names the attacker's host."""

    host = FORGED

    def open(self, *args: Any, **kwargs: Any) -> Any:
        """Send the request over plain HTTP (no Referer check for CSRF) to this host."""
        kwargs.setdefault("base_url", f"http://{self.host}")
        return super().open(*args, **kwargs)


class OwnHostClient(ForgedHostClient):
    """A test client sending plain HTTP to the shop's own host."""

    host = "karyabinaan.example"


@pytest.fixture
def forged(site_app):
    """A client whose every request names the attacker's host."""
    site_app.test_client_class = ForgedHostClient
    return site_app.test_client()


def outbox(app) -> list[email.message.EmailMessage]:
    files = sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]


def links_in(text: str) -> list[str]:
    return re.findall(r"""https?://[^\s"'<>]+""", text)


def test_a_forged_host_gets_into_no_mail_link_or_payment_return_address(site_app, forged):
    install_default_zones()
    product = shop_with_stock(stock=5)
    db.session.commit()
    add(forged, product.variants[0].sku, "1")
    redirect = checkout(forged)
    assert redirect.status_code == 303, redirect.get_data(as_text=True)
    page = forged.get(redirect.headers["Location"]).get_data(as_text=True)
    paid = forged.post(
        redirect.headers["Location"],
        data={"name": "Aiko", "line1": "1-2-3 Jingumae", "city": "Tokyo",
              "postal_code": "150-0001", "csrf_token": csrf_from(page)},
    )  # fmt: skip
    assert paid.status_code == 303
    order = db.session.scalar(select(Order))
    assert register(forged, email="ken@example.kr").status_code in (302, 303)
    assert send_request(forged).status_code == 303

    mails = outbox(site_app)
    recipients = {m["To"] for m in mails}
    expected = {"aiko@example.jp", "ken@example.kr", "sari@airline.example"}
    assert expected | {site_app.config["STAFF_EMAIL"]} <= recipients, recipients
    links = []
    for mail in mails:
        for part in mail.walk():
            if part.get_content_type() in ("text/plain", "text/html"):
                text = part.get_content()
                assert FORGED not in text, mail["Subject"]
                links += links_in(text)
    assert links and all(link.startswith(SITE + "/") for link in links), links
    assert f"{SITE}/orders/{order.token}" in links


@pytest.fixture
def stripe_site(tmp_path, postgres_schema_ready, monkeypatch):
    """A Stripe shop (the local double) that knows its address; yields the app and the double."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with StripeDouble() as double:
        stripe = {"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_WEBHOOK_SECRET": "whsec_test",
                  "STRIPE_API_BASE": double.url}  # fmt: skip
        for app in build_app(tmp_path, SITE_URL=SITE, **stripe):
            yield app, double


def test_stripe_is_given_return_addresses_on_site_url_whatever_the_host(stripe_site) -> None:
    app, double = stripe_site
    app.test_client_class = ForgedHostClient
    client = app.test_client()
    install_default_zones()
    product = shop_with_stock(stock=5)
    db.session.commit()
    add(client, product.variants[0].sku, "1")
    assert checkout(client).status_code == 303
    order = db.session.scalar(select(Order))
    [session] = double.sessions.values()
    assert session["success_url"] == f"{SITE}/checkout/done/{order.token}"
    assert session["cancel_url"] == f"{SITE}/checkout/cancel/{order.token}"


def test_sitemap_robots_canonical_and_hreflang_links_use_site_url(site_app, forged) -> None:
    make_product("Teak bowl", category=make_category(), workshop=make_workshop(), slug="teak-bowl")
    db.session.commit()
    pages = {
        path: forged.get(path).get_data(as_text=True)
        for path in ("/sitemap.xml", "/robots.txt", "/", "/products", "/products/teak-bowl",
                     "/workshops", "/workshops/woodcraft", "/.well-known/security.txt")
    }  # fmt: skip
    assert f"<loc>{SITE}/products/teak-bowl</loc>" in pages["/sitemap.xml"]
    assert f"<loc>{SITE}/impact?lang=ja</loc>" in pages["/sitemap.xml"]  # the wages, published
    assert f"Sitemap: {SITE}/sitemap.xml" in pages["/robots.txt"]
    assert f"Canonical: {SITE}/.well-known/security.txt" in pages["/.well-known/security.txt"]
    assert f'<link rel="canonical" href="{SITE}/products/teak-bowl?lang=' not in pages["/"]
    assert (
        f'<link rel="canonical" href="{SITE}/products/teak-bowl">' in pages["/products/teak-bowl"]
    )
    assert f'hreflang="ja" href="{SITE}/products/teak-bowl?lang=ja"' in pages["/products/teak-bowl"]
    for path, body in pages.items():
        assert FORGED not in body, path
    for path in ("/", "/products", "/workshops", "/workshops/woodcraft"):
        assert f'<link rel="canonical" href="{SITE}/' in pages[path], path


def test_commands_and_background_work_link_to_site_url(site_app) -> None:
    with site_app.app_context():
        assert url_for("orders.show", token="t0k3n", _external=True) == f"{SITE}/orders/t0k3n"
    with site_app.test_request_context("/", environ_overrides={"HTTP_HOST": FORGED}):
        assert url_for("main.sitemap", _external=True) == f"{SITE}/sitemap.xml"
    # reconcile-payments mails buyers only when it can link to their orders.
    assert site_app.config["SERVER_NAME"] == "karyabinaan.example"


def test_without_site_url_tests_and_debug_keep_linking_to_the_request(app, client) -> None:
    assert 'href="http://localhost/"' in client.get("/").get_data(as_text=True)


def test_a_request_without_any_host_header_is_a_400_when_hosts_are_listed(environment) -> None:
    environment(SITE_URL=SITE)
    app = production_app()
    environ = EnvironBuilder("/", base_url=SITE).get_environ()
    del environ["HTTP_HOST"]  # HTTP/1.0: Werkzeug would fall back to the server's address
    _, status, _ = run_wsgi_app(app, environ)
    assert status.startswith("400")


def test_a_forged_host_cannot_poison_a_staff_password_reset_link(site_app, forged) -> None:
    from shop.services.accounts import staff as users
    from tests.conftest import PASSWORD

    user = users.create_user("sari@karyabinaan.example", PASSWORD)
    page = forged.get("/admin/forgot-password").get_data(as_text=True)
    response = forged.post(
        "/admin/forgot-password", data={"email": user.email, "csrf_token": csrf_from(page)}
    )
    assert response.status_code in (302, 303)
    [mail] = outbox(site_app)
    links = [link for part in mail.walk() if part.get_content_type() in ("text/plain", "text/html")
             for link in links_in(part.get_content())]  # fmt: skip
    assert links and all(link.startswith(f"{SITE}/admin/") for link in links), links


def test_reconcile_payments_mails_links_on_site_url(stripe_site) -> None:
    app, double = stripe_site
    app.test_client_class = OwnHostClient
    client = app.test_client()
    install_default_zones()
    product = shop_with_stock(stock=5)
    db.session.commit()
    add(client, product.variants[0].sku, "1")
    assert checkout(client).status_code == 303
    order = db.session.scalar(select(Order))
    double.pay(order.payment_session_id)
    result = app.test_cli_runner().invoke(args=["reconcile-payments"])
    assert result.exit_code == 0 and f"{order.number}: paid" in result.output, result.output
    to_buyer = [m for m in outbox(app) if m["To"] == "aiko@example.jp"]
    assert len(to_buyer) == 1
    assert f"{SITE}/orders/{order.token}" in to_buyer[0].get_body(("plain",)).get_content()


def test_a_forged_host_cannot_poison_a_buyers_password_reset_link(site_app, forged) -> None:
    assert register(forged, email="ken@example.kr").status_code in (302, 303)
    page = forged.get("/account/password/forgot").get_data(as_text=True)
    forged.post(
        "/account/password/forgot", data={"email": "ken@example.kr", "csrf_token": csrf_from(page)}
    )
    [reset] = [m for m in outbox(site_app) if "new password" in m["Subject"]]
    links = links_in(reset.get_body(("plain",)).get_content())
    assert links and all(link.startswith(f"{SITE}/account/password/reset/") for link in links)
