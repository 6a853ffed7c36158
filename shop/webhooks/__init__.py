"""Webhooks from the payment provider."""

from flask import Blueprint

bp = Blueprint("webhooks", __name__)

from shop.webhooks import views  # noqa: E402, F401 - registers the routes
