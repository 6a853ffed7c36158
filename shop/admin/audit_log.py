"""The audit log page: who changed what and when, filterable."""

from shop.admin import bp  # noqa: F401
