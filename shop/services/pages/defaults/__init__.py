"""The pages' default texts: `<slug>.<locale>.md`, a `# Title` line and the Markdown text.

An HTML comment right after the title is a note for developers (e.g. the tests behind the
accessibility statement's claims) and is not installed.
"""

from __future__ import annotations

import re
from pathlib import Path

FOLDER = Path(__file__).parent
DEVELOPER_NOTE = re.compile(r"\A\s*<!--.*?-->", re.DOTALL)


def default_text(slug: str, locale: str) -> tuple[str, str] | None:
    """(title, Markdown) of a page's default text in one language, or None if there is none."""
    path = FOLDER / f"{slug}.{locale}.md"
    if not path.is_file():
        return None
    first, _, body = path.read_text(encoding="utf-8").partition("\n")
    return first.removeprefix("#").strip(), DEVELOPER_NOTE.sub("", body).strip()
