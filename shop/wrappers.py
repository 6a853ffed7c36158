"""The request class: the back office may receive larger bodies than the storefront, and no
form field or query parameter carries a NUL character."""

from __future__ import annotations

from typing import Any

from flask import Request, current_app
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items


def _without_nul(text: Any) -> Any:
    return text.replace("\x00", "") if isinstance(text, str) else text


class TextParameters(ImmutableMultiDict):
    """Form fields and query parameters with NUL characters dropped.

    No text in the shop can hold one (PostgreSQL refuses them in text columns, so a pasted
    NUL would fail the whole save); dropping them where requests are parsed covers every form
    at once. Uploaded files are not touched.
    """

    def __init__(self, mapping: Any = None) -> None:
        """Store the pairs of `mapping`, each key and text value without NUL characters."""
        if mapping is None:
            super().__init__()
        else:
            pairs = [(_without_nul(k), _without_nul(v)) for k, v in iter_multi_items(mapping)]
            super().__init__(pairs)


class ShopRequest(Request):
    """A request whose body limit depends on where it goes.

    Flask-WTF reads the form to check CSRF before any view runs, so a view cannot raise the
    limit for itself: photo uploads to /admin/ get ADMIN_MAX_CONTENT_LENGTH (several phone
    photos in one no-JavaScript form), everything else MAX_CONTENT_LENGTH.
    """

    parameter_storage_class = TextParameters

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
