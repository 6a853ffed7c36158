"""What a quote and its pro-forma invoice show: the offer, its terms, the bank transfer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from shop.extensions import db
from shop.models import PriceTier, Product, QuoteOffer, QuoteRequest, QuoteStatus, Variant
from shop.services import currency
from shop.services.catalog.text import localized
from shop.services.clock import shop_day_of
from shop.services.documents.orders import country_name
from shop.services.quotes import payments as quote_payments

Q = QuoteStatus
KINDS = ("quote", "proforma")
# A pro-forma asks for payment: only for an offer the buyer may still accept or pay.
PROFORMA_STATES = frozenset({Q.ANSWERED, Q.ACCEPTED})


@dataclass(frozen=True)
class Tier:
    """A catalog volume price of the quoted model: from `min_quantity` pieces, per piece."""

    label: str
    min_quantity: int
    unit_price_idr: int


@dataclass(frozen=True)
class QuoteDocument:
    """A quote's current offer with what its documents print."""

    quote: QuoteRequest
    offer: QuoteOffer
    issued_on: date
    country_name: str
    product_name: str
    tiers: list[Tier]
    reference: str  # what the buyer writes on the transfer
    received_idr: int  # transfers that arrived so far
    approx_currency: str | None
    approx_total: str | None


def available(quote: QuoteRequest, kind: str) -> bool:
    """Whether the quote has this document: a quote once offered, a pro-forma while open."""
    if kind not in KINDS or quote.current_offer is None:
        return False
    return kind == "quote" or quote.status in PROFORMA_STATES


def _tiers(product: Product | None, locale: str) -> list[Tier]:
    if product is None:
        return []
    rows = db.session.execute(
        select(Variant.option_label, PriceTier.min_quantity, PriceTier.unit_price_idr)
        .join(PriceTier, PriceTier.variant_id == Variant.id)
        .where(Variant.product_id == product.id, Variant.is_active.is_(True))
        .order_by(Variant.position, PriceTier.min_quantity)
    )
    return [Tier(label, minimum, price) for label, minimum, price in rows]


def document_for(quote: QuoteRequest, locale: str | None = None) -> QuoteDocument:
    """The quote's current offer as a document in `locale` (the buyer's language by default)."""
    offer = quote.current_offer
    if offer is None:
        raise ValueError(f"quote {quote.number} has no offer to print")
    lang = locale or quote.locale or "en"
    product = db.session.get(Product, quote.product_id) if quote.product_id else None
    order = quote_payments.order_of(quote)
    code = currency.LOCALE_CURRENCY.get(quote.locale)
    rates = currency.current_rates()
    approx = None
    if code and rates.has(code):
        approx = "≈ " + currency.format_approx(offer.total_idr, code, rates.by_currency[code], lang)
    return QuoteDocument(
        quote=quote, offer=offer, issued_on=shop_day_of(offer.created_at),
        country_name=country_name(quote.country, lang),
        product_name=localized(product, "name", lang) if product else "",
        tiers=_tiers(product, lang),
        reference=(order.number if order and order.number else quote.number) or "",
        received_idr=order.bank_received_idr if order is not None else 0,
        approx_currency=code if approx else None, approx_total=approx,
    )  # fmt: skip
