"""The schema comes from the migrations, and they match the models."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text

from shop import create_app
from shop.config import normalise_database_url
from shop.extensions import db
from tests.conftest import POSTGRES_URL, _test_config


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of its own: a SQLite file, or a new PostgreSQL database."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    base = make_url(normalise_database_url(POSTGRES_URL))
    name = f"kb_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_build_exactly_the_models_schema(tmp_path, empty_database_url) -> None:
    app = create_app(_test_config(tmp_path, empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        assert {"product", "variant", "category", "workshop", "product_photo"} <= set(
            inspect(db.engine).get_table_names()
        )
        downgrade(revision="base")
        assert "product" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_no_create_all_outside_tests() -> None:
    root = Path(__file__).resolve().parent.parent / "shop"
    offenders = [p for p in root.rglob("*.py") if "create_all" in p.read_text()]
    assert offenders == []
    assert os.path.isdir(root.parent / "migrations" / "versions")
