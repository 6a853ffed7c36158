"""Categories and workshops in the back office: create and edit, with a workshop photo and story."""

from shop.admin import bp  # noqa: F401
