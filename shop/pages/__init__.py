"""The shop's pages (shipping, returns, privacy, terms, FAQ, about) and the contact form."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from shop.pages import views  # noqa: E402, F401 - registers the routes
