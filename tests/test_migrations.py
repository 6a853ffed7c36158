"""The schema comes from the migrations, and they match the models."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from shop import create_app
from shop.extensions import db
from shop.models.search import include_in_autogenerate
from tests.conftest import _test_config
from tests.databases import empty_database


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of its own: a SQLite file, or a new PostgreSQL database."""
    with empty_database(tmp_path, "kb_migrations") as url:
        yield url


def test_migrations_build_exactly_the_models_schema(tmp_path, empty_database_url) -> None:
    app = create_app(_test_config(tmp_path, empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            opts = {"compare_type": True, "include_object": include_in_autogenerate}
            context = MigrationContext.configure(connection, opts=opts)
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
