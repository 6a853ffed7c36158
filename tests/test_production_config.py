"""Start-up refuses unsafe production settings by name; a demo shop says so on every page."""

from __future__ import annotations

import secrets

import pytest

from shop import create_app
from shop.config_values import UnsafeConfiguration
from shop.extensions import db
from tests.conftest import PRODUCTION_DOCUMENTS
from tests.factories import make_category, make_product, make_workshop

STRONG = secrets.token_urlsafe(48)
STRIPE_KEYS = {
    "STRIPE_SECRET_KEY": "sk_live_" + "a1B2c3" * 6,
    "STRIPE_WEBHOOK_SECRET": "whsec_x9Y8",
}
SETTINGS = (
    "FLASK_DEBUG", "SECRET_KEY", "KARYA_ALLOW_DEV_SECRET", "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "DEMO_PAYMENTS", "CARD_LIMIT_IDR", "MAIL_PORT",
    "PRODUCTS_PER_PAGE", "PROXY_COUNT", "DATABASE_CONNECT_TIMEOUT", "REDIS_URL", "MAIL_SERVER",
    "PAGE_CACHE_DISABLED", "SITE_URL", "TRUSTED_HOSTS", "SECRET_KEY_FALLBACKS",
)  # fmt: skip
BANNER = "no real payments are taken"


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """A clean environment on a SQLite file of its own; returns a setter for settings."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))
    monkeypatch.setenv("MAIL_OUTBOX", str(tmp_path / "outbox"))
    monkeypatch.setenv("SITE_URL", "http://localhost")  # required too (tests/test_hosts.py)
    for name, value in PRODUCTION_DOCUMENTS.items():  # required with real payments
        monkeypatch.setenv(name, value)

    def set_all(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_all


def started():
    """Build the app from the environment, with a schema, as `flask db upgrade` would leave it."""
    app = create_app()
    with app.app_context():
        db.create_all()
    return app


REFUSED = [
    pytest.param({}, "SECRET_KEY must be set", id="no-secret"),
    pytest.param({"SECRET_KEY": "dev"}, "SECRET_KEY is too weak", id="short-secret"),
    pytest.param({"SECRET_KEY": "dev-only-not-secret"}, "SECRET_KEY is too weak", id="old-default"),
    pytest.param({"SECRET_KEY": "changeme" * 5}, "SECRET_KEY is too weak", id="placeholder"),
    pytest.param({"SECRET_KEY": "ab12" * 10}, "SECRET_KEY is too weak", id="few-characters"),
    pytest.param(
        {"SECRET_KEY": "our-production-secret-key-for-karya-2025"},
        "SECRET_KEY is too weak",
        id="human-secret",
    ),
    # The old escape hatch no longer lets a shop run with the development secret.
    pytest.param({"KARYA_ALLOW_DEV_SECRET": "1"}, "SECRET_KEY must be set", id="old-escape-hatch"),
    pytest.param(
        {"SECRET_KEY": STRONG}, "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET", id="no-stripe"
    ),
    pytest.param(
        {"SECRET_KEY": STRONG, "STRIPE_SECRET_KEY": STRIPE_KEYS["STRIPE_SECRET_KEY"]},
        "STRIPE_WEBHOOK_SECRET must be set",
        id="no-webhook-secret",
    ),
    pytest.param(
        {"SECRET_KEY": STRONG, "STRIPE_WEBHOOK_SECRET": STRIPE_KEYS["STRIPE_WEBHOOK_SECRET"]},
        "STRIPE_SECRET_KEY must be set",
        id="no-stripe-key",
    ),
    pytest.param(
        {"SECRET_KEY": STRONG, **STRIPE_KEYS, "STRIPE_SECRET_KEY": "pk_live_publishable"},
        "STRIPE_SECRET_KEY does not look like a Stripe key",
        id="publishable-key",
    ),
    pytest.param(
        {"SECRET_KEY": STRONG, **STRIPE_KEYS, "STRIPE_WEBHOOK_SECRET": "hunter2"},
        "STRIPE_WEBHOOK_SECRET does not look like a Stripe key",
        id="webhook-secret-shape",
    ),
    pytest.param({"SECRET_KEY": STRONG, "DEMO_PAYMENTS": "yes"}, "DEMO_PAYMENTS", id="demo-yes"),
    pytest.param(
        {"SECRET_KEY": STRONG, "DEMO_PAYMENTS": "1", **STRIPE_KEYS},
        "DEMO_PAYMENTS=1 and STRIPE_SECRET_KEY are both set",
        id="demo-and-stripe",
    ),
    pytest.param({"SECRET_KEY": STRONG, **STRIPE_KEYS, "CARD_LIMIT_IDR": "abc"}, "CARD_LIMIT_IDR"),
    pytest.param({"SECRET_KEY": STRONG, **STRIPE_KEYS, "MAIL_PORT": "smtp"}, "MAIL_PORT"),
    pytest.param({"SECRET_KEY": STRONG, **STRIPE_KEYS, "PROXY_COUNT": "-1"}, "PROXY_COUNT"),
    pytest.param(
        {"SECRET_KEY": STRONG, **STRIPE_KEYS, "PRODUCTS_PER_PAGE": "0"}, "PRODUCTS_PER_PAGE"
    ),
    pytest.param(
        {"SECRET_KEY": STRONG, **STRIPE_KEYS, "DATABASE_CONNECT_TIMEOUT": "5s"},
        "DATABASE_CONNECT_TIMEOUT",
    ),
]


@pytest.mark.parametrize(("settings", "message"), REFUSED)
def test_production_refuses_to_start_naming_the_setting_at_fault(
    environment, settings, message
) -> None:
    environment(**settings)
    with pytest.raises(UnsafeConfiguration, match=message) as refused:
        create_app()
    text = str(refused.value)
    if message.startswith("SECRET_KEY"):
        assert "secrets.token_urlsafe(48)" in text  # says how to make a good one
        assert not settings.get("SECRET_KEY") or settings["SECRET_KEY"] not in text
    if message.startswith("STRIPE_WEBHOOK_SECRET must"):
        assert "STRIPE_SECRET_KEY" not in text  # names only the one that is missing


def test_real_payments_need_the_shops_legal_and_bank_details(environment, monkeypatch) -> None:
    environment(SECRET_KEY=STRONG, **STRIPE_KEYS)
    monkeypatch.delenv("BANK_SWIFT_BIC")
    monkeypatch.delenv("SHOP_TAX_ID")
    with pytest.raises(UnsafeConfiguration, match="SHOP_TAX_ID, BANK_SWIFT_BIC must be set"):
        create_app()
    environment(BANK_SWIFT_BIC="BMRIIDJA", SHOP_TAX_ID="NPWP 00.000.000.0-000.000 (demo)")
    with pytest.raises(UnsafeConfiguration, match='SHOP_TAX_ID still say "\\(demo\\)"'):
        create_app()
    monkeypatch.delenv("SHOP_TAX_ID")
    environment(DEMO_PAYMENTS="1", STRIPE_SECRET_KEY="", STRIPE_WEBHOOK_SECRET="")
    app = started()  # a demo shop on purpose prints the demo details
    assert "(demo)" in app.config["SHOP_TAX_ID"]


def test_a_weak_old_key_is_refused_while_rotating(environment) -> None:
    old = secrets.token_urlsafe(48)
    environment(SECRET_KEY=STRONG, **STRIPE_KEYS, SECRET_KEY_FALLBACKS=f"{old},dev")
    with pytest.raises(
        UnsafeConfiguration, match="SECRET_KEY_FALLBACKS entry 2 is too weak"
    ) as refused:
        create_app()
    assert old not in str(refused.value) and "dev" not in str(refused.value).split(":")[0]
    environment(SECRET_KEY_FALLBACKS=old)
    assert started().config["SECRET_KEY_FALLBACKS"] == [old]


def test_a_malformed_number_is_refused_by_name_in_debug_mode_too(environment) -> None:
    environment(FLASK_DEBUG="1", CARD_LIMIT_IDR="25.000.000")
    with pytest.raises(UnsafeConfiguration, match="CARD_LIMIT_IDR must be a whole number"):
        create_app()


def test_a_good_production_config_starts_with_stripe_and_no_demo_banner(environment) -> None:
    environment(SECRET_KEY=STRONG, **STRIPE_KEYS, CARD_LIMIT_IDR="100000000", MAIL_PORT="587")
    app = started()
    assert app.config["SECRET_KEY"] == STRONG
    assert app.config["CARD_LIMIT_IDR"] == 100_000_000 and app.config["MAIL_PORT"] == 587
    assert app.extensions["payments"].name == "stripe"
    page = app.test_client().get("/")
    assert page.status_code == 200
    assert BANNER not in page.get_data(as_text=True)


def test_demo_payments_on_purpose_start_and_every_page_says_so(environment) -> None:
    environment(SECRET_KEY=STRONG, DEMO_PAYMENTS="1")
    app = started()
    assert app.extensions["payments"].name == "demo"
    with app.app_context():
        product = make_product(
            "Teak bowl", category=make_category(), workshop=make_workshop(), slug="teak-bowl"
        )
        db.session.commit()
        assert product.id
    client = app.test_client()
    # Twice: the second product page comes from the page cache and must still carry it.
    for path in ("/", "/products/teak-bowl", "/products/teak-bowl", "/no-such-page",
                 "/admin/login", "/cart"):  # fmt: skip
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert BANNER in response.get_data(as_text=True), path


def test_debug_mode_with_nothing_set_starts_with_development_defaults(environment) -> None:
    environment(FLASK_DEBUG="1")
    app = started()
    assert app.config["SECRET_KEY"]
    assert app.extensions["payments"].name == "demo"
    assert BANNER in app.test_client().get("/").get_data(as_text=True)


def test_postgresql_gives_up_connecting_after_a_few_seconds(environment) -> None:
    environment(FLASK_DEBUG="1", DATABASE_URL="postgresql://shop@127.0.0.1:1/shop")
    options = create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"]["connect_timeout"] == 5
