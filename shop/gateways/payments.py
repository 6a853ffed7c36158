"""The payment provider interface: Stripe in production, a demo gateway offline.

Services talk to a PaymentGateway and receive PaymentEvents; they never see Stripe objects.
Amounts here are whole rupiah; each gateway converts to its provider's minor units.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class PaymentError(Exception):
    """The provider refused or could not be reached; str(exc) is safe to show staff."""


class ProviderUnreachable(PaymentError):
    """The provider did not answer in time or answered with a server error: nothing happened."""


class InvalidWebhook(Exception):
    """A webhook whose signature, age or body cannot be trusted."""


@dataclass(frozen=True)
class CheckoutLine:
    """One order line as the payment page shows it."""

    name: str
    sku: str
    unit_amount_idr: int
    quantity: int


@dataclass(frozen=True)
class ShippingOption:
    """The shipping fee computed by the shop for the cart and destination."""

    label: str
    amount_idr: int
    min_days: int | None = None
    max_days: int | None = None


@dataclass(frozen=True)
class CheckoutDiscount:
    """A discount code's amount off the order's items, shown as such on the payment page."""

    code: str
    amount_idr: int


@dataclass(frozen=True)
class CheckoutRequest:
    """Everything a gateway needs to open a hosted payment page for one order."""

    order_id: int
    order_number: str
    email: str
    currency: str  # "IDR"
    lines: list[CheckoutLine]
    shipping: ShippingOption
    allowed_countries: list[str]  # ISO 3166-1 alpha-2, for shipping address collection
    locale: str  # "en", "id", "ja", "ko"
    success_url: str  # may contain "{CHECKOUT_SESSION_ID}"
    cancel_url: str
    expires_at: datetime  # timezone-aware, 30–60 minutes ahead
    idempotency_key: str
    discount: CheckoutDiscount | None = None


@dataclass(frozen=True)
class CheckoutSession:
    """The provider's session: where to send the buyer."""

    id: str
    url: str


@dataclass(frozen=True)
class Address:
    """A postal address as the provider collected it."""

    name: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass(frozen=True)
class PaymentEvent:
    """A verified event from the provider, reduced to what the shop acts on."""

    id: str
    type: str  # e.g. "checkout.session.completed", "charge.refunded"
    session_id: str | None = None
    order_id: int | None = None  # from metadata / client_reference_id
    payment_status: str | None = None  # "paid", "unpaid", "no_payment_required"
    amount_minor: int | None = None  # amount_total (sessions) or amount_refunded (charges)
    currency: str | None = None  # upper-case ISO code
    payment_intent: str | None = None
    email: str | None = None
    shipping_address: Address | None = None
    amount_captured_minor: int | None = None  # charges: for full/partial refund decisions
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Refund:
    """A refund the provider accepted."""

    id: str
    amount_idr: int
    status: str


@dataclass(frozen=True)
class SessionHistory:
    """One of the provider's checkout sessions, as the events that bring the shop up to date.

    Reconciliation applies them like webhooks; their ids are derived from the session and
    amounts, so applying the same history twice changes nothing.
    """

    session_id: str
    status: str  # "open", "complete", "expired"
    events: tuple[PaymentEvent, ...] = ()


class PaymentGateway(Protocol):
    """What the shop needs from a payment provider."""

    name: str

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Open a hosted payment page; raise PaymentError on failure."""
        ...

    def parse_webhook(self, payload: bytes, signature: str | None) -> PaymentEvent:
        """Verify and decode a webhook; raise InvalidWebhook if it can't be trusted."""
        ...

    def refund(self, payment_intent: str, amount_idr: int, idempotency_key: str) -> Refund:
        """Refund part or all of a payment; raise PaymentError on failure."""
        ...

    def expire_checkout(self, session_id: str) -> None:
        """Close a hosted payment page so it can no longer be paid; raise PaymentError."""
        ...

    def session_history(self, since: datetime) -> Iterator[SessionHistory]:
        """Every checkout session created since then, newest first; raise PaymentError."""
        ...
