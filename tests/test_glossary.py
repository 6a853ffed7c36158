"""The glossary's words are the only ones used: no second word for the same thing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "translations" / "GLOSSARY.md"


def avoided() -> dict[str, list[str]]:
    """{language: [words to avoid]} from the glossary's "Avoid" list."""
    section = GLOSSARY.read_text(encoding="utf-8").split("## Avoid", 1)[1]
    found = re.findall(r"^- ([a-z]{2}): (.+)$", section, re.MULTILINE)
    return {lang: [w.strip() for w in words.split(",")] for lang, words in found}


def texts(language: str) -> list[tuple[str, str]]:
    """(where, text) for every buyer-facing text in the language."""
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    found = [(f"catalog: {m.id!r}", s) for m in catalog if m.id
             for s in (m.string if isinstance(m.string, tuple) else (m.string,)) if s]  # fmt: skip
    demo = (ROOT / "shop" / "demo" / "translations.py").read_text(encoding="utf-8")
    found.append(("shop/demo/translations.py", demo))
    for page in (ROOT / "shop" / "services" / "pages" / "defaults").glob(f"*.{language}.md"):
        found.append((str(page.relative_to(ROOT)), page.read_text(encoding="utf-8")))
    return found


def test_the_glossary_lists_words_to_avoid() -> None:
    assert avoided() == {"ko": ["모델"], "ja": ["お見積り"]}


@pytest.mark.parametrize("language", ["ja", "ko"])
def test_no_text_uses_a_word_the_glossary_avoids(language) -> None:
    words = avoided()[language]
    offending = [(where, w) for where, text in texts(language) for w in words if w in text]
    assert offending == []
