"""The public transparency page: makers' wages per workshop and approved month."""

from flask import Blueprint

bp = Blueprint("impact", __name__)

from shop.impact import views  # noqa: E402, F401 - registers the routes
