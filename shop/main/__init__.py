"""Home page, language choice, health check, media and crawler files."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from shop.main import views  # noqa: E402, F401 - registers the routes
