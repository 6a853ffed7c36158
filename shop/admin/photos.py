"""Product photos in the back office: upload, reorder, choose the cover, alt text, delete."""

from shop.admin import bp  # noqa: F401
