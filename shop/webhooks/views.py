"""Stripe's webhook: verified on the raw body, applied once per event."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from shop.checkout.notify import order_paid
from shop.extensions import csrf
from shop.gateways.payments import InvalidWebhook
from shop.services.ordering import payments
from shop.webhooks import bp


@bp.post("/stripe/webhook")
@csrf.exempt  # authenticated by the provider's signature instead
def stripe_webhook() -> ResponseReturnValue:
    """Verify the event's signature and apply it to its order."""
    gateway = current_app.extensions["payments"]
    try:
        event = gateway.parse_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except InvalidWebhook:
        return jsonify(error="invalid signature or payload"), 400
    outcome = payments.handle_event(event, gateway.name, on_paid=order_paid)
    current_app.logger.info("stripe event %s (%s): %s", event.id, event.type, outcome)
    return jsonify(received=True, outcome=outcome), 200
