"""Configuration from the environment, with safe development defaults."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from shop.config_documents import DOCUMENT_DEFAULTS
from shop.config_secrets import check_payments, secret_fallbacks, secret_key
from shop.config_values import ONE_YEAR, UnsafeConfiguration, flag, whole

# The storefront's languages (names as their readers write them); the back office is for
# staff, who read Bahasa Indonesia or English.
LANGUAGES = {"en": "English", "id": "Bahasa Indonesia", "ja": "日本語", "ko": "한국어"}
STAFF_LANGUAGES = ("en", "id")


def _sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "karya-binaan.db")


# A host name as a Host header may carry it (letters, digits, dots and hyphens), and a port.
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?", re.ASCII | re.IGNORECASE)
DEFAULT_PORTS = {"http": 80, "https": 443}
SITE_URL_EXAMPLE = "https://karyabinaan.example"


def parse_site_url(raw: str) -> str:
    """Return SITE_URL as scheme://host[:port] (lower case, no default port), or raise naming it.

    Every absolute link the shop sends (mails, payment pages, sitemap, canonical links) is
    built from it, so it must be an http(s) origin: no path, query, fragment or user name.
    """
    problem = f"SITE_URL must be the shop's public address, like {SITE_URL_EXAMPLE}, not {raw!r}"
    parts = urlsplit(raw.strip())
    try:
        port = parts.port
    except ValueError:
        raise UnsafeConfiguration(f"{problem}: its port is not a number from 1 to 65535.") from None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise UnsafeConfiguration(f"{problem}: it must start with https:// or http://.")
    if parts.path.strip("/") or parts.query or parts.fragment or "?" in raw or "#" in raw:
        raise UnsafeConfiguration(f"{problem}: leave out any path, query or fragment.")
    if parts.username is not None or not HOST_NAME.fullmatch(parts.hostname):
        raise UnsafeConfiguration(f"{problem}: its host name is not valid.")
    host = parts.hostname.lower()
    if port and port != DEFAULT_PORTS[parts.scheme]:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}"


def _site_settings(debug: bool) -> dict[str, object]:
    """SITE_URL (required outside debug), the host names requests may use, and HSTS."""
    raw = os.environ.get("SITE_URL", "").strip()
    if not raw and not debug:
        raise UnsafeConfiguration(
            f"SITE_URL must be set outside debug mode: the shop's public address, like "
            f"{SITE_URL_EXAMPLE}, from which every link in mails and payment pages is built."
        )
    site_url = parse_site_url(raw) if raw else ""
    extra = [h.strip().lower() for h in os.environ.get("TRUSTED_HOSTS", "").split(",")]
    extra = [h for h in extra if h]
    for host in extra:
        if not HOST_NAME.fullmatch(host.removeprefix(".")):
            raise UnsafeConfiguration(
                f"TRUSTED_HOSTS must list host names separated by commas (a leading dot "
                f"admits every subdomain), without scheme or port; {host!r} is not one."
            )
    trusted = ([urlsplit(site_url).hostname or ""] if site_url else []) + extra
    if debug and not extra:
        trusted = []  # debug serves any host, as `flask run` always has
    return {
        "SITE_URL": site_url,
        # Only these hosts are served (Flask refuses others with 400); None: any.
        "TRUSTED_HOSTS": trusted or None,
        "HSTS_MAX_AGE": whole("HSTS_MAX_AGE", ONE_YEAR, minimum=0),
        "HSTS_INCLUDE_SUBDOMAINS": flag("HSTS_INCLUDE_SUBDOMAINS", default=True),
    }


def media_storage_settings() -> dict[str, object]:
    """MEDIA_STORAGE (local or s3) and, for s3, the buckets it needs; refuse a half setup."""
    backend = os.environ.get("MEDIA_STORAGE", "local").strip().lower() or "local"
    if backend not in {"local", "s3"}:
        raise UnsafeConfiguration(f"MEDIA_STORAGE must be local or s3, not {backend!r}.")
    settings: dict[str, object] = {"MEDIA_STORAGE": backend}
    for name in ("S3_BUCKET", "S3_PRIVATE_BUCKET", "S3_ENDPOINT_URL", "S3_REGION"):
        settings[name] = os.environ.get(name, "").strip()
    if backend == "s3":
        for name, what in (("S3_BUCKET", "product photos"),
                           ("S3_PRIVATE_BUCKET", "buyers' private reference files")):  # fmt: skip
            if not settings[name]:
                raise UnsafeConfiguration(
                    f"{name} must be set when MEDIA_STORAGE=s3: the bucket for {what}."
                )
        if settings["S3_BUCKET"] == settings["S3_PRIVATE_BUCKET"]:
            raise UnsafeConfiguration(
                "S3_PRIVATE_BUCKET must differ from S3_BUCKET: buyers' files must never be public."
            )
    return settings


def from_environment(instance_path: str) -> dict[str, object]:
    """Build the config mapping from environment variables; refuse unsafe production ones.

    Outside debug mode (FLASK_DEBUG) the shop will not start with a missing or weak
    SECRET_KEY, or without Stripe keys unless DEMO_PAYMENTS=1; UnsafeConfiguration names
    the setting at fault.
    """
    debug = os.environ.get("FLASK_DEBUG", "") in {"1", "true", "True"}
    secret = secret_key(debug)
    stripe = {
        name: os.environ.get(name, "").strip()
        for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET")
    }
    demo = flag("DEMO_PAYMENTS")
    if not debug:
        check_payments(stripe, demo)
    database_url = os.environ.get("DATABASE_URL") or _sqlite_url(instance_path)
    redis_url = os.environ.get("REDIS_URL", "")
    settings: dict[str, object] = {
        # Rendered pages are cached per process unless Redis is configured, which all
        # workers share; either way keys carry the catalog version, so nothing goes stale.
        "CACHE_TYPE": "RedisCache" if redis_url else "SimpleCache",
        "CACHE_REDIS_URL": redis_url or None,
        "REDIS_URL": redis_url,
        "PAGE_CACHE_DISABLED": os.environ.get("PAGE_CACHE_DISABLED") == "1",
        # Product cards and the pages' frame, kept apart from whole pages (for `make bench`).
        "CARD_CACHE_DISABLED": os.environ.get("CARD_CACHE_DISABLED") == "1",
        "FRAGMENT_CACHE_DISABLED": os.environ.get("FRAGMENT_CACHE_DISABLED") == "1",
        "STRIPE_SECRET_KEY": stripe["STRIPE_SECRET_KEY"],
        "STRIPE_WEBHOOK_SECRET": stripe["STRIPE_WEBHOOK_SECRET"],
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE", ""),
        "DEMO_PAYMENTS": demo,
        "CARD_LIMIT_IDR": whole("CARD_LIMIT_IDR", 250_000_000, minimum=1),
        # What gift wrap costs, set by staff; 0 stops offering it (a gift message stays free).
        "GIFT_WRAP_PRICE_IDR": whole("GIFT_WRAP_PRICE_IDR", 25_000, minimum=0),
        "STAFF_EMAIL": os.environ.get("STAFF_EMAIL", "orders@karyabinaan.example"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": whole("MAIL_PORT", 25, minimum=1, maximum=65535),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS") == "1",
        "MAIL_USE_SSL": os.environ.get("MAIL_USE_SSL") == "1",
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Karya Binaan <shop@karyabinaan.example>"
        ),
        "MAIL_OUTBOX": os.environ.get("MAIL_OUTBOX") or str(Path(instance_path) / "outbox"),
        "SECRET_KEY": secret,
        # Old keys, comma-separated, while rotating: sessions and sealed secrets still open.
        "SECRET_KEY_FALLBACKS": secret_fallbacks(debug),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "DATABASE_CONNECT_TIMEOUT": whole("DATABASE_CONNECT_TIMEOUT", 5, minimum=1),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT") or str(Path(instance_path) / "media"),
        "MEDIA_URL": os.environ.get("MEDIA_URL", "/media/"),
        # Buyers' reference files: never under MEDIA_URL, served only after an access check.
        # Defaults to a "private" folder beside MEDIA_ROOT.
        "PRIVATE_MEDIA_ROOT": os.environ.get("PRIVATE_MEDIA_ROOT", ""),
        "PRODUCTS_PER_PAGE": whole("PRODUCTS_PER_PAGE", 24, minimum=1),
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE") == "1",
        "PROXY_COUNT": whole("PROXY_COUNT", 0),
        # Sign-in attempts are counted per process unless Redis is shared by every worker.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "1") != "0",
        "SHOP_TIMEZONE": os.environ.get("SHOP_TIMEZONE", "Asia/Jakarta"),
        # /impact folds a workshop's month with fewer orders than this into its next month.
        "IMPACT_MIN_SALES": whole("IMPACT_MIN_SALES", 5, minimum=1),
        # Admins must sign in with a second factor (TOTP) when this is on.
        "STAFF_2FA_REQUIRED": flag("STAFF_2FA_REQUIRED"),
        "STAFF_IDLE_TIMEOUT_MINUTES": whole("STAFF_IDLE_TIMEOUT_MINUTES", 30, minimum=1),
        "STAFF_SESSION_HOURS": whole("STAFF_SESSION_HOURS", 12, minimum=1),
    }
    from shop.config_documents import document_settings
    from shop.config_operations import operations_settings

    settings |= operations_settings(debug) | document_settings(required=not debug and not demo)
    from shop.config_jobs import jobs_settings

    settings |= jobs_settings(redis_url)
    # Checked last, so a shop missing several settings hears of the older ones first.
    return settings | media_storage_settings() | _site_settings(debug)


def engine_options(database_url: str, options: dict[str, Any], connect_timeout: int) -> dict:
    """SQLAlchemy engine options: pooled connections are checked before use (SQLite: a
    pre-ping; PostgreSQL: their socket, see database.closed_while_idle), and on PostgreSQL
    connecting gives up after `connect_timeout` seconds, so a database that is down answers
    503 at once."""
    if not database_url.startswith(("postgresql", "postgres")):
        return {"pool_pre_ping": True, **options}
    connect_args = {"connect_timeout": connect_timeout, **options.get("connect_args", {})}
    return {"pool_pre_ping": False, **options, "connect_args": connect_args}


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


DEFAULTS: dict[str, object] = {
    "STRIPE_SECRET_KEY": "",
    "STRIPE_WEBHOOK_SECRET": "",
    "STRIPE_API_BASE": "",
    "CARD_LIMIT_IDR": 250_000_000,
    "GIFT_WRAP_PRICE_IDR": 25_000,
    "STAFF_EMAIL": "orders@karyabinaan.example",
    "MAIL_SERVER": "",
    "MAIL_DEFAULT_SENDER": "Karya Binaan <shop@karyabinaan.example>",
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_THRESHOLD": 2000,
    "CACHE_KEY_PREFIX": "kb:",
    "SQLALCHEMY_ENGINE_OPTIONS": {},  # see engine_options
    # Seconds to wait for PostgreSQL to accept a connection before answering 503.
    "DATABASE_CONNECT_TIMEOUT": 5,
    "DEMO_PAYMENTS": False,
    # Where photos and buyers' files live: "local" folders or "s3" buckets.
    "MEDIA_STORAGE": "local",
    # The shop's public address (https://karyabinaan.example): every absolute link is built
    # from it. Empty in debug and tests, where links follow the request.
    "SITE_URL": "",
    "TRUSTED_HOSTS": None,
    # Strict-Transport-Security on HTTPS (or when SITE_URL is https); 0 sends none.
    "HSTS_MAX_AGE": ONE_YEAR,
    "HSTS_INCLUDE_SUBDOMAINS": True,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
    "LANGUAGES": LANGUAGES,
    "STAFF_LANGUAGES": STAFF_LANGUAGES,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted: 0 trusts
    # none, so a visitor can't fake their address to slip past the sign-in rate limit.
    "PROXY_COUNT": 0,
    # The back office's no-JavaScript photo form sends several photos (up to 15 MB each) at once.
    "ADMIN_MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    "QUOTE_MAX_CONTENT_LENGTH": 55 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,
    "SEND_FILE_MAX_AGE_DEFAULT": 3600,
    # Every app sets these explicitly: the limiter object is shared, and its storage is made
    # afresh by each app, so one test's attempts never count against another's.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_KEY_PREFIX": "kb",
    "RATELIMIT_HEADERS_ENABLED": True,
    # If Redis goes away, count per process rather than failing every sign-in.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "LOGIN_RATE_LIMIT": "5 per minute; 30 per hour",
    # Staff sessions end after this long without a request, and after this long in all.
    "STAFF_2FA_REQUIRED": False,
    "STAFF_IDLE_TIMEOUT_MINUTES": 30,
    "STAFF_SESSION_HOURS": 12,
    # Dashboard days start at midnight here; Indonesia has no daylight saving time.
    "SHOP_TIMEZONE": "Asia/Jakarta",
    # /impact folds a workshop's month with fewer orders than this into its next month, so no
    # maker can be singled out from a month's figures.
    "IMPACT_MIN_SALES": 5,
    "REDIS_URL": "",
    # Empty: leave logging as Flask sets it up (tests); "text" or "json" from the environment.
    "LOG_FORMAT": "",
    # /metrics answers 404 unless this is set and sent as "Authorization: Bearer <token>".
    "METRICS_TOKEN": "",
    "SENTRY_DSN": "",
    "SENTRY_RELEASE": "",
    "SENTRY_ENVIRONMENT": "",
}
DEFAULTS |= DOCUMENT_DEFAULTS
