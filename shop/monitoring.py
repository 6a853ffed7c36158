"""Error reports to Sentry, only when SENTRY_DSN is set."""

from __future__ import annotations

from flask import Flask


def init_sentry(app: Flask) -> bool:
    """Start reporting unhandled errors to SENTRY_DSN; do nothing at all without one.

    No personal data is sent (no cookies, user, IP address or request body), and the
    release names the deployed version so an error can be tied to it.
    """
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[FlaskIntegration()],
        send_default_pii=False,
        release=app.config.get("SENTRY_RELEASE") or None,
        environment=app.config.get("SENTRY_ENVIRONMENT") or "production",
        traces_sample_rate=0,
    )
    return True
