"""Fixtures: a fresh app and database for every test, on SQLite or PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import event, text

from shop import create_app
from shop.extensions import db
from shop.services import clock
from tests.factories import TODAY


def _worker_database(url: str, worker: str) -> str:
    """The PostgreSQL database of one pytest-xdist worker: `test` becomes `test_gw0`."""
    if not url or not worker:
        return url
    from sqlalchemy import make_url

    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


# A shop taking real payments must name its legal and bank details (shop/config_documents.py):
# the tests that start one in production mode set these (`monkeypatch.setenv`).
PRODUCTION_DOCUMENTS = {
    "SHOP_LEGAL_NAME": "PT Karya Binaan Uji",
    "SHOP_LEGAL_ADDRESS": "Jl. Uji No. 1\\nJakarta 10110",
    "SHOP_TAX_ID": "NPWP 01.234.567.8-901.000",
    "SHOP_DOCUMENTS_EMAIL": "orders@karyabinaan.example",
    "BANK_NAME": "Bank Uji",
    "BANK_ACCOUNT_NUMBER": "ID00 0000 0000 0000",
    "BANK_SWIFT_BIC": "TESTIDJA",
    "BANK_BENEFICIARY_NAME": "PT Karya Binaan Uji",
    "BANK_BENEFICIARY_ADDRESS": "Jl. Uji No. 1, Jakarta 10110, Indonesia",
}

# The cluster tests start PostgreSQL-backed servers behind HAProxy: `make cluster-test` only.
collect_ignore = [] if os.environ.get("KB_CLUSTER_TEST") == "1" else ["cluster"]

# Workers running in parallel (make test uses two) each get a database of their own, since
# every test truncates every table.
POSTGRES_URL = _worker_database(
    os.environ.get("TEST_DATABASE_URL", ""), os.environ.get("PYTEST_XDIST_WORKER", "")
)


def _test_config(tmp_path: Path, database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "MEDIA_URL": "/media/",
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "SITE_URL": "",
        "PRODUCTS_PER_PAGE": 24,
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def postgres_schema_ready(tmp_path_factory: pytest.TempPathFactory) -> bool:
    """Create the schema on the PostgreSQL test database once per run."""
    if not POSTGRES_URL:
        return False
    from shop.config import normalise_database_url

    _create_database_if_missing(normalise_database_url(POSTGRES_URL))
    scratch = tmp_path_factory.mktemp("schema")
    app = create_app(_test_config(scratch, normalise_database_url(POSTGRES_URL)))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return True


def _create_database_if_missing(url: str) -> None:
    from sqlalchemy import create_engine, make_url

    wanted = make_url(url)
    admin = create_engine(wanted.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": wanted.database},
            ).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{wanted.database}"'))
    finally:
        admin.dispose()


def _truncate_all() -> None:
    """Empty every table and restart every id sequence.

    DELETE, children first, rather than TRUNCATE: a test leaves a handful of rows, and
    TRUNCATE's fixed cost per table (new files for ~35 tables) made it most of a test's time.
    """
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        sequences = connection.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        ).scalars()
        for name in list(sequences):
            connection.execute(text(f'ALTER SEQUENCE "{name}" RESTART'))


def _as_on_a_server(error: BaseException | None) -> None:
    """End a request as a server would: the next one starts afresh.

    The fixture's app context outlives every request, so Flask-Babel's choice of language
    (kept in its `g`) and the session's loaded rows would carry over; a server gives each
    request a new context and session. Expiring keeps the test's own objects usable.
    """
    g.pop("_flask_babel", None)
    g.pop("csrf_token", None)  # a fresh request has no token yet (the page cache looks)
    db.session.expire_all()


def build_app(tmp_path: Path, **overrides: Any) -> Iterator[Flask]:
    """Build an app on an empty database of its own, with config overrides."""
    if POSTGRES_URL:
        from shop.config import normalise_database_url

        config = _test_config(tmp_path, normalise_database_url(POSTGRES_URL)) | overrides
        application = create_app(config)
        with application.app_context():
            _truncate_all()
    else:
        config = _test_config(tmp_path, f"sqlite:///{tmp_path / 'test.db'}") | overrides
        application = create_app(config)
        with application.app_context():
            db.create_all()
    application.teardown_request(_as_on_a_server)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def shop_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the shop's calendar to the day the run started, so a run crossing midnight agrees."""
    monkeypatch.setattr(clock, "shop_today", lambda: TODAY)


