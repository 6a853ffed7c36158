"""`flask reconcile-payments`: what Stripe knows but no webhook told us, applied once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import Order, OrderStatus, Variant
from shop.services.ordering.reconcile import reconcile_payments
from tests.conftest import STRIPE_WEBHOOK_SECRET as SECRET
from tests.conftest import build_app
from tests.factories import shop_with_stock
from tests.stripe_double import (
    charge_object,
    event_payload,
    redeliveries,
    session_object,
)
from tests.test_cart import add
from tests.test_checkout import checkout
from tests.test_webhooks import paid_session, post_event


@pytest.fixture
def client(stripe_app):
    return stripe_app.test_client()


def place(client) -> tuple[Order, Variant]:
    """A buyer checks out two pieces and is sent to Stripe's page; the order awaits payment."""
    variant = shop_with_stock(stock=5).variants[0]
    add(client, variant.sku, "2")
    response = checkout(client)
    assert response.status_code == 303, response.get_data(as_text=True)
    order = db.session.scalars(select(Order).order_by(Order.id.desc())).first()
    return order, variant


def fresh(order: Order) -> Order:
    db.session.expire_all()
    return db.session.get(Order, order.id)


def stock(variant: Variant) -> int:
    db.session.expire_all()
    return db.session.get(Variant, variant.id).stock


