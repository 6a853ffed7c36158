"""Gateways to the outside world: payments, mail, media storage."""

from __future__ import annotations

from flask import Flask, url_for

from shop.gateways.payments import PaymentGateway


def payment_gateway_for(app: Flask) -> PaymentGateway:
    """Stripe when a secret key is configured, the offline demo gateway otherwise."""
    secret = app.config.get("STRIPE_SECRET_KEY")
    if secret:
        import stripe

        from shop.gateways.stripe_gateway import CONNECT_TIMEOUT, READ_TIMEOUT, StripeGateway

        stripe.enable_telemetry = False  # no client id file in $HOME, no extra headers

        return StripeGateway(
            secret,
            app.config.get("STRIPE_WEBHOOK_SECRET") or "",
            api_base=app.config.get("STRIPE_API_BASE") or None,
            connect_timeout=_seconds(app, "STRIPE_CONNECT_TIMEOUT", CONNECT_TIMEOUT),
            read_timeout=_seconds(app, "STRIPE_READ_TIMEOUT", READ_TIMEOUT),
        )
    from shop.gateways.demo_payments import DemoGateway

    return DemoGateway(lambda session_id: url_for("checkout.demo_pay", session_id=session_id))


def _seconds(app: Flask, key: str, default: float) -> float:
    """A positive number of seconds from config (a number or a numeric string)."""
    value = app.config.get(key, default)
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} must be a number of seconds, not {value!r}") from None
    if not 0 < seconds <= 120:
        raise ValueError(f"{key} must be more than 0 and at most 120 seconds")
    return seconds
