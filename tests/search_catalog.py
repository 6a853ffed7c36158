"""The demo catalog in a database of its own, seeded once for a module of search tests.

Photos are not drawn (the slow part of seeding): every recipe gets the same stand-in image.
The database is separate from the per-test one because other tests empty theirs between
tests, and a worker may run them between two of ours.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from shop import create_app
from shop.demo import seed as demo_seed
from shop.extensions import db
from shop.services.catalog.products import ListingFilters, search_products
from shop.services.catalog.synonyms import seed_default_synonyms
from shop.services.media.images import StoredImage
from tests.conftest import _as_on_a_server, _test_config
from tests.databases import empty_database

STAND_IN = StoredImage(key="0123456789abcdef", width=1200, height=900, widths=(400, 800, 1200))


def _stand_ins(_storage: object, recipes: list) -> dict:
    return dict.fromkeys(recipes, STAND_IN)


def demo_catalog_app(folder: Path) -> Iterator[Flask]:
    """An app on a new database holding the demo catalog and the default synonyms."""
    with empty_database(folder, "kb_search_demo") as url, pytest.MonkeyPatch.context() as mp:
        mp.setattr(
            demo_seed, "_render_all", lambda storage, recipes: dict.fromkeys(recipes, STAND_IN)
        )
        app = create_app(_test_config(folder, url))
        app.teardown_request(_as_on_a_server)
        with app.app_context():
            db.create_all()
            demo_seed.seed_demo(app.extensions["media"])
            seed_default_synonyms()
            db.session.commit()
            yield app
            db.session.remove()
            db.engine.dispose()


def top_slugs(query: str, locale: str = "en", n: int = 5) -> list[str]:
    """The slugs of the first n products a search lists, best first."""
    page = search_products(ListingFilters(q=query, sort="relevance"), n, locale)
    return [p.slug for p in page.items]