def reconcile(app, *args: str) -> list[str]:
    result = app.test_cli_runner().invoke(args=["reconcile-payments", *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_a_payment_whose_webhook_never_came_is_applied_once(stripe_app, client, double) -> None:
    order, variant = place(client)
    # Someone else's payment page, still open.
    double.add_session(session_object("cs_test_open", status="open", payment_status="unpaid",
                                      order_id=None, payment_intent=None))  # fmt: skip
    double.pay(order.payment_session_id, name="山田 花子", address={
        "line1": "2-1-1 Nihonbashi", "line2": None, "city": "Chūō-ku", "state": None,
        "postal_code": "103-0027", "country": "JP"})  # fmt: skip

    assert reconcile(stripe_app) == [
        f"{order.number}: paid",
        "2 sessions checked, 1 changed",
        "No confirmation mail went to these buyers: without SERVER_NAME the command cannot "
        "link to their orders.",
    ]
    order = fresh(order)
    assert order.status == OrderStatus.PAID
    assert (order.ship_name, order.ship_city, order.ship_line2) == ("山田 花子", "Chūō-ku", "")
    assert order.payment_intent and order.payment_intent.startswith("pi_test_")
    assert stock(variant) == 3  # the reserved pieces stay sold

    assert reconcile(stripe_app) == ["2 sessions checked, 0 changed"]
    assert [e.to_status for e in fresh(order).events].count("paid") == 1


@pytest.fixture
def named_app(tmp_path: Path, postgres_schema_ready, double, monkeypatch):
    """A Stripe shop that knows its own address, so commands can link to orders in mail."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield from build_app(
        tmp_path, STRIPE_SECRET_KEY="sk_test_123", STRIPE_WEBHOOK_SECRET=SECRET,
        STRIPE_API_BASE=double.url, SERVER_NAME="shop.example",
    )  # fmt: skip


def test_the_buyer_gets_a_confirmation_when_the_shop_knows_its_address(named_app, double) -> None:
    order, _ = place(named_app.test_client())
    double.pay(order.payment_session_id)
    outbox = Path(named_app.config["MAIL_OUTBOX"])
    before = set(outbox.glob("*.eml"))

    assert reconcile(named_app) == [f"{order.number}: paid", "1 session checked, 1 changed"]
    mails = set(outbox.glob("*.eml")) - before
    assert len(mails) == 2  # the buyer's confirmation and the staff notice
    assert any(f"http://shop.example/orders/{order.token}".encode() in m.read_bytes()
               for m in mails)  # fmt: skip


def test_a_webhook_arriving_after_reconciliation_changes_nothing(
    stripe_app, client, double
) -> None:
    order, _ = place(client)
    session = double.pay(order.payment_session_id)
    reconcile(stripe_app)

    late = post_event(client, "checkout.session.completed", session | {"metadata": {
        "order_id": str(order.id)}}, event_id="evt_late")  # fmt: skip
    assert late.get_json()["outcome"] == "already paid"
    assert [e.to_status for e in fresh(order).events].count("paid") == 1


def test_sessions_already_told_by_webhook_are_left_alone(stripe_app, client, double) -> None:
    order, _ = place(client)
    double.pay(order.payment_session_id)
    post_event(client, "checkout.session.completed", paid_session(order), event_id="evt_1")
    assert fresh(order).status == OrderStatus.PAID

    assert reconcile(stripe_app) == ["1 session checked, 0 changed"]


def test_a_refund_made_in_the_stripe_dashboard_shows_up(stripe_app, client, double) -> None:
    order, _ = place(client)
    double.pay(order.payment_session_id)
    post_event(client, "checkout.session.completed", paid_session(order), event_id="evt_1")
    part = order.total_idr // 4
    charge = double.refund_in_dashboard(order.payment_session_id, part * 100)

    assert reconcile(stripe_app) == [f"{order.number}: refunded", "1 session checked, 1 changed"]
    order = fresh(order)
    assert (order.status, order.refunded_idr) == (OrderStatus.PARTIALLY_REFUNDED, part)

    # Stripe's own charge.refunded, delivered late, carries the same cumulative amount.
    late = charge_object(
        charge["id"], order_id=order.id, amount=order.total_idr * 100,
        amount_refunded=part * 100, payment_intent=order.payment_intent,
    )  # fmt: skip
    assert post_event(client, "charge.refunded", late).get_json()["outcome"] == "already recorded"

    double.refund_in_dashboard(order.payment_session_id)  # the rest
    assert reconcile(stripe_app) == [f"{order.number}: refunded", "1 session checked, 1 changed"]
    order = fresh(order)
    assert (order.status, order.refunded_idr) == (OrderStatus.REFUNDED, order.total_idr)
    assert reconcile(stripe_app)[-1] == "1 session checked, 0 changed"


def test_an_expired_session_returns_the_stock_of_an_order_still_waiting(
    stripe_app, client, double
) -> None:
    order, variant = place(client)
    assert stock(variant) == 3
    double.expire(order.payment_session_id)

    assert reconcile(stripe_app) == [f"{order.number}: expired", "1 session checked, 1 changed"]
    assert fresh(order).status == OrderStatus.EXPIRED
    assert stock(variant) == 5
    assert reconcile(stripe_app) == ["1 session checked, 0 changed"]


def test_an_expired_old_session_does_not_touch_an_order_paid_another_way(
    stripe_app, client, double
) -> None:
    order, _ = place(client)
    double.pay(order.payment_session_id)
    post_event(client, "checkout.session.completed", paid_session(order), event_id="evt_1")
    stale = double.add_session(dict(double.sessions[order.payment_session_id],
                                    id="cs_test_stale", status="expired"))  # fmt: skip
    assert stale["metadata"]["order_id"] == str(order.id)

    assert reconcile(stripe_app) == ["2 sessions checked, 0 changed"]
    assert fresh(order).status == OrderStatus.PAID


def test_only_sessions_of_the_last_days_are_read(stripe_app, client, double) -> None:
    order, _ = place(client)
    double.pay(order.payment_session_id)
    double.backdate(order.payment_session_id, 5 * 86_400)

    assert reconcile(stripe_app, "--days", "3") == ["0 sessions checked, 0 changed"]
    assert reconcile(stripe_app, "--days", "7")[:2] == [
        f"{order.number}: paid",
        "1 session checked, 1 changed",
    ]
    listing = [r for r in double.requests if r.method == "GET"][0]
    expected = (datetime.now(UTC) - timedelta(days=3)).timestamp()
    assert abs(int(listing.form["created[gte]"]) - expected) < 60


def test_a_paid_session_without_an_order_is_reported(stripe_app, client, double) -> None:
    place(client)
    ghost = double.add_session(dict(next(iter(double.sessions.values())), id="cs_test_ghost",
                                    metadata={}, client_reference_id=None))  # fmt: skip
    double.pay(ghost["id"])

    lines = reconcile(stripe_app)
    assert "cs_test_ghost: no matching order" in lines
    assert lines[-1] == "2 sessions checked, 0 changed, 1 need a look"


@pytest.mark.parametrize("days", ["0", "91", "three"])
def test_a_bad_window_is_refused(stripe_app, double, days: str) -> None:
    result = stripe_app.test_cli_runner().invoke(args=["reconcile-payments", "--days", days])
    assert result.exit_code == 2
    assert double.requests == []


def test_stripe_unreachable_is_a_clear_error_that_changes_nothing(
    stripe_app, client, double
) -> None:
    order, _ = place(client)
    double.pay(order.payment_session_id)
    double.fail_next(500, should_retry=None, times=2)

    result = stripe_app.test_cli_runner().invoke(args=["reconcile-payments"])
    assert result.exit_code == 1
    assert "could not list checkout sessions" in result.output
    assert "HTTP 500" in result.output
    assert fresh(order).status == OrderStatus.PENDING_PAYMENT


def test_the_service_reports_each_outcome(stripe_app, client, double) -> None:
    order, _ = place(client)
    double.pay(order.payment_session_id)
    since = datetime.now(UTC) - timedelta(hours=1)
    gateway = stripe_app.extensions["payments"]

    first = reconcile_payments(gateway, since)
    assert (first.sessions_checked, first.outcomes) == (1, [(order.number, "paid")])
    again = reconcile_payments(gateway, since)
    assert (again.outcomes, again.changes) == ([(order.number, "duplicate")], [])


def test_the_demo_gateway_has_nothing_to_reconcile(app) -> None:
    result = app.test_cli_runner().invoke(args=["reconcile-payments"])
    assert result.exit_code == 0
    assert "nothing to reconcile" in result.output


def test_a_webhook_delivered_three_times_is_applied_once(client, double) -> None:
    order, _ = place(client)
    payload = event_payload("checkout.session.completed", paid_session(order), "evt_thrice")
    outcomes = [
        client.post(
            "/stripe/webhook", data=payload, headers={"Stripe-Signature": header}
        ).get_json()["outcome"]  # fmt: skip
        for header in redeliveries(payload, SECRET, times=3)
    ]
    assert outcomes == ["paid", "duplicate", "duplicate"]
    assert fresh(order).status == OrderStatus.PAID
