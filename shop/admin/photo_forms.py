"""Forms of the product photo manager, and reading what staff sent with them."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from shop.services.media.product_photos import ALT_TEXT_MAX

_SHOWN_NAME_MAX = 80
_IDS = re.compile(r"[\s,]+")


class PhotoActionForm(FlaskForm):
    """A button that needs nothing but the CSRF token (make cover, delete)."""

    next = HiddenField()


class UploadForm(PhotoActionForm):
    """One or more photo files."""

    photos = MultipleFileField(_l("Photos"))

    def chosen_files(self) -> list[FileStorage]:
        """The files actually sent (browsers send an empty part when none was chosen)."""
        return [f for f in self.photos.data or [] if isinstance(f, FileStorage) and f.filename]


class MoveForm(PhotoActionForm):
    """Move a photo one place earlier or later."""

    direction = HiddenField(
        validators=[AnyOf(["earlier", "later"], message=_l("Choose earlier or later."))]
    )


class AltTextForm(PhotoActionForm):
    """A photo's alt text: what it shows, for people who can't see it."""

    alt_text = StringField(
        _l("Alt text"),
        validators=[
            DataRequired(_l("Describe what the photo shows: alt text is required.")),
            Length(
                max=ALT_TEXT_MAX,
                message=_l("Use at most %(num)d characters for the alt text.", num=ALT_TEXT_MAX),
            ),
        ],
    )


class ReorderForm(PhotoActionForm):
    """Every photo id of a product in the new order, separated by commas or spaces."""

    order = StringField(validators=[DataRequired(_l("The new order of the photos is missing."))])

    def photo_ids(self) -> list[int] | None:
        """The ids in order, or None if anything in the field is not a whole number."""
        parts = [part for part in _IDS.split(self.order.data or "") if part]
        # Ten digits at most: int() refuses thousands of them, and no id is that long.
        whole = [part.isascii() and part.isdigit() and len(part) <= 10 for part in parts]
        if not parts or not all(whole):
            return None
        return [int(part) for part in parts]


def shown_file_name(file_name: str | None) -> str:
    """The name of an uploaded file fit to show back to staff (never used as a path).

    Only the last part of any path survives ("../../etc/passwd.jpg" becomes "passwd.jpg",
    "C:\\Users\\x\\a.jpg" becomes "a.jpg"); control and formatting characters are dropped
    and long names shortened. Templates and scripts still escape it like any other text.
    """
    name = re.split(r"[/\\]", file_name or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > _SHOWN_NAME_MAX:
        name = name[: _SHOWN_NAME_MAX - 1] + "…"
    return name