@pytest.fixture
def app(tmp_path: Path, postgres_schema_ready: bool) -> Iterator[Flask]:
    """Build an app on an empty database of its own."""
    yield from build_app(tmp_path)


# The webhook signing secret of `stripe_app`; tests sign events with it.
STRIPE_WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture
def double() -> Iterator[Any]:
    """A Stripe API double on 127.0.0.1 (tests/stripe_double.py), stopped after the test."""
    from tests.stripe_double import StripeDouble

    with StripeDouble() as server:
        yield server


@pytest.fixture
def stripe_app(
    tmp_path: Path, postgres_schema_ready: bool, double: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """An app that pays through Stripe (the real library) against the double."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield from build_app(
        tmp_path, STRIPE_SECRET_KEY="sk_test_123", STRIPE_WEBHOOK_SECRET=STRIPE_WEBHOOK_SECRET,
        STRIPE_API_BASE=double.url,
    )  # fmt: skip


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


class QueryCounter:
    """Counts SQL statements sent to the database."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        """How many statements ran."""
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Iterator[QueryCounter]:
    """Record every statement the app sends while the test runs."""
    counter = QueryCounter()
    event.listen(db.engine, "before_cursor_execute", counter)
    yield counter
    event.remove(db.engine, "before_cursor_execute", counter)


PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(app: Flask) -> Any:
    """A factory for accounts: make_user("a@example.com", role=Role.ADMIN, active=False)."""
    from shop.models import Role
    from shop.services.accounts import staff as users

    def make(
        email: str = "staff@example.com",
        *,
        role: Role = Role.STAFF,
        password: str = PASSWORD,
        active: bool = True,
    ) -> Any:
        user = users.create_user(email, password, role=role)
        if not active:
            user.is_active = False
            db.session.commit()
        return user

    return make


@pytest.fixture
def admin_user(make_user: Any) -> Any:
    """An active admin account, password PASSWORD."""
    from shop.models import Role

    return make_user("admin@example.com", role=Role.ADMIN)


@pytest.fixture
def staff_user(make_user: Any) -> Any:
    """An active staff account, password PASSWORD."""
    return make_user("staff@example.com")


class AuthActions:
    """Sign in and out of the back office through its real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def _token(self, path: str) -> str | None:
        import re

        page = self._client.get(path).get_data(as_text=True)
        found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        return found.group(1) if found else None

    def login(self, email: str, password: str = PASSWORD, next: str | None = None) -> Any:
        """Post the sign-in form, with `next` in the query string when given."""
        data = {"email": email, "password": password, "csrf_token": self._token("/admin/login")}
        data = {k: v for k, v in data.items() if v is not None}
        query = {"next": next} if next is not None else None
        return self._client.post("/admin/login", query_string=query, data=data)

    def logout(self) -> Any:
        """Press the sign-out button on the dashboard."""
        token = self._token("/admin/")
        return self._client.post("/admin/logout", data={"csrf_token": token} if token else {})


@pytest.fixture
def auth(app: Flask, client: FlaskClient) -> AuthActions:
    """Sign-in helper bound to the test client."""
    from flask import g

    # The `app` fixture's app context outlives requests, so `g` (where Flask-Login keeps
    # the signed-in user) would carry over from one request to the next; a server starts
    # every request with a fresh `g`, and so do these tests.
    app.teardown_request(lambda error: g.pop("_login_user", None))
    return AuthActions(client)
