"""The back office: staff sign in, dashboard and staff accounts, all under /admin."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

# access: the before_request guarding every route here; errors: the admin error pages.
from shop.admin import (  # noqa: E402, F401
    access,
    audit_log,
    auth,
    bank_transfers,
    bulk,
    carriers,
    catalog_setup,
    dashboard,
    discounts,
    errors,
    mail_queue,
    order_documents,
    order_payments,
    orders,
    pages,
    password_reset,
    photo_uploads,
    photos,
    products,
    quotes,
    rates,
    revenue,
    security,
    synonyms,
    templating,
    translations,
    two_factor,
    users,
    wages,
)
