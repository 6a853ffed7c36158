"""CSV downloads from the back office, streamed row by row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

BOM = "\ufeff"  # lets spreadsheet programs read the file as UTF-8


def csv_download(rows: Iterable[Iterable[object]], filename: str) -> Response:
    """A CSV attachment streamed as `rows` are produced (UTF-8 with a byte order mark).

    The rows are read while the response is being sent, after the view has returned:
    stream_with_context keeps the request (and so the database session) alive until then.
    """

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield BOM
        for row in rows:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = Response(stream_with_context(lines()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
