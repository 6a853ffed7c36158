"""What a buyer gives when accepting a quote: who is invoiced and where the models go.

The delivery country is the quote's own (its shipping was priced for it); the rest is kept on
the quote and copied to the order that pays it, so the pro-forma, the invoice, the packing
slip and the customs papers all name the same company, tax id and address.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from shop.models import Order, QuoteRequest


@dataclass(frozen=True)
class BuyerDetails:
    """The company, its tax/VAT id and the delivery address, as the buyer typed them."""

    company_name: str
    tax_id: str
    delivery_name: str
    delivery_line1: str
    delivery_line2: str
    delivery_city: str
    delivery_state: str
    delivery_postal_code: str
    delivery_phone: str

    @classmethod
    def of(cls, **values: str | None) -> BuyerDetails:
        """Details with each value on one line, without surrounding spaces."""
        return cls(**{f.name: " ".join((values.get(f.name) or "").split()) for f in fields(cls)})


def store(quote: QuoteRequest, details: BuyerDetails) -> None:
    """Keep the details on the quote; the caller commits."""
    for f in fields(BuyerDetails):
        setattr(quote, f.name, getattr(details, f.name))


def given(quote: QuoteRequest) -> BuyerDetails | None:
    """The details the buyer gave when accepting, or None (accepted before they were asked)."""
    if not quote.delivery_line1:
        return None
    return BuyerDetails(**{f.name: getattr(quote, f.name) or "" for f in fields(BuyerDetails)})


def copy_to_order(quote: QuoteRequest, order: Order) -> None:
    """Put the buyer's details on the order that pays the quote; the caller commits."""
    details = given(quote)
    if details is None:
        order.company_name = quote.organisation
        return
    order.company_name = details.company_name
    order.tax_id = details.tax_id
    order.ship_name = details.delivery_name
    order.ship_line1 = details.delivery_line1
    order.ship_line2 = details.delivery_line2
    order.ship_city = details.delivery_city
    order.ship_state = details.delivery_state
    order.ship_postal_code = details.delivery_postal_code
    order.ship_country = quote.country
