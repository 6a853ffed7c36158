"""Views for the home page and site-wide routes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from sqlalchemy import text
from werkzeug.wrappers import Response as BaseResponse

from shop.extensions import db
from shop.i18n import (
    CURRENCY_COOKIE,
    DEFAULT_LANGUAGE,
    LANGUAGE_COOKIE,
    LANGUAGE_PARAM,
    RUPIAH_ONLY,
    url_in_language,
)
from shop.main import bp, readiness
from shop.page_cache import cached_page, page_shows
from shop.redirects import local_path
from shop.services import pages
from shop.services.catalog import directory
from shop.services.catalog import products as catalog
from shop.services.currency import CURRENCIES

ONE_YEAR = 365 * 24 * 3600
DEFAULT_SECURITY_CONTACT = "mailto:security@karyabinaan.example"


def _locale() -> str:
    return str(get_locale())


@bp.get("/")
@cached_page
def home() -> str:
    """Show featured products, the categories, the workshops and why buying here matters."""
    featured = catalog.featured_products(limit=8, locale=_locale(), cards=True)
    page_shows(featured)
    return render_template(
        "main/home.html",
        featured=featured,
        categories=directory.categories_with_counts(_locale()),
        workshops=directory.workshops_with_counts(_locale()),
    )


@bp.get("/language/<code>")
def set_language(code: str) -> BaseResponse:
    """Remember the visitor's language and go back to the page they were on."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    # The page comes back in the chosen language: a ?lang= in its address would override it.
    back = local_path(request.args.get("next"))
    response = redirect(url_in_language(back, DEFAULT_LANGUAGE) if back else url_for("main.home"))
    _remember(response, LANGUAGE_COOKIE, code)
    return response


def _remember(response: BaseResponse, cookie: str, value: str) -> None:
    """Keep a visitor's preference (language, currency) for a year."""
    response.set_cookie(
        cookie, value, max_age=ONE_YEAR, samesite="Lax", httponly=True,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )  # fmt: skip


@bp.after_app_request
def remember_language_from_address(response: BaseResponse) -> BaseResponse:
    """A visitor who arrives on a page in another language (?lang=ko, e.g. from a search
    engine) keeps reading in it as they click on."""
    code = request.args.get(LANGUAGE_PARAM)
    if (
        code in current_app.config["LANGUAGES"]
        and request.cookies.get(LANGUAGE_COOKIE) != code
        and not request.path.startswith("/admin")
    ):
        _remember(response, LANGUAGE_COOKIE, code)
    return response


@bp.get("/currency")
def set_currency() -> BaseResponse:
    """Remember which currency approximate prices are shown in ("IDR": rupiah alone)."""
    code = request.args.get("code", "").upper()
    if code not in CURRENCIES and code != RUPIAH_ONLY:
        abort(404)
    response = redirect(local_path(request.args.get("next")) or url_for("main.home"))
    _remember(response, CURRENCY_COOKIE, code)
    return response


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Answer 200 once the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        return jsonify(status="unavailable", database="error"), 503
    return jsonify(status="ok", database="ok"), 200


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Tell the load balancer whether this worker can serve: database, Redis, media folder."""
    failed = readiness.failed_checks(current_app)
    response = jsonify(ready=not failed, failed=failed)
    response.headers["Cache-Control"] = "no-store"
    return response, 503 if failed else 200


@bp.get("/media/<name>")
def media(name: str) -> Response:
    """Serve a stored photo rendition; names are content hashes, so cache for a year."""
    storage = current_app.extensions["media"]
    try:
        path = storage.path(name)
    except ValueError:
        abort(404)
    if path is None or not path.is_file():
        abort(404)
    response = send_from_directory(path.parent, path.name, max_age=ONE_YEAR)
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response


@bp.get("/robots.txt")
def robots() -> Response:
    """Tell crawlers what to index and where the sitemap is."""
    body = render_template("main/robots.txt")
    return Response(body, mimetype="text/plain")


@bp.get("/.well-known/security.txt")
def security_txt() -> Response:
    """Say how to report a vulnerability (RFC 9116), with an expiry always a season ahead."""
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(days=90)
    body = render_template(
        "main/security.txt",
        contact=current_app.config.get("SECURITY_CONTACT") or DEFAULT_SECURITY_CONTACT,
        expires=expires.isoformat().replace("+00:00", "Z"),
    )
    response = Response(body, mimetype="text/plain")
    response.cache_control.max_age = 86400
    return response


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """List every public page for search engines."""
    body = render_template(
        "main/sitemap.xml",
        products=catalog.sitemap_entries(),
        categories=directory.categories_with_counts(),
        workshops=directory.workshops_with_counts(),
        pages=pages.sitemap_entries(),
    )
    return Response(body, mimetype="application/xml")
