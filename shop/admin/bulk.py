"""Catalog CSV in the back office: export, and import with a row-by-row error report."""

from shop.admin import bp  # noqa: F401
