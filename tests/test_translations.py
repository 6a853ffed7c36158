"""Every storefront message has an Indonesian translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


def _catalog(language: str):
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def _template_ids() -> set:
    with open(ROOT / "translations" / "messages.pot", "rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("language", ["id"])
def test_catalog_translates_every_message(language) -> None:
    catalog = _catalog(language)
    missing = [
        m.id
        for m in catalog
        if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert missing == []
    assert _template_ids() <= {m.id for m in catalog if m.id}


@pytest.mark.parametrize("language", ["id"])
def test_translations_keep_their_placeholders(language) -> None:
    for message in _catalog(language):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        target = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(source[-1]))
        for text in target:
            assert set(PLACEHOLDER.findall(text)) == wanted, message.id


def test_template_is_up_to_date_with_the_source() -> None:
    """Fails when a template gained a message that `make extract-messages` did not collect."""
    from babel.messages.extract import extract_from_dir

    method_map = [
        ("shop/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map=method_map,
        keywords={
            "_": None,
            "gettext": None,
            "ngettext": (1, 2),
            "_l": None,
            "lazy_gettext": None,
        },  # fmt: skip
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    assert found <= _template_ids()
