"""Buyers' accounts under /account: register, sign in, orders, addresses."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

from shop.account import addresses, credentials, views  # noqa: E402, F401 - registers the routes
