"""A customer's private order page."""

from flask import Blueprint

bp = Blueprint("orders", __name__)

from shop.orders import views  # noqa: E402, F401 - registers the routes
