"""Revenue split report per workshop and month, and the rates an admin sets for it."""

from shop.admin import bp  # noqa: F401
