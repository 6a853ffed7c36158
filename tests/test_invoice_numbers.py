"""Invoice numbers: one per paid order, given at payment, consecutive without gaps per year."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from shop.extensions import db
from shop.models import InvoiceCounter, OrderStatus, Product
from shop.services.ordering import invoices, payments
from shop.services.ordering import status as order_status
from tests.factories import shop_with_stock
from tests.races import fresh, new_variant, paid_event, place, run_together, values

ROUNDS = 3
YEAR = datetime.now(UTC).year  # Jakarta's year but at New Year's Eve, UTC+7


@pytest.fixture
def product(app) -> Product:
    return shop_with_stock(stock=10)


def _sequence(number: str) -> tuple[int, int]:
    match = re.fullmatch(r"KB-(\d{4})-(\d{5})", number)
    assert match, f"not an invoice number: {number!r}"
    return int(match[1]), int(match[2])


def _pay(order_id: int):
    event = paid_event(order_id)
    return lambda: payments.handle_event(event, "demo")


def test_a_paid_order_gets_the_next_number_once(app, product) -> None:
    variant = new_variant(product, stock=5)
    first, second = place(variant, 1, overdue=False), place(variant, 1, overdue=False)
    assert fresh(first).invoice_number is None  # nothing until the money is in
    event = paid_event(first)
    assert payments.handle_event(event, "demo") == "paid"
    payments.handle_event(paid_event(second), "demo")
    number = fresh(first).invoice_number
    year, sequence = _sequence(number)
    assert year in (YEAR, YEAR + 1)
    assert _sequence(fresh(second).invoice_number) == (year, sequence + 1)
    # A repeated or second payment event leaves the number as it was.
    payments.handle_event(paid_event(first), "demo")
    assert fresh(first).invoice_number == number


def test_a_payment_that_rolls_back_leaves_no_gap(app, product) -> None:
    variant = new_variant(product, stock=5)
    first, second = place(variant, 1, overdue=False), place(variant, 1, overdue=False)
    order = order_status.lock(first)
    order_status.pay(order, actor="system", note="paid")
    taken = order.invoice_number
    db.session.rollback()  # e.g. the mail or a later step failed: nothing was kept
    assert fresh(first).invoice_number is None
    payments.handle_event(paid_event(second), "demo")
    assert fresh(second).invoice_number == taken


def test_numbers_start_again_each_year() -> None:
    assert invoices.format_number(2027, 1) == "KB-2027-00001"


def test_two_orders_paid_at_once_get_distinct_consecutive_numbers(app, product) -> None:
    for _ in range(ROUNDS):
        variant = new_variant(product, stock=4)
        a, b = place(variant, 1, overdue=False), place(variant, 1, overdue=False)
        assert values(run_together(app, _pay(a), _pay(b))) == ["paid", "paid"]
        numbers = sorted(_sequence(fresh(o).invoice_number) for o in (a, b))
        (year_a, n_a), (year_b, n_b) = numbers
        assert year_a == year_b and n_b == n_a + 1, f"not consecutive: {numbers}"
    counter = db.session.get(InvoiceCounter, year_b)
    assert counter is not None and counter.last_number == n_b == 2 * ROUNDS
    assert fresh(a).status == OrderStatus.PAID


def test_orders_paid_before_invoices_were_numbered_get_numbers_on_upgrade(tmp_path) -> None:
    from datetime import timedelta

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from shop import create_app
    from shop.models import Order
    from tests.conftest import _test_config
    from tests.databases import empty_database
    from tests.order_factories import make_order

    with empty_database(tmp_path, "kb_invoice_backfill") as url:
        app = create_app(_test_config(tmp_path, url))
        with app.app_context():
            upgrade()
            variant = shop_with_stock(stock=20).variants[0]
            recent = make_order(variant)  # numbered when paid: KB-<year>-00001
            earlier = make_order(variant, created_at=datetime(2025, 6, 1, 3, tzinfo=UTC))
            this_year = make_order(variant, created_at=datetime.now(UTC) - timedelta(minutes=1))
            waiting = make_order(variant, status=OrderStatus.PENDING_PAYMENT)
            # As the shop stood before numbers: none on the two, no counter for last year.
            db.session.execute(
                text("UPDATE shop_order SET invoice_number = NULL WHERE id IN (:a, :b)"),
                {"a": earlier.id, "b": this_year.id},
            )
            db.session.execute(text("DELETE FROM invoice_counter WHERE year = 2025"))
            db.session.execute(
                text("UPDATE invoice_counter SET last_number = 1 WHERE year = :y"), {"y": YEAR}
            )
            db.session.commit()
            ids = (recent.id, earlier.id, this_year.id, waiting.id)

            downgrade(revision="0029")
            upgrade()
            db.session.expire_all()
            numbers = [db.session.get(Order, i).invoice_number for i in ids]
            assert numbers == [f"KB-{YEAR}-00001", "KB-2025-00001", f"KB-{YEAR}-00002", None]
            # The next payment goes on from there.
            assert invoices.next_number(YEAR) == f"KB-{YEAR}-00003"
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()
