"""Gateways to the outside world: payments, mail, media storage."""

from __future__ import annotations

from flask import Flask, url_for

from shop.gateways.payments import PaymentGateway


def payment_gateway_for(app: Flask) -> PaymentGateway:
    """Stripe when a secret key is configured, the offline demo gateway otherwise."""
    secret = app.config.get("STRIPE_SECRET_KEY")
    if secret:
        import stripe

        from shop.gateways.stripe_gateway import StripeGateway

        stripe.enable_telemetry = False  # no client id file in $HOME, no extra headers

        return StripeGateway(
            secret,
            app.config.get("STRIPE_WEBHOOK_SECRET") or "",
            api_base=app.config.get("STRIPE_API_BASE") or None,
        )
    from shop.gateways.demo_payments import DemoGateway

    return DemoGateway(lambda session_id: url_for("checkout.demo_pay", session_id=session_id))
