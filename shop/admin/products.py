"""Products in the back office: list, create and edit with variants, publish, archive; stock."""

from shop.admin import bp  # noqa: F401
