"""Display-model quotes for airlines and companies: request, follow, accept, pay."""

from flask import Blueprint

bp = Blueprint("quotes", __name__)

from shop.quotes import documents, payment_views, views  # noqa: E402, F401 - registers the routes
