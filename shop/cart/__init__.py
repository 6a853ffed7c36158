"""The cart: add from product pages, change quantities, estimate shipping."""

from flask import Blueprint

bp = Blueprint("cart", __name__)

from shop.cart import views  # noqa: E402, F401 - registers the routes
