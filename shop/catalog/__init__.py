"""Storefront catalog: product listing, product pages and workshop pages."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)

from shop.catalog import alerts, suggest_views, views  # noqa: E402, F401 - registers the routes
