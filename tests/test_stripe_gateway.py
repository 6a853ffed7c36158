"""StripeGateway through the real `stripe` library, against the local HTTP double."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import stripe

from shop.gateways.payments import (
    Address,
    CheckoutLine,
    CheckoutRequest,
    InvalidWebhook,
    PaymentError,
    ShippingOption,
)
from shop.gateways.stripe_gateway import StripeGateway
from tests.stripe_double import (
    StripeDouble,
    charge_object,
    event_payload,
    redeliveries,
    session_object,
    sign_payload,
)

SECRET_KEY = "sk_test_double_0123456789"
WEBHOOK_SECRET = "whsec_test_double_secret"
EXPIRES = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _offline_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy may divert loopback traffic; no telemetry id written to the home directory."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(stripe, "enable_telemetry", False)


@pytest.fixture
def gateway(double: StripeDouble) -> Iterator[StripeGateway]:
    gw = StripeGateway(SECRET_KEY, WEBHOOK_SECRET, api_base=double.url)
    yield gw
    gw.close()


@pytest.fixture
def hooks() -> Iterator[StripeGateway]:
    """A gateway for webhook parsing only: its API base is a closed loopback port."""
    gw = StripeGateway(SECRET_KEY, WEBHOOK_SECRET, api_base="http://127.0.0.1:9")
    yield gw
    gw.close()


def make_request(**overrides: object) -> CheckoutRequest:
    fields: dict[str, object] = {
        "order_id": 42,
        "order_number": "KB-2030-0042",
        "email": "buyer@example.com",
        "currency": "IDR",
        "lines": [
            CheckoutLine("Boeing 737-800 1:100", "AC-738-100", 100_000, 3),
            CheckoutLine("Lobby model A330 1:50", "AC-330-050", 25_000_000, 1),
        ],
        "shipping": ShippingOption("EMS to Japan", 150_000, 3, 7),
        "allowed_countries": ["JP", "KR", "US", "ID"],
        "locale": "ja",
        "success_url": "https://shop.test/checkout/done?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://shop.test/cart",
        "expires_at": EXPIRES,
        "idempotency_key": "checkout-order-42-v1",
    }
    fields.update(overrides)
    return CheckoutRequest(**fields)  # type: ignore[arg-type]


# -- create_checkout -------------------------------------------------------------------------


def test_create_checkout_sends_server_prices_in_minor_units(
    gateway: StripeGateway, double: StripeDouble
) -> None:
    session = gateway.create_checkout(make_request())

    assert session.id == "cs_test_1"
    assert session.url == "https://checkout.stripe.test/c/pay/cs_test_1"
    (sent,) = double.requests
    assert sent.method == "POST"
    assert sent.path == "/v1/checkout/sessions"
    assert sent.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sent.idempotency_key == "checkout-order-42-v1"
    form = sent.form
    assert form["mode"] == "payment"
    assert form["line_items[0][price_data][unit_amount]"] == "10000000"  # Rp100.000
    assert form["line_items[0][price_data][currency]"] == "idr"
    assert form["line_items[0][quantity]"] == "3"
    assert form["line_items[0][price_data][product_data][name]"] == "Boeing 737-800 1:100"
    assert form["line_items[0][price_data][product_data][metadata][sku]"] == "AC-738-100"
    assert form["line_items[1][price_data][unit_amount]"] == "2500000000"
    assert form["metadata[order_id]"] == "42"
    assert form["metadata[order_number]"] == "KB-2030-0042"
    assert form["payment_intent_data[metadata][order_id]"] == "42"
    assert form["client_reference_id"] == "42"
    assert form["customer_email"] == "buyer@example.com"
    assert form["locale"] == "ja"
    assert form["expires_at"] == str(int(EXPIRES.timestamp()))
    assert form["success_url"].endswith("session_id={CHECKOUT_SESSION_ID}")
    assert form["cancel_url"] == "https://shop.test/cart"

    nested = sent.nested
    assert nested["shipping_address_collection"] == {"allowed_countries": ["JP", "KR", "US", "ID"]}
    assert nested["shipping_options"] == [
        {
            "shipping_rate_data": {
                "type": "fixed_amount",
                "fixed_amount": {"amount": "15000000", "currency": "idr"},
                "display_name": "EMS to Japan",
                "delivery_estimate": {
                    "minimum": {"unit": "business_day", "value": "3"},
                    "maximum": {"unit": "business_day", "value": "7"},
                },
            }
        }
    ]
    stored = double.sessions["cs_test_1"]
    assert stored["amount_total"] == 3 * 10_000_000 + 2_500_000_000 + 15_000_000


@pytest.mark.parametrize(
    ("locale", "sent"), [("en", "en"), ("id", "id"), ("ko", "ko"), ("fr", "auto"), ("", "auto")]
)
def test_locale_is_mapped_or_left_to_stripe(
    gateway: StripeGateway, double: StripeDouble, locale: str, sent: str
) -> None:
    gateway.create_checkout(make_request(locale=locale))
    assert double.requests[0].form["locale"] == sent


def test_delivery_estimate_only_when_days_are_known(
    gateway: StripeGateway, double: StripeDouble
) -> None:
    gateway.create_checkout(make_request(shipping=ShippingOption("Courier", 50_000)))
    rate = double.requests[0].nested["shipping_options"][0]["shipping_rate_data"]
    assert "delivery_estimate" not in rate
    assert rate["fixed_amount"] == {"amount": "5000000", "currency": "idr"}


def test_same_idempotency_key_gives_the_same_session(
    gateway: StripeGateway, double: StripeDouble
) -> None:
    first = gateway.create_checkout(make_request())
    second = gateway.create_checkout(make_request())

    assert first == second
    assert list(double.sessions) == [first.id]
    assert [r.replayed for r in double.requests] == [False, True]
    assert {r.idempotency_key for r in double.requests} == {"checkout-order-42-v1"}


def test_card_error_becomes_payment_error_without_secrets(
    gateway: StripeGateway, double: StripeDouble
) -> None:
    double.fail_next(
        402,
        {"error": {"type": "card_error", "code": "card_declined", "message": "Declined"}},
    )
    with pytest.raises(PaymentError) as caught:
        gateway.create_checkout(make_request())

    message = str(caught.value)
    assert "card_declined" in message
    assert "402" in message
    assert SECRET_KEY not in message
    assert isinstance(caught.value.__cause__, stripe.CardError)
    assert double.sessions == {}


def test_server_error_that_stripe_says_not_to_retry_is_a_payment_error(
    gateway: StripeGateway, double: StripeDouble
) -> None:
    double.fail_next(500, should_retry=False)
    with pytest.raises(PaymentError, match="HTTP 500"):
        gateway.create_checkout(make_request())
    assert len(double.requests) == 1


def test_transient_server_error_is_retried_once_with_the_same_key(
    gateway: StripeGateway, double: StripeDouble
) -> None:
    double.fail_next(500, should_retry=None)
    session = gateway.create_checkout(make_request())

    assert session.id in double.sessions
    assert [r.status for r in double.requests] == [500, 200]
    assert {r.idempotency_key for r in double.requests} == {"checkout-order-42-v1"}


def test_unreachable_provider_is_a_payment_error() -> None:
    with StripeDouble() as stopped:
        url = stopped.url
    gw = StripeGateway(SECRET_KEY, WEBHOOK_SECRET, api_base=url)
    try:
        with pytest.raises(PaymentError, match="APIConnectionError"):
            gw.create_checkout(make_request())
    finally:
        gw.close()


# -- parse_webhook ---------------------------------------------------------------------------


def signed(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    return sign_payload(payload, secret, timestamp)


def test_completed_session_maps_order_amount_and_address(hooks: StripeGateway) -> None:
    payload = event_payload(
        "checkout.session.completed", session_object("cs_test_9", order_id=42), "evt_1"
    )
    event = hooks.parse_webhook(payload, signed(payload))

    assert event.id == "evt_1"
    assert event.type == "checkout.session.completed"
    assert event.session_id == "cs_test_9"
    assert event.order_id == 42
    assert event.payment_status == "paid"
    assert event.amount_minor == 10_000_000
    assert event.currency == "IDR"
    assert event.payment_intent == "pi_test_1"
    assert event.email == "buyer@example.com"
    assert event.shipping_address == Address(
        name="Aiko Tanaka",
        line1="1-2-3 Shibuya",
        line2="Apt 4",
        city="Tokyo",
        state="Tokyo",
        postal_code="150-0002",
        country="JP",
    )


def test_legacy_shipping_details_and_client_reference_id_fallback(
    hooks: StripeGateway,
) -> None:
    obj = session_object(order_id=None, legacy_shipping=True)
    obj["client_reference_id"] = "17"
    obj["shipping_details"]["address"]["line2"] = None
    payload = event_payload("checkout.session.completed", obj)
    event = hooks.parse_webhook(payload, signed(payload))

    assert event.order_id == 17
    assert event.shipping_address is not None
    assert event.shipping_address.line2 == ""
    assert event.shipping_address.country == "JP"


def test_unusable_order_reference_gives_no_order_id(hooks: StripeGateway) -> None:
    obj = session_object(order_id=None)
    obj["client_reference_id"] = "not-a-number"
    payload = event_payload("checkout.session.completed", obj)
    assert hooks.parse_webhook(payload, signed(payload)).order_id is None


@pytest.mark.parametrize(
    ("event_type", "payment_status"),
    [
        ("checkout.session.async_payment_succeeded", "paid"),
        ("checkout.session.async_payment_failed", "unpaid"),
        ("checkout.session.expired", "unpaid"),
    ],
)
def test_other_session_events_map_the_same_fields(
    hooks: StripeGateway, event_type: str, payment_status: str
) -> None:
    obj = session_object("cs_test_5", order_id=7, payment_status=payment_status)
    if event_type.endswith("expired"):
        obj.update(status="expired", payment_intent=None)
        del obj["collected_information"]
    payload = event_payload(event_type, obj)
    event = hooks.parse_webhook(payload, signed(payload))

    assert event.type == event_type
    assert (event.session_id, event.order_id, event.payment_status) == (
        "cs_test_5",
        7,
        payment_status,
    )
    if event_type.endswith("expired"):
        assert event.payment_intent is None
        assert event.shipping_address is None


def test_partial_refund_event(hooks: StripeGateway) -> None:
    obj = charge_object("ch_test_3", order_id=42, amount=10_000_000, amount_refunded=4_000_000)
    payload = event_payload("charge.refunded", obj)
    event = hooks.parse_webhook(payload, signed(payload))

    assert event.type == "charge.refunded"
    assert event.order_id == 42
    assert event.amount_minor == 4_000_000
    assert event.amount_captured_minor == 10_000_000
    assert event.payment_intent == "pi_test_1"
    assert event.currency == "IDR"
    assert event.session_id is None
    assert event.extra == {"charge_id": "ch_test_3"}


def test_unhandled_event_type_keeps_only_id_and_type(hooks: StripeGateway) -> None:
    payload = event_payload("customer.created", {"id": "cus_1", "object": "customer"}, "evt_x")
    event = hooks.parse_webhook(payload, signed(payload))
    assert (event.id, event.type, event.order_id, event.amount_minor) == (
        "evt_x",
        "customer.created",
        None,
        None,
    )


def test_rejects_missing_signature(hooks: StripeGateway) -> None:
    payload = event_payload("checkout.session.completed", session_object())
    for header in (None, ""):
        with pytest.raises(InvalidWebhook):
            hooks.parse_webhook(payload, header)


def test_rejects_signature_made_with_another_secret(hooks: StripeGateway) -> None:
    payload = event_payload("checkout.session.completed", session_object())
    with pytest.raises(InvalidWebhook):
        hooks.parse_webhook(payload, signed(payload, secret="whsec_attacker"))


def test_rejects_stale_signature(hooks: StripeGateway) -> None:
    payload = event_payload("checkout.session.completed", session_object())
    ten_minutes_ago = int(time.time()) - 600
    with pytest.raises(InvalidWebhook):
        hooks.parse_webhook(payload, signed(payload, timestamp=ten_minutes_ago))


def test_rejects_tampered_body(hooks: StripeGateway) -> None:
    payload = event_payload("checkout.session.completed", session_object(amount_total=100))
    header = signed(payload)
    tampered = payload.replace(b'"amount_total": 100', b'"amount_total": 999')
    assert tampered != payload
    with pytest.raises(InvalidWebhook):
        hooks.parse_webhook(tampered, header)


def test_rejects_garbled_signature_header(hooks: StripeGateway) -> None:
    payload = event_payload("checkout.session.completed", session_object())
    for header in ("nonsense", "t=abc,v1=00", "t=1,v0=00"):
        with pytest.raises(InvalidWebhook):
            hooks.parse_webhook(payload, header)


@pytest.mark.parametrize(
    "payload",
    [
        b"not json at all",
        b"\xff\xfe binary",
        b"[1, 2, 3]",
        json.dumps({"object": "event", "type": "checkout.session.completed"}).encode(),
        json.dumps({"id": "evt_1", "object": "event", "data": {}}).encode(),
        json.dumps({"id": 5, "type": "charge.refunded"}).encode(),
    ],
)
def test_rejects_correctly_signed_bodies_that_are_not_events(
    hooks: StripeGateway, payload: bytes
) -> None:
    with pytest.raises(InvalidWebhook):
        hooks.parse_webhook(payload, signed(payload))


# -- refund ----------------------------------------------------------------------------------


def test_refund_sends_minor_units_and_idempotency_key(
    gateway: StripeGateway, double: StripeDouble
) -> None:
    refund = gateway.refund("pi_test_1", 40_000, "refund-order-42-1")

    (sent,) = double.requests
    assert (sent.method, sent.path) == ("POST", "/v1/refunds")
    assert sent.form == {"payment_intent": "pi_test_1", "amount": "4000000"}
    assert sent.idempotency_key == "refund-order-42-1"
    assert refund.id.startswith("re_test_")
    assert refund.amount_idr == 40_000
    assert refund.status == "succeeded"


def test_refund_failure_is_a_payment_error(gateway: StripeGateway, double: StripeDouble) -> None:
    double.fail_next(
        400,
        {
            "error": {
                "type": "invalid_request_error",
                "code": "charge_already_refunded",
                "message": "Charge ch_1 has already been refunded.",
            }
        },
    )
    with pytest.raises(PaymentError, match="charge_already_refunded"):
        gateway.refund("pi_test_1", 40_000, "refund-order-42-1")
    assert double.refunds == {}


# -- what Stripe really sends ----------------------------------------------------------------


def test_v0_signatures_are_ignored_even_when_made_with_our_secret(hooks: StripeGateway) -> None:
    payload = event_payload("checkout.session.completed", session_object())
    ts = int(time.time())
    bad_v1 = sign_payload(payload, "whsec_attacker", ts, v0_secret=WEBHOOK_SECRET)
    assert ",v0=" in bad_v1
    with pytest.raises(InvalidWebhook):
        hooks.parse_webhook(payload, bad_v1)
    only_v0 = f"t={ts}," + sign_payload(payload, WEBHOOK_SECRET, ts).split(",")[-1]
    with pytest.raises(InvalidWebhook):
        hooks.parse_webhook(payload, only_v0.replace("v1=", "v0="))


def test_stripe_style_header_with_v0_is_accepted(hooks: StripeGateway) -> None:
    payload = event_payload("checkout.session.completed", session_object(), "evt_v0")
    header = signed(payload)
    assert header.count("v1=") == 1 and header.count("v0=") == 1
    assert hooks.parse_webhook(payload, header).id == "evt_v0"


@pytest.mark.parametrize("ours", ["whsec_old_secret", "whsec_new_secret"])
def test_either_secret_verifies_while_the_signing_secret_is_rolled(ours: str) -> None:
    gw = StripeGateway(SECRET_KEY, ours, api_base="http://127.0.0.1:9")
    payload = event_payload("checkout.session.completed", session_object(), "evt_roll")
    header = sign_payload(payload, ["whsec_old_secret", "whsec_new_secret"])
    assert header.count("v1=") == 2
    try:
        assert gw.parse_webhook(payload, header).id == "evt_roll"
    finally:
        gw.close()


def test_every_redelivery_of_an_event_parses_to_the_same_event(hooks: StripeGateway) -> None:
    payload = event_payload("checkout.session.completed", session_object(), "evt_again")
    headers = redeliveries(payload, WEBHOOK_SECRET, times=3)
    assert len(set(headers)) == 3  # each delivery signed afresh
    events = [hooks.parse_webhook(payload, header) for header in headers]
    assert {event.id for event in events} == {"evt_again"}
    assert events[0] == events[1] == events[2]


def test_long_non_ascii_names_and_addresses_arrive_whole(hooks: StripeGateway) -> None:
    name = "田中 愛子 " * 40 + "👩‍🎨"  # > 200 characters, with a joined emoji
    line1 = "서울특별시 강남구 테헤란로 " * 15
    line2 = "Ｍａｎｓｉｏｎ ＫＢ　１０２号室 — ﬁ ﬂ ß " * 9
    email = "a" * 200 + ".ñandú@ejemplo.example.com"
    address = {"line1": line1, "line2": line2, "city": "Zürich", "state": "Zürich",
               "postal_code": "8001", "country": "CH"}  # fmt: skip
    obj = session_object(name=name, email=email, address=address)
    payload = event_payload("checkout.session.completed", obj)
    assert "田中".encode() in payload  # sent as UTF-8, not \u escapes
    event = hooks.parse_webhook(payload, signed(payload))

    assert event.email == email and len(email) > 200
    assert event.shipping_address == Address(
        name=name, line1=line1, line2=line2, city="Zürich", state="Zürich",
        postal_code="8001", country="CH",
    )  # fmt: skip
    assert min(len(name), len(line1), len(line2)) > 200


def test_null_optional_fields_become_empty_strings(hooks: StripeGateway) -> None:
    address = {"line1": "Jl. Raya Ubud 8", "line2": None, "city": "Gianyar", "state": None,
               "postal_code": None, "country": "ID"}  # fmt: skip
    obj = session_object(address=address, customer_details=False)
    payload = event_payload("checkout.session.completed", obj)
    event = hooks.parse_webhook(payload, signed(payload))

    assert event.email == "buyer@example.com"  # from customer_email
    assert event.shipping_address == Address(
        name="Aiko Tanaka", line1="Jl. Raya Ubud 8", city="Gianyar", country="ID"
    )


def test_missing_optional_fields_are_tolerated(hooks: StripeGateway) -> None:
    obj = session_object("cs_test_bare", order_id=3)
    for key in ("customer_details", "customer_email", "payment_intent", "currency"):
        del obj[key]
    del obj["collected_information"]["shipping_details"]["address"]["line2"]
    del obj["collected_information"]["shipping_details"]["name"]
    payload = event_payload("checkout.session.completed", obj)
    event = hooks.parse_webhook(payload, signed(payload))

    assert (event.session_id, event.order_id, event.email) == ("cs_test_bare", 3, None)
    assert (event.payment_intent, event.currency) == (None, None)
    assert event.shipping_address is not None
    assert (event.shipping_address.name, event.shipping_address.line2) == ("", "")


def test_no_shipping_block_at_all_gives_no_address(hooks: StripeGateway) -> None:
    for legacy in (False, True):
        obj = session_object(shipping=False, legacy_shipping=legacy)
        payload = event_payload("checkout.session.completed", obj)
        assert hooks.parse_webhook(payload, signed(payload)).shipping_address is None


def test_country_and_name_fall_back_to_customer_details(hooks: StripeGateway) -> None:
    obj = session_object(name="Kim Minji", address={"line1": "12 Sejong-daero", "city": "Seoul"})
    shipping = obj["collected_information"]["shipping_details"]
    shipping["name"] = None
    obj["customer_details"]["address"] = {"country": "KR", "line1": None}
    payload = event_payload("checkout.session.completed", obj)
    address = hooks.parse_webhook(payload, signed(payload)).shipping_address

    assert address is not None
    assert (address.name, address.country, address.line1) == ("Kim Minji", "KR", "12 Sejong-daero")


def test_collected_information_wins_over_legacy_shipping_details(hooks: StripeGateway) -> None:
    obj = session_object(address={"line1": "New St 1", "city": "Osaka", "country": "JP"})
    obj["shipping_details"] = {"name": "Old", "address": {"line1": "Old St 9", "country": "JP"}}
    payload = event_payload("checkout.session.completed", obj)
    address = hooks.parse_webhook(payload, signed(payload)).shipping_address
    assert address is not None and address.line1 == "New St 1"


# -- session history (reconciliation) --------------------------------------------------------


def open_sessions(gateway: StripeGateway, count: int) -> list[str]:
    return [
        gateway.create_checkout(make_request(order_id=100 + n, idempotency_key=f"checkout-{n}")).id
        for n in range(count)
    ]


def test_history_lists_every_page_and_maps_paid_refunded_and_expired(
    gateway: StripeGateway, double: StripeDouble
) -> None:
    paid, expired, still_open, *rest = open_sessions(gateway, 5)
    double.pay(paid, name="Aiko Tanaka")
    double.refund_in_dashboard(paid, 4_000_000)
    double.refund_in_dashboard(paid, 1_000_000)
    double.expire(expired)
    double.cap_pages(2)

    history = {h.session_id: h for h in gateway.session_history(datetime.now(UTC) - timedelta(1))}

    assert set(history) == {paid, expired, still_open, *rest}
    lists = [r for r in double.requests if r.method == "GET" and r.path.endswith("/sessions")]
    assert len(lists) == 3  # 2 + 2 + 1, each page after the last id of the one before
    assert [r.form.get("starting_after") for r in lists][1:] == [rest[0], expired]
    completed, refunded = history[paid].events
    charge_id = next(iter(double.charges))
    assert (completed.id, completed.type) == (f"reconcile:{paid}", "checkout.session.completed")
    assert (completed.order_id, completed.payment_status) == (100, "paid")
    assert completed.shipping_address is not None
    assert completed.shipping_address.name == "Aiko Tanaka"
    assert (refunded.id, refunded.type) == (f"reconcile:{charge_id}:5000000", "charge.refunded")
    assert (refunded.order_id, refunded.amount_minor) == (100, 5_000_000)
    (gone,) = history[expired].events
    assert (gone.id, gone.type, gone.order_id) == (
        f"reconcile:{expired}",
        "checkout.session.expired",
        101,
    )
    assert history[still_open].events == ()


def test_history_leaves_out_sessions_before_the_window(
    gateway: StripeGateway, double: StripeDouble
) -> None:
    old, new = open_sessions(gateway, 2)
    double.backdate(old, 4 * 86_400)
    since = datetime.now(UTC) - timedelta(days=3)
    assert [h.session_id for h in gateway.session_history(since)] == [new]
    (listing,) = [r for r in double.requests if r.method == "GET"]
    assert listing.form["created[gte]"] == str(int(since.timestamp()))


def test_history_failure_is_a_payment_error(gateway: StripeGateway, double: StripeDouble) -> None:
    double.fail_next(401, {"error": {"type": "invalid_request_error", "message": "bad key"}})
    with pytest.raises(PaymentError, match="HTTP 401"):
        list(gateway.session_history(datetime.now(UTC)))
