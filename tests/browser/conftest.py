"""A live server with the demo catalog, and Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from shop import create_app
from shop.extensions import db
from tests.conftest import _test_config
from tests.databases import empty_database

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    """Mark browser tests; skip them with a reason when Chromium is absent, unless in CI."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        return  # the browser fixture fails loudly instead
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}; apt-get install chromium")
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of the live server's own, on SQLite or PostgreSQL like the rest of the run."""
    with empty_database(tmp_path_factory.mktemp("browser"), "kb_browser") as url:
        yield url


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory, browser_database: str) -> Iterator[Flask]:
    """The app the live server runs: migrated, seeded with the demo catalog, shipping zones and
    the shop pages.

    Tests may open `live_app.app_context()` to read the live server's database directly.
    """
    from flask_migrate import upgrade

    from shop.demo.seed import seed_demo
    from shop.services.ordering.shipping import install_default_zones
    from shop.services.pages import install_defaults as install_pages

    media = tmp_path_factory.mktemp("browser-media")
    app = create_app(_test_config(media, browser_database))
    with app.app_context():
        upgrade()
        seed_demo(app.extensions["media"], limit=14)
        install_default_zones()
        install_pages()
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


def _buffered(app: Flask) -> Any:
    """The app with each response read whole, and closed, before the server sends it.

    Werkzeug's development server leaves a streamed file (a photo) open when the browser
    drops the connection mid-way (it moved on to the next page), and the warning the file
    raises when collected fails whichever test runs then. Nothing here needs streaming.
    """

    def wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve the live app on a free loopback port."""
    server = make_server("127.0.0.1", 0, _buffered(live_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: str) -> Iterator[Any]:
    """A fresh desktop browser page (its own cookies)."""
    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def phone(chromium: Any, live_server: str) -> Iterator[Any]:
    """A fresh phone-sized browser page."""
    context = chromium.new_context(
        base_url=live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
