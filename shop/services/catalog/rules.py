"""The value rules of the catalog, one set for every writer: the product editor, the CSV
import and the category and workshop forms.

Plain functions without the database: each says whether a value is acceptable and, if not,
why, as a short code the caller turns into its own message.
"""

from __future__ import annotations

import re
import unicodedata

from shop.services.catalog.products import MAX_PRICE_IDR

MAX_NAME = 200
MAX_PRODUCT_SLUG = 160
MAX_CATEGORY_SLUG = 120  # workshops' slugs too
MAX_SUMMARY = 300
MAX_MATERIALS = 300
MAX_DESCRIPTION = 20_000  # Markdown
MAX_CARE_NOTES = 5_000
MAX_SKU = 64
MAX_OPTION = 120
MAX_LEAD_TIME_DAYS = 730
MAX_MAKER_SHARE_PCT = 100
MAX_STOCK = 1_000_000
MAX_WEIGHT_G = 1_000_000  # a tonne: the largest lobby model is far lighter
MAX_SIZE_MM = 100_000
# The longest text each product field may hold, and the largest number each variant field may.
PRODUCT_TEXT_LIMITS = {
    "name": MAX_NAME, "summary": MAX_SUMMARY, "description_md": MAX_DESCRIPTION,
    "materials": MAX_MATERIALS, "care_notes": MAX_CARE_NOTES,
}  # fmt: skip
VARIANT_NUMBER_LIMITS = {
    "price_idr": MAX_PRICE_IDR, "stock": MAX_STOCK, "weight_g": MAX_WEIGHT_G,
    "length_mm": MAX_SIZE_MM, "width_mm": MAX_SIZE_MM, "height_mm": MAX_SIZE_MM,
    "net_weight_g": MAX_WEIGHT_G,
}  # fmt: skip
# Customs: a Harmonized System code of 6 to 10 digits (6 international, more national), typed
# with or without dots ("4419.90" or "441990"); the country of origin as an ISO 3166 code.
HS_CODE_RE = re.compile(r"\d{6,10}")
DEFAULT_ORIGIN = "ID"

# Words of lowercase letters and digits joined by single hyphens: "teak-bowl", never
# "-bowl" or "teak--bowl".
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Starts with a letter or digit; then letters, digits, dot, underscore and hyphen. No "/":
# no SKU of the catalog uses one, and the CSV import and URLs are simpler without it.
SKU_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Whole rupiah as Indonesian staff type them: "150000", "150.000", "Rp150.000", "Rp 150.000,-",
# "150.000,00", "150000.00"; a comma followed by three digits is read as a thousands separator.
_RUPIAH_RE = re.compile(
    r"(?P<sign>-)?\s*(?:rp\.?\s*)?(?P<sign2>-)?\s*"
    r"(?P<whole>\d{1,3}(?:[.,\s]\d{3})+|\d+)(?P<cents>,-|,00?|[.,]\d{1,2})?",
    re.IGNORECASE,
)
_ZERO_CENTS = (",-", ",0", ",00", ".0", ".00")
_MAX_PRICE_DIGITS = len(str(MAX_PRICE_IDR))


class InvalidPrice(ValueError):
    """Text that is not an amount of whole rupiah.

    `reason` is "format", "negative", "decimals" or "too_large".
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_rupiah(text: str) -> int:
    """Read whole rupiah as staff type them ("150000", "150.000", "Rp150.000"); raise InvalidPrice.

    Zero cents (",00", ",-", ".00") are accepted; other decimals and negative amounts are refused.
    """
    found = _RUPIAH_RE.fullmatch((text or "").strip())
    if found is None:
        raise InvalidPrice("format")
    if found["sign"] or found["sign2"]:
        raise InvalidPrice("negative")
    if found["cents"] and found["cents"] not in _ZERO_CENTS:
        raise InvalidPrice("decimals")
    digits = re.sub(r"\D", "", found["whole"]).lstrip("0") or "0"
    if len(digits) > _MAX_PRICE_DIGITS or int(digits) > MAX_PRICE_IDR:
        raise InvalidPrice("too_large")
    return int(digits)


def slugify(text: str, max_length: int = MAX_PRODUCT_SLUG) -> str:
    """Make a URL slug from a name: "Rattan & Bamboo" → "rattan-bamboo" (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def check_slug(slug: str, max_length: int = MAX_PRODUCT_SLUG) -> str | None:
    """Return why a slug is not acceptable ("missing", "too_long", "format"), or None."""
    if not slug:
        return "missing"
    if len(slug) > max_length:
        return "too_long"
    return None if SLUG_RE.fullmatch(slug) else "format"


def check_sku(sku: str) -> str | None:
    """Return why a SKU is not acceptable ("missing", "too_long", "format"), or None."""
    if not sku:
        return "missing"
    if len(sku) > MAX_SKU:
        return "too_long"
    return None if SKU_RE.fullmatch(sku) else "format"


def check_range(value: int | None, maximum: int) -> str | None:
    """Return why a number is not within 0…maximum ("negative", "too_large"), or None."""
    if value is None:
        return None
    if value < 0:
        return "negative"
    return "too_large" if value > maximum else None


def clean_hs_code(text: str | None) -> str:
    """The HS code as stored: digits only ("4419.90" → "441990"); other characters stay, to
    be refused by check_hs_code."""
    return re.sub(r"[.\s]", "", text or "")


def check_hs_code(code: str) -> str | None:
    """Return "format" unless the code is empty (not given) or 6–10 digits."""
    return None if not code or HS_CODE_RE.fullmatch(code) else "format"


def clean_country(text: str | None) -> str:
    """A country code as stored: trimmed, upper case."""
    return (text or "").strip().upper()


def check_country(code: str) -> str | None:
    """Return "missing" or "format" unless the code is an ISO 3166 country Babel knows."""
    from babel import Locale

    if not code:
        return "missing"
    known = Locale("en").territories
    return None if re.fullmatch(r"[A-Z]{2}", code) and code in known else "format"
