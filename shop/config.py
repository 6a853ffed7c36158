"""Configuration from the environment, with safe development defaults."""

from __future__ import annotations

import os
from pathlib import Path

# The storefront's languages (names as their readers write them); the back office is for
# staff, who read Bahasa Indonesia or English.
LANGUAGES = {"en": "English", "id": "Bahasa Indonesia", "ja": "日本語", "ko": "한국어"}
STAFF_LANGUAGES = ("en", "id")


def _sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "karya-binaan.db")


def from_environment(instance_path: str) -> dict[str, object]:
    """Build the config mapping from environment variables."""
    debug = os.environ.get("FLASK_DEBUG", "") in {"1", "true", "True"}
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        if not debug and os.environ.get("KARYA_ALLOW_DEV_SECRET") != "1":
            raise RuntimeError(
                "SECRET_KEY must be set outside debug mode "
                "(or KARYA_ALLOW_DEV_SECRET=1 for a local demo)."
            )
        secret = "dev-only-not-secret"  # noqa: S105 - development default, refused in production
    database_url = os.environ.get("DATABASE_URL") or _sqlite_url(instance_path)
    redis_url = os.environ.get("REDIS_URL", "")
    return {
        # Rendered pages are cached per process unless Redis is configured, which all
        # workers share; either way keys carry the catalog version, so nothing goes stale.
        "CACHE_TYPE": "RedisCache" if redis_url else "SimpleCache",
        "CACHE_REDIS_URL": redis_url or None,
        "PAGE_CACHE_DISABLED": os.environ.get("PAGE_CACHE_DISABLED") == "1",
        "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY", ""),
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE", ""),
        "CARD_LIMIT_IDR": int(os.environ.get("CARD_LIMIT_IDR", "250000000")),
        "STAFF_EMAIL": os.environ.get("STAFF_EMAIL", "orders@karyabinaan.example"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS") == "1",
        "MAIL_USE_SSL": os.environ.get("MAIL_USE_SSL") == "1",
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Karya Binaan <shop@karyabinaan.example>"
        ),
        "MAIL_OUTBOX": os.environ.get("MAIL_OUTBOX") or str(Path(instance_path) / "outbox"),
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT") or str(Path(instance_path) / "media"),
        "MEDIA_URL": os.environ.get("MEDIA_URL", "/media/"),
        # Buyers' reference files: never under MEDIA_URL, served only after an access check.
        # Defaults to a "private" folder beside MEDIA_ROOT.
        "PRIVATE_MEDIA_ROOT": os.environ.get("PRIVATE_MEDIA_ROOT", ""),
        # Shown to a buyer whose order is above the card limit and paid by bank transfer.
        "BANK_TRANSFER_DETAILS": os.environ.get(
            "BANK_TRANSFER_DETAILS", DEFAULTS["BANK_TRANSFER_DETAILS"]
        ),
        "SITE_URL": os.environ.get("SITE_URL", "").rstrip("/"),
        "PRODUCTS_PER_PAGE": int(os.environ.get("PRODUCTS_PER_PAGE", "24")),
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE") == "1",
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        # Sign-in attempts are counted per process unless Redis is shared by every worker.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "1") != "0",
        "SHOP_TIMEZONE": os.environ.get("SHOP_TIMEZONE", "Asia/Jakarta"),
    }


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
    "BANK_TRANSFER_DETAILS": (
        "Bank Mandiri, account 123-00-0000000-0, PT Karya Binaan Nusantara (demo details)"
    ),
    "STAFF_EMAIL": "orders@karyabinaan.example",
    "MAIL_SERVER": "",
    "MAIL_DEFAULT_SENDER": "Karya Binaan <shop@karyabinaan.example>",
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_THRESHOLD": 2000,
    "CACHE_KEY_PREFIX": "kb:",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
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
    # Dashboard days start at midnight here; Indonesia has no daylight saving time.
    "SHOP_TIMEZONE": "Asia/Jakarta",
}
