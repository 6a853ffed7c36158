"""Response headers every page gets: security policy, HTTPS only, and caching."""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request, send_file

from shop.media import MediaStorage

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# A buyer's file is theirs, not the shop's: if a browser ever renders one (a PDF with
# JavaScript, an SVG), it runs sandboxed, in no origin, with nothing allowed.
UPLOAD_SECURITY_POLICY = "sandbox; default-src 'none'"
ONE_YEAR = 365 * 24 * 3600

# Pages for one visitor only (their account, orders, cart, checkout, quotes, payments) and the
# whole back office: never kept by a browser or a shared cache. Catalog pages stay cacheable.
PRIVATE_BLUEPRINTS = frozenset({"account", "admin", "cart", "checkout", "orders", "quotes"})
PRIVATE_PATHS = (
    "/admin", "/account", "/orders/", "/cart", "/checkout", "/demo-pay/", "/quote", "/stock-alerts/"
)  # fmt: skip

UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f"\\/:*?<>|;%]+')
LONGEST_NAME = 120


def is_private_page() -> bool:
    """Whether this request is for a page that belongs to one visitor or to staff."""
    return request.blueprint in PRIVATE_BLUEPRINTS or request.path.startswith(PRIVATE_PATHS)


def strict_transport_security() -> str | None:
    """The Strict-Transport-Security value for this response, or None to send none."""
    max_age = current_app.config.get("HSTS_MAX_AGE", ONE_YEAR)
    site_url = current_app.config.get("SITE_URL") or ""
    if not max_age or not (request.is_secure or site_url.startswith("https://")):
        return None
    value = f"max-age={max_age}"
    if current_app.config.get("HSTS_INCLUDE_SUBDOMAINS", True):
        value += "; includeSubDomains"
    return value


def safe_download_name(name: str | None, fallback: str = "file") -> str:
    """A file name to offer in Content-Disposition: no path, quotes or control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = UNSAFE_IN_NAME.sub("_", os.path.basename(name.replace("\\", "/"))).strip(" ._")
    if not name:
        return fallback
    if len(name) > LONGEST_NAME:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and len(suffix) <= 10:  # keep the extension: it says what the file is
            return stem[: LONGEST_NAME - len(suffix) - 1] + "." + suffix
        return name[:LONGEST_NAME]
    return name


def send_upload(path: str | Path | bytes, mimetype: str, filename: str | None) -> Response:
    """Send a file a buyer uploaded: always as a download, never sniffed, sandboxed if opened.

    An <img> on the shop's own pages still shows a picture sent this way; what can no longer
    happen is a browser rendering the file as a page of the shop's origin.
    """
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    response = send_file(
        source, mimetype=mimetype, as_attachment=True, max_age=0,
        download_name=safe_download_name(filename, fallback="reference-file"),
    )  # fmt: skip
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = UPLOAD_SECURITY_POLICY
    response.headers["Cache-Control"] = "no-store"
    return response


def send_stored_upload(
    storage: MediaStorage, names: list[str], mimetype: str, filename: str | None
) -> Response:
    """Send the first of names found in private storage as `send_upload` does; else 404.

    From S3 the bytes pass through the app rather than a presigned redirect: the file keeps
    the sandbox and download headers above, and no link to it outlives the access check.
    """
    for name in names:
        path = storage.path(name)
        if path is not None:
            return send_upload(path, mimetype, filename)
        data = storage.read(name)
        if data is not None:
            return send_upload(data, mimetype, filename)
    abort(404)


def content_security_policy(media_url: str) -> str:
    """The page policy; photos served from another origin (a CDN, a bucket) are allowed too."""
    parts = urlsplit(media_url or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return CONTENT_SECURITY_POLICY
    origin = f"{parts.scheme}://{parts.netloc}"
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", f"img-src 'self' data: {origin}")


def init_app(app: Flask) -> None:
    """Add security headers, keep private pages out of caches, cache fingerprinted files long."""
    policy = content_security_policy(app.config.get("MEDIA_URL", ""))

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        hsts = strict_transport_security()
        if hsts:
            response.headers["Strict-Transport-Security"] = hsts
        if is_private_page():
            response.headers["Cache-Control"] = "no-store"
        elif request.endpoint == "static" and request.args.get("v"):
            # The URL changes whenever the file does, so browsers may keep it for a year.
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.public = True
            response.cache_control.immutable = True
        if response.mimetype == "text/html":
            response.vary.add("Cookie")
            response.vary.add("Accept-Language")
        return response
