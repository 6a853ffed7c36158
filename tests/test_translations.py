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


@pytest.mark.parametrize("language", ["id", "ja", "ko"])
def test_translations_keep_their_placeholders(language) -> None:
    for message in _catalog(language):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        target = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(source[-1]))
        for text in target:
            if text:  # ja/ko leave back-office messages untranslated: English shows instead
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


def _storefront_messages() -> set:
    """Every message of the storefront, its emails and its services (not the back office)."""
    from babel.messages.extract import extract_from_dir

    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for folder, method in (("shop", "python"), ("templates", "jinja2")):
        for _path, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / folder),
            method_map=[("admin/**", "ignore"), ("**.py", method), ("**.html", method),
                        ("**.txt", method)],
            keywords=keywords,
        ):  # fmt: skip
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", ["ja", "ko"])
def test_storefront_catalogs_translate_every_storefront_message(language) -> None:
    """Japanese and Korean cover the whole storefront; the back office is en/id only."""
    wanted = _storefront_messages()
    assert len(wanted) > 400
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in _catalog(language)
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    assert sorted(wanted - translated) == []
