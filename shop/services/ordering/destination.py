"""Where a first-time buyer most likely ships to, from the languages their browser names.

Checkout and the cart preselect this country (always changeable); a country the buyer
chose before, or their address book's default, wins over any guess.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

# A language spoken mostly in one country the shop ships to: ja → Japan, de → Germany, …
# English is left out: it says nothing about where its reader lives.
LANGUAGE_COUNTRY = {
    "ja": "JP", "ko": "KR", "id": "ID", "de": "DE", "fr": "FR", "nl": "NL", "it": "IT",
    "es": "ES", "pt": "PT", "ms": "MY", "th": "TH", "vi": "VN", "zh": "CN",
}  # fmt: skip


def split_tag(tag: str) -> tuple[str, str | None]:
    """A language tag's language and region: "en-GB" → ("en", "GB"), "ja" → ("ja", None)."""
    parts = tag.replace("_", "-").split("-")
    language = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    return language, region


def guess_country(locale: str, accepted: Iterable[str], shipped: Collection[str]) -> str | None:
    """The likeliest destination among `shipped`, or None when the languages don't tell.

    `locale` is the shop language the buyer reads; `accepted` their browser's language tags,
    best first. A region the browser names for the buyer's own language comes first (en-GB
    → GB), then the shop language's country (ja → JP), then the other tags in order.
    """
    tags = [split_tag(tag) for tag in accepted if tag and tag != "*"]
    candidates: list[str | None] = [region for lang, region in tags if lang == locale]
    candidates.append(LANGUAGE_COUNTRY.get(locale))
    for lang, region in tags:
        candidates += [region, LANGUAGE_COUNTRY.get(lang)]
    return next((c for c in candidates if c and c in shipped), None)
