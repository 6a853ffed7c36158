"""The request class: the back office may receive larger bodies than the storefront, no form
field or query parameter carries a NUL character, uploads only arrive through file inputs,
and a JSON body is refused rather than read as a form."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Request, current_app
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.exceptions import UnsupportedMediaType


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


def _form_classes() -> list[type]:
    from flask_wtf import FlaskForm

    found, todo = [], [FlaskForm]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


@cache
def upload_field_names() -> frozenset[str]:
    """The names of every file input of the shop's forms (read once, when first needed)."""
    from wtforms.fields import FileField
    from wtforms.fields.core import UnboundField

    names = set()
    for form in _form_classes():
        for name in dir(form):
            field = getattr(form, name, None)
            if isinstance(field, UnboundField) and issubclass(field.field_class, FileField):
                names.add(name)
    return frozenset(names)


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

    def _load_form_data(self) -> None:
        """Parse the body; keep uploaded files only under the names of file inputs.

        Flask-WTF hands forms the files and the fields together, so a file sent in place of
        a text field would reach code expecting text (and fail with a 500); dropped here, the
        field is simply missing and the form says so.
        """
        super()._load_form_data()
        files = self.__dict__.get("files")
        wanted = upload_field_names()
        if files and any(name not in wanted for name in files):
            upload_field_names.cache_clear()  # a form module imported since is counted too
            wanted = upload_field_names()
        if files and any(name not in wanted for name in files):
            kept = []
            for name, upload in files.items(multi=True):
                if name in wanted:
                    kept.append((name, upload))
                else:
                    upload.close()  # large parts are spooled to temporary files
            self.__dict__["files"] = self.parameter_storage_class(kept)

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """Refuse a JSON body with a 415: the shop's forms are web forms and it has no JSON API.

        Flask-WTF would otherwise read any JSON (lists, nested objects, numbers) as form
        fields, which the forms' text handling cannot take. Webhooks read the raw body.
        """
        if silent:
            return None
        raise UnsupportedMediaType("This address takes a web form, not JSON.")
