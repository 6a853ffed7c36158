"""Empty databases of their own, for tests that run migrations or a live server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from shop.config import normalise_database_url


@contextmanager
def empty_database(folder: Path, prefix: str) -> Iterator[str]:
    """Yield the URL of a new empty database: a SQLite file, or a PostgreSQL database."""
    postgres_url = os.environ.get("TEST_DATABASE_URL", "")
    if not postgres_url:
        yield f"sqlite:///{folder / f'{prefix}.db'}"
        return
    base = make_url(normalise_database_url(postgres_url))
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
