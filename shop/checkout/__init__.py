"""Checkout: from the cart to the payment page and back."""

from flask import Blueprint

bp = Blueprint("checkout", __name__)

from shop.checkout import views  # noqa: E402, F401 - registers the routes
