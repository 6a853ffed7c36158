"""Japanese lines that break between phrases, not inside words.

Japanese has no spaces, so a browser may break a product name anywhere ("ディスプレイ" split
over two lines). BudouX finds the phrase boundaries; each phrase is kept whole
(`word-break: keep-all`) and a <wbr> marks where a line may break. Browsers that know
`word-break: auto-phrase` use their own segmenter instead (static/css/shop.css).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

# Kana and CJK ideographs: text without them (or in other languages) is left as it is.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
MAX_LENGTH = 500  # names and headings; longer text is left to the browser


@lru_cache(maxsize=1)
def _parser():  # noqa: ANN202 - budoux's Parser
    import budoux

    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=4096)
def _phrases(text: str) -> tuple[str, ...]:
    return tuple(_parser().parse(text))


def phrase_breaks(text: str | None, locale: str) -> Markup:
    """The text, escaped, with a line break allowed only between Japanese phrases."""
    text = text or ""
    if locale != "ja" or len(text) > MAX_LENGTH or not _JAPANESE.search(text):
        return escape(text)
    phrases = _phrases(text)
    if len(phrases) < 2:
        return escape(text)
    parts = Markup("<wbr>").join(escape(part) for part in phrases)
    return Markup('<span class="phrases">') + parts + Markup("</span>")
