"""The audit log's recording helpers."""

from __future__ import annotations

from shop.extensions import db
from shop.models import AuditEntry, ProductStatus
from shop.services.reporting import audit
from tests.factories import make_category, make_product, make_workshop


def test_an_entry_names_the_account_and_the_changed_fields(app, admin_user) -> None:
    product = make_product(
        "Garuda 737", category=make_category(), workshop=make_workshop(),
        status=ProductStatus.DRAFT,
    )  # fmt: skip
    before = audit.snapshot(product, ["name", "status"])
    product.name = "Garuda 737-800"
    product.status = ProductStatus.ACTIVE
    changes = audit.diff(before, audit.snapshot(product, ["name", "status"]))
    audit.record(
        admin_user, "product.updated", target_type="product", target_id=product.id,
        label=product.name, changes=changes,
    )  # fmt: skip
    db.session.commit()

    # (creating admin_user logged "user.created" first)
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "product.updated")
    ).one()
    assert (entry.actor_id, entry.actor_email) == (admin_user.id, admin_user.email)
    assert audit.changes_of(entry) == {
        "name": ["Garuda 737", "Garuda 737-800"],
        "status": ["draft", "active"],
    }


def test_an_entry_without_an_account_is_the_shop_itself(app) -> None:
    audit.record(None, "order.expired", target_type="order", target_id=1)
    db.session.commit()
    assert db.session.scalars(db.select(AuditEntry.actor_email)).one() == "system"


def test_a_rolled_back_change_leaves_no_entry(app) -> None:
    audit.record("staff@example.com", "product.updated")
    db.session.rollback()
    assert db.session.scalars(db.select(AuditEntry)).all() == []
