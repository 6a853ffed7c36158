"""Turning texts in any language into search tokens, the same way for documents and queries.

Latin-script words become lowercase tokens without accents ("Café" → "cafe"); a word mixing
letters and digits also gives its parts ("b737" → "b737", "b", "737"), so "737" finds
"B737-800". Chinese characters, kana and hangul are written without spaces between words,
so they become overlapping pairs ("飛行機" → "飛行", "行機"), which lets a two-character
word like 模型 or 보잉 find a longer text containing it. Tokens hold only letters and digits,
so nothing a buyer types can reach the full-text query syntax of either database.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TOKEN_LENGTH = 40
MIN_VOCABULARY_LENGTH = 3

# Han, kana (including half-width) and hangul: scripts written without spaces between words
# (Korean has spaces, but particles stick to words: 보잉의, 보잉을).
_CJK = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
_SEGMENT = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_PARTS = re.compile(r"\d+|[^\W\d_]+")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_cjk(segment: str) -> bool:
    """Whether a word is written in Chinese characters, kana or hangul."""
    return bool(re.match(rf"[{_CJK}]", segment))


def _pairs(segment: str) -> list[str]:
    if len(segment) == 1:
        return [segment]
    return [segment[i : i + 2] for i in range(len(segment) - 1)]


def segments(text: str) -> list[str]:
    """The words of a text, folded: runs of CJK characters, or of other letters and digits."""
    found = []
    for segment in _SEGMENT.findall(_fold(text)):
        word = segment if is_cjk(segment) else _strip_accents(segment)
        if word:
            found.append(word[:MAX_TOKEN_LENGTH])
    return found


def document_tokens(text: str) -> list[str]:
    """Every token a text is found by, in order, without repeats."""
    tokens: dict[str, None] = {}
    for word in segments(text):
        if is_cjk(word):
            tokens.update(dict.fromkeys(_pairs(word)))
            tokens[word[-1]] = None  # a one-character query finds the last character too
            continue
        tokens[word] = None
        parts = _PARTS.findall(word)
        if len(parts) > 1:
            tokens.update(dict.fromkeys(parts))
    return list(tokens)


def query_tokens(word: str) -> list[str]:
    """The tokens a typed word must all find (each as a prefix), in order."""
    tokens: dict[str, None] = {}
    for segment in segments(word):
        tokens.update(dict.fromkeys(_pairs(segment) if is_cjk(segment) else [segment]))
    return list(tokens)


def vocabulary_words(text: str) -> set[str]:
    """The words of a text worth suggesting for a misspelling: Latin-script, not numbers."""
    return {
        word
        for word in segments(text)
        if len(word) >= MIN_VOCABULARY_LENGTH and not is_cjk(word) and not word.isdigit()
    }


def is_spellable(word: str) -> bool:
    """Whether a typed word can be corrected from the vocabulary (see vocabulary_words)."""
    return len(word) >= MIN_VOCABULARY_LENGTH and not is_cjk(word) and not word.isdigit()


def trigrams(word: str) -> set[str]:
    """The trigrams pg_trgm takes from one word (padded with two spaces before, one after)."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity of two words: shared trigrams over all trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0
