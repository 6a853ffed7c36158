"""Template filters and globals: money, photos, Markdown, static URLs."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, get_locale

from shop.models import Product
from shop.services import money
from shop.services.images import rendition_name
from shop.services.text import render_markdown


def _locale() -> str:
    return str(get_locale() or "en")


def idr(amount: int | None) -> str:
    """Format whole rupiah for the visitor's locale."""
    if amount is None:
        return ""
    return money.format_idr(amount, _locale())


def date_long(value: date | None) -> str:
    """Format a date the way the visitor's language writes it ("1 December 2026")."""
    return format_date(value, format="long") if value else ""


def price_range(product: Product) -> str:
    """Format a product's price range over its active variants."""
    return money.format_idr_range(product.price_min_idr, product.price_max_idr, _locale())


def media_url(key: str, width: int) -> str:
    """Return the URL of one rendition of a stored image."""
    return current_app.extensions["media"].url(rendition_name(key, width))


def srcset(key: str, widths: str) -> str:
    """Return a srcset attribute value for an image's renditions."""
    return ", ".join(f"{media_url(key, int(w))} {w}w" for w in widths.split(",") if w)


def smallest_width_at_least(widths: str, wanted: int) -> int:
    """Return the smallest rendition width that is at least `wanted`, else the largest."""
    available = sorted(int(w) for w in widths.split(",") if w)
    return next((w for w in available if w >= wanted), available[-1])


def return_path() -> str:
    """Return the current path and query for "come back here" links, if short enough."""
    full = request.full_path.rstrip("?")
    return full if len(full) <= 300 else request.path


def _static_versions(static_folder: str) -> dict[str, str]:
    versions = {}
    root = Path(static_folder)
    for path in root.rglob("*"):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            versions[path.relative_to(root).as_posix()] = digest
    return versions


def init_app(app: Flask) -> None:
    """Register the shop's filters and globals on the Jinja environment."""
    versions = _static_versions(app.static_folder or "static")

    def static_url(filename: str) -> str:
        """Return a cache-busting URL for a static file."""
        return url_for("static", filename=filename, v=versions.get(filename))

    app.jinja_env.filters.update(idr=idr, markdown=render_markdown, date_long=date_long)
    app.jinja_env.globals.update(
        price_range=price_range,
        media_url=media_url,
        srcset=srcset,
        smallest_width_at_least=smallest_width_at_least,
        static_url=static_url,
        current_locale=_locale,
        return_path=return_path,
    )

    @app.context_processor
    def _languages() -> dict[str, Any]:
        return {"languages": app.config["LANGUAGES"]}
