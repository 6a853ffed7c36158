"""The audit log: staff actions are recorded, and admins read and filter them at /admin/audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry, OrderStatus, Role, Variant
from shop.services.accounts import staff as users
from shop.services.money import format_idr
from shop.services.ordering import fulfilment
from shop.services.ordering.refunds import InvalidRefund
from shop.services.reporting import audit
from tests.conftest import PASSWORD
from tests.factories import csrf_from, shop_with_stock
from tests.order_factories import REFUND_REASON, make_order, staff_refund
from tests.test_fulfilment import RecordingGateway

S = OrderStatus
STAFF = "siti@karyabinaan.example"


@pytest.fixture
def variant(app) -> Variant:
    return shop_with_stock(stock=10, price=100_000).variants[0]


@pytest.fixture
def admin(client, auth, admin_user):
    auth.login(admin_user.email)
    return client


def entries(action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def add_entry(
    action: str,
    when: datetime,
    *,
    actor: str = STAFF,
    label: str = "",
    target_type: str = "",
    target_id: int | None = None,
    changes: dict | None = None,
) -> AuditEntry:
    entry = audit.record(
        actor, action, target_type=target_type, target_id=target_id, label=label, changes=changes
    )
    entry.created_at = when
    db.session.commit()
    return entry


def log_page(client, query: str = "") -> str:
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# Recording ------------------------------------------------------------------------------


def test_packing_shipping_and_delivery_are_logged_with_what_changed(variant, staff_user) -> None:
    order = make_order(variant)
    fulfilment.mark_packed(order, staff_user)
    fulfilment.mark_shipped(order, "DHL", "JD0123", STAFF)
    fulfilment.mark_delivered(order, STAFF)
    logged = entries()
    assert [(e.action, e.actor_email, e.target_id, e.target_label) for e in logged[-3:]] == [
        ("order.packed", staff_user.email, order.id, order.number),
        ("order.shipped", STAFF, order.id, order.number),
        ("order.delivered", STAFF, order.id, order.number),
    ]
    assert logged[-3].actor_id == staff_user.id
    assert audit.changes_of(logged[-2]) == {
        "status": ["packed", "shipped"],
        "carrier": ["", "DHL"],
        "tracking_number": ["", "JD0123"],
    }


def test_cancelling_and_refunding_are_logged_with_the_amount(variant) -> None:
    order = make_order(variant)
    staff_refund(order, 30_000, RecordingGateway(), STAFF)
    other = make_order(variant)
    fulfilment.cancel(other, STAFF, "Customer asked")
    staff_refund(other, 250_000, RecordingGateway(), STAFF)
    refunded, cancelled, refunded_after = entries()[-3:]
    assert refunded.action == "order.refunded"
    assert audit.changes_of(refunded) == {
        "amount_idr": 30_000,
        "refunded_idr": [0, 30_000],
        "reason": REFUND_REASON,
        "status": ["paid", "partially_refunded"],
        "refund": "re_1",
    }
    assert cancelled.action == "order.cancelled"
    assert audit.changes_of(cancelled) == {
        "status": ["paid", "cancelled"],
        "reason": "Customer asked",
        "refund_due_idr": 250_000,
    }
    assert audit.changes_of(refunded_after) == {  # a cancelled order keeps its status
        "amount_idr": 250_000,
        "refunded_idr": [0, 250_000],
        "reason": REFUND_REASON,
        "refund": "re_1",
    }


def test_a_refused_move_or_refund_logs_nothing(variant) -> None:
    order = make_order(variant, status=S.PENDING_PAYMENT)
    before = len(entries())
    with pytest.raises(fulfilment.InvalidTransition):
        fulfilment.mark_shipped(order, "DHL", "JD1", STAFF)
    with pytest.raises(InvalidRefund):
        staff_refund(order, 1_000, RecordingGateway(), STAFF)
    with pytest.raises(Exception, match="refused"):
        staff_refund(make_order(variant), 1_000, RecordingGateway(fail=True), STAFF)
    assert len(entries()) == before


def test_accounts_created_deactivated_and_reactivated_are_logged(app, admin_user) -> None:
    user = users.create_user("ayu@example.com", PASSWORD, name="Ayu", actor=admin_user)
    users.set_active(user, False, acting_user_id=admin_user.id, actor=admin_user)
    users.set_active(user, False, acting_user_id=admin_user.id, actor=admin_user)  # no change
    users.set_active(user, True, acting_user_id=admin_user.id, actor=admin_user)
    logged = [
        (e.action, e.actor_email, e.target_label) for e in entries() if e.target_id == user.id
    ]
    assert logged == [
        ("user.created", admin_user.email, "ayu@example.com"),
        ("user.deactivated", admin_user.email, "ayu@example.com"),
        ("user.reactivated", admin_user.email, "ayu@example.com"),
    ]
    assert audit.changes_of(entries("user.created")[-1]) == {
        "role": [None, "staff"],
        "name": [None, "Ayu"],
    }


def test_the_create_admin_command_still_works_and_is_logged_as_the_shop(runner) -> None:
    result = runner.invoke(args=["create-admin", "boss@example.com", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    entry = entries("user.created")[-1]
    assert (entry.actor_email, entry.actor_id, entry.target_label) == (
        "system",
        None,
        "boss@example.com",
    )


def test_a_duplicate_account_logs_nothing(app, staff_user) -> None:
    before = len(entries())
    with pytest.raises(users.DuplicateEmail):
        users.create_user(staff_user.email, PASSWORD)
    assert len(entries()) == before


# The page -------------------------------------------------------------------------------


def test_an_order_shipped_in_the_back_office_appears_in_the_log(admin, variant) -> None:
    order = make_order(variant)
    token = csrf_from(admin.get(f"/admin/orders/{order.id}").get_data(as_text=True))
    admin.post(f"/admin/orders/{order.id}/packed", data={"csrf_token": token})
    data = {"csrf_token": token, "carrier": "POS Indonesia", "tracking_number": "RR123ID"}
    assert admin.post(f"/admin/orders/{order.id}/shipped", data=data).status_code == 303

    page = log_page(admin)
    assert "Order shipped" in page and "Order packed" in page
    assert f'href="/admin/orders/{order.id}"' in page
    assert "POS Indonesia" in page and "RR123ID" in page
    assert "Packed" in page and "Shipped" in page  # statuses in words
    assert page.index("Order shipped") < page.index("Order packed")  # newest first


def test_an_account_created_in_the_back_office_appears_in_the_log(admin, admin_user) -> None:
    token = csrf_from(admin.get("/admin/users").get_data(as_text=True))
    data = {"csrf_token": token, "email": "dewi@example.com", "name": "Dewi", "role": "staff",
            "password": PASSWORD, "confirm": PASSWORD}  # fmt: skip
    assert admin.post("/admin/users", data=data).status_code == 303
    entry = entries("user.created")[-1]
    assert (entry.actor_id, entry.target_label) == (admin_user.id, "dewi@example.com")
    page = log_page(admin, "what=user")
    assert "Staff account created" in page and "dewi@example.com" in page


def test_changes_are_shown_readably(admin) -> None:
    when = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    price = {"price_idr": [150_000, 175_000], "name": ["Garuda", "Garuda 737"]}
    add_entry("product.updated", when, label="Garuda 737", target_type="product", changes=price)
    many = {"description": ["x" * 500, "y"], "a": [1, 2], "b": [3, 4], "c": [5, 6], "d": [7, 8]}
    add_entry("product.updated", when, label="Long one", changes=many)
    add_entry("robot.dance", when, label="Mystery")
    page = log_page(admin)
    assert "Product edited" in page
    assert f"{format_idr(150_000, 'en')}</span> → <span" in page
    assert format_idr(175_000, "en") in page
    assert "x" * 79 + "…" in page and "x" * 81 not in page  # long text cut short
    assert "5 fields changed" in page and "<details>" in page
    assert "robot.dance" in page  # an unknown action is shown as stored
    assert "2 Mar 2026, 10:00" in page  # 03:00 UTC is 10:00 in Jakarta


def test_fields_and_stored_values_are_shown_in_words(admin) -> None:
    when = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    status = {"status": ["draft", "active"], "maker_share_pct": [30, 35]}
    add_entry("product.published", when, label="Garuda", target_type="product", changes=status)
    add_entry("stock.adjusted", when, label="GA-1", target_type="variant",
              changes={"reason": "produced", "mystery_field": "kept"})  # fmt: skip
    page = log_page(admin)
    assert "Draft</span> → <span" in page and "On sale" in page
    assert "Maker share (%)" in page and "maker_share_pct" not in page
    assert "Produced in the workshop" in page
    assert "mystery_field" in page  # an unknown field is shown as stored


def test_targets_link_only_to_pages_that_exist(admin, app) -> None:
    add_entry("product.updated", datetime.now(UTC), label="Teak bowl", target_type="product",
              target_id=42)  # fmt: skip
    page = log_page(admin)
    has_editor = "admin.product_edit" in app.view_functions
    assert ('href="/admin/products/42' in page) is has_editor
    assert "Teak bowl" in page


@pytest.fixture
def spread(app) -> None:
    """Entries by two people over three Jakarta days, in several groups."""
    add_entry("product.updated", datetime(2026, 3, 1, 16, 59, tzinfo=UTC), label="Teak bowl")
    add_entry("stock.adjusted", datetime(2026, 3, 1, 17, 0, tzinfo=UTC), label="SKU-BOWL")
    add_entry("order.shipped", datetime(2026, 3, 2, 5, 0, tzinfo=UTC), actor="ana@example.com",
              label="KB-2603-000001")  # fmt: skip
    add_entry("revenue_rate.set", datetime(2026, 3, 3, 5, 0, tzinfo=UTC),
              actor="diana@example.com", label="Rate from March")  # fmt: skip


def labels(page: str) -> list[str]:
    return [x for x in ("Teak bowl", "SKU-BOWL", "KB-2603-000001", "Rate from March") if x in page]


def test_filter_by_who_exact_or_part_of_an_address(admin, spread) -> None:
    assert labels(log_page(admin, "who=ana@example.com")) == ["KB-2603-000001"]
    assert labels(log_page(admin, "who=ANA")) == ["KB-2603-000001", "Rate from March"]  # diana too
    page = log_page(admin)
    assert '<option value="diana@example.com">' in page  # suggestions of who is in the log


def test_filter_by_action_group(admin, spread) -> None:
    assert labels(log_page(admin, "what=stock")) == ["SKU-BOWL"]
    assert labels(log_page(admin, "what=revenue_rate")) == ["Rate from March"]
    assert labels(log_page(admin, "what=order")) == ["KB-2603-000001"]


def test_filter_by_days_in_the_shops_time_zone(admin, spread) -> None:
    # 17:00 UTC on 1 March is midnight on 2 March in Jakarta.
    assert labels(log_page(admin, "date_from=2026-03-02&date_to=2026-03-02")) == [
        "SKU-BOWL",
        "KB-2603-000001",
    ]
    assert labels(log_page(admin, "date_to=2026-03-01")) == ["Teak bowl"]


def test_filter_by_text_in_the_target(admin, spread) -> None:
    assert labels(log_page(admin, "q=teak")) == ["Teak bowl"]
    assert labels(log_page(admin, "q=100%25")) == []  # "%" is not a wildcard


@pytest.mark.parametrize(
    ("query", "message", "found"),
    [
        ("what=everything-please", "Not a valid choice", 4),
        ("date_from=2026-02-30", "Not a valid date value", 4),
        ("date_from=0001-01-01", "Choose a date between 2000 and 2100.", 4),
        ("date_to=9999-12-31", "Choose a date between 2000 and 2100.", 4),
        # The start date is fine and still applies; only the end date is ignored.
        ("date_from=2026-03-03&date_to=2026-03-01", "The end date is before the start date.", 1),
        ("q=" + "x" * 300, "Field cannot be longer than 200 characters.", 4),
        ("who=" + "x" * 300 + "&what=stock", "Field cannot be longer than 200 characters.", 1),
    ],
)
def test_bad_filter_values_are_explained_and_ignored(admin, spread, query, message, found):
    page = log_page(admin, query)
    assert message in page
    assert len(labels(page)) == found


def test_pages_of_fifty_newest_first(admin) -> None:
    for i in range(55):
        add_entry("stock.adjusted", datetime(2026, 3, 1, 0, i, tzinfo=UTC), label=f"Entry-{i:02d};")
    first = log_page(admin, "what=stock")
    assert "Entry-54;" in first and "Entry-05;" in first and "Entry-04;" not in first
    assert first.count("Entry-") == 50 and "Page 1 of 2" in first
    second = log_page(admin, "what=stock&page=2")
    assert "Entry-04;" in second and "Entry-00;" in second and "Entry-05;" not in second
    assert 'href="/admin/audit?page=1&amp;what=stock"' in second  # paging keeps the filter
    assert log_page(admin, "what=stock&page=abc").count("Entry-") == 50
    assert "No entries match" in log_page(admin, "what=stock&page=9")


def test_the_page_needs_a_fixed_number_of_queries(admin, spread, count_queries) -> None:
    def queries_for_one_page() -> list[str]:
        before = count_queries.count
        log_page(admin)
        return count_queries.statements[before:]

    add_entry("product.updated", datetime(2026, 3, 4, tzinfo=UTC), label="P")
    few = len(queries_for_one_page())
    for i in range(30):
        add_entry("product.updated", datetime(2026, 3, 4, tzinfo=UTC), label=f"P{i}",
                  target_type="order", target_id=i, changes={"a": [1, 2]})  # fmt: skip
    statements = queries_for_one_page()
    assert len(statements) == few
    # The page, its count, and who is in the log; the rest is the signed-in account.
    assert len([s for s in statements if "audit_entry" in s]) == 3


def test_staff_cannot_read_the_log(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    assert client.get("/admin/audit").status_code == 403


def test_an_admin_sets_a_rate_and_it_appears_in_the_log(admin, make_user) -> None:
    make_user("other@example.com", role=Role.ADMIN)
    token = csrf_from(admin.get("/admin/reports/revenue-split").get_data(as_text=True))
    data = {"csrf_token": token, "effective_from": "2026-04", "pnbp_pct": "10",
            "default_maker_share_pct": "30"}  # fmt: skip
    assert admin.post("/admin/reports/revenue-split/rates", data=data).status_code == 303
    page = log_page(admin, "what=revenue_rate")
    assert "Revenue rate set" in page and "2026-04" in page
    assert 'href="/admin/reports/revenue-split"' in page
