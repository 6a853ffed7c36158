"""Fixtures: a fresh app and database for every test, on SQLite or PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

from shop import create_app
from shop.extensions import db

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


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

    scratch = tmp_path_factory.mktemp("schema")
    app = create_app(_test_config(scratch, normalise_database_url(POSTGRES_URL)))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return True


def _truncate_all() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


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
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path: Path, postgres_schema_ready: bool) -> Iterator[Flask]:
    """Build an app on an empty database of its own."""
    yield from build_app(tmp_path)


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
