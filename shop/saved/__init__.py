"""Saved items: the save button on product cards and pages, and the /saved page."""

from flask import Blueprint

bp = Blueprint("saved", __name__)

from shop.saved import views  # noqa: E402, F401 - registers the routes
