"""The request class: the back office may receive larger bodies than the storefront."""

from __future__ import annotations

from flask import Request, current_app


class ShopRequest(Request):
    """A request whose body limit depends on where it goes.

    Flask-WTF reads the form to check CSRF before any view runs, so a view cannot raise the
    limit for itself: photo uploads to /admin/ get ADMIN_MAX_CONTENT_LENGTH (several phone
    photos in one no-JavaScript form), everything else MAX_CONTENT_LENGTH.
    """

    @property
    def max_content_length(self) -> int | None:
        """The most bytes this request's body may have."""
        if self._max_content_length is not None:
            return self._max_content_length
        if not current_app:
            return super().max_content_length
        if self.path.startswith("/admin/"):
            return current_app.config["ADMIN_MAX_CONTENT_LENGTH"]
        if self.path == "/quote":
            # A quote request may carry five reference files of up to 10 MB each.
            return current_app.config["QUOTE_MAX_CONTENT_LENGTH"]
        return current_app.config["MAX_CONTENT_LENGTH"]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
