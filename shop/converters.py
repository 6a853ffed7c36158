"""What a URL may carry: ids a database column can hold, text without control characters,
and page numbers a query can skip to.

Every value that does not fit simply matches no route (404) or falls back to the first page,
instead of reaching the database and failing there with a 500.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map, PathConverter, UnicodeConverter

# The largest id an integer column holds on PostgreSQL (SQLite's limit is 2**63 - 1).
MAX_ID = 2**31 - 1
# Beyond any real list; keeps (page - 1) * per_page inside a database integer.
MAX_PAGE = 100_000
# No control characters (NUL, newlines, escapes, DEL): no slug, token or file name has any,
# and PostgreSQL refuses a NUL in any text it is asked to compare.
_PRINTABLE = r"[^/\x00-\x1f\x7f]"


class IdConverter(IntegerConverter):
    """A database id: ASCII digits only, from 1 to 2**31 - 1 (`<int:order_id>`)."""

    # Ten digits at most, so int() never sees thousands of them (Python refuses over 4300).
    regex = r"[0-9]{1,10}"

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = 1,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        """Bound the id unless the route asks for tighter limits."""
        super().__init__(map, fixed_digits, min=min, max=max, signed=signed)


class TextConverter(UnicodeConverter):
    """A path segment of printable text (`<slug>`, `<token>`)."""

    def __init__(
        self, map: Map, minlength: int = 1, maxlength: int | None = None, length: int | None = None
    ) -> None:
        """Match like werkzeug's default converter, but never a control character."""
        super().__init__(map, minlength, maxlength, length)
        if length is not None:
            count = f"{{{int(length)}}}"
        else:
            count = f"{{{int(minlength)},{'' if maxlength is None else int(maxlength)}}}"
        self.regex = _PRINTABLE + count


class PrintablePathConverter(PathConverter):
    """A path of printable text (`<path:filename>` of static files)."""

    regex = r"[^/\x00-\x1f\x7f][^\x00-\x1f\x7f]*?"
    part_isolating = False  # it spans several segments, as werkzeug's does


CONVERTERS: dict[str, type[Any]] = {
    "int": IdConverter,
    "default": TextConverter,
    "string": TextConverter,
    "path": PrintablePathConverter,
}


def page_number(text: str) -> int:
    """A page number from the query string: 1 to MAX_PAGE (raises ValueError if not a number).

    Meant as `request.args.get("page", 1, type=page_number)`: text that is not a number
    gives the default page, and any number is clamped.
    """
    return min(max(int(text), 1), MAX_PAGE)
