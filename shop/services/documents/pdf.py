"""HTML to PDF with WeasyPrint, fonts embedded, nothing fetched from anywhere.

Documents are self-contained HTML (styles inline, no images or links to load), so the URL
fetcher refuses every request: a name or address a buyer typed can never make the renderer
reach a host or read a file. WeasyPrint embeds the subset of each font it uses (Noto Sans
CJK from fonts-noto-cjk for Japanese and Korean), so a PDF reads the same on any machine.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

from PIL import ImageFile

log = logging.getLogger(__name__)


class DocumentsUnavailable(Exception):
    """The PDF renderer (WeasyPrint and its system libraries) cannot run on this machine."""


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"documents load nothing from outside: {url[:80]!r}")


def render_pdf(html: str) -> bytes:
    """Render one HTML document to PDF bytes; raise DocumentsUnavailable if it cannot run."""
    try:
        from weasyprint import HTML  # loads Pango through cffi: imported on first use
    except (ImportError, OSError) as exc:
        log.error("WeasyPrint cannot be loaded: %r", exc)
        raise DocumentsUnavailable(str(exc)) from None
    finally:
        # WeasyPrint's import tells Pillow, for the whole process, to accept truncated
        # images; uploads must still be refused when damaged (shop/services/media/images.py).
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML(string=html, url_fetcher=_no_fetching, base_url=None).write_pdf()
