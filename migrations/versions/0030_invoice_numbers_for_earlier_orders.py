"""invoice numbers for orders paid before invoices were numbered

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05 09:20:00

"""
from datetime import UTC

from alembic import op
import sqlalchemy as sa

from shop.services.clock import shop_day_of
from shop.services.ordering.invoices import format_number


revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    # Orders paid before migration 0017 have no invoice number, so their buyers could get no
    # invoice. They get the next numbers of the year they were paid in, in the order they
    # were paid, as status.pay gives them.
    bind = op.get_bind()
    orders = sa.table(
        "shop_order", sa.column("id"), sa.column("paid_at", sa.DateTime(timezone=True)),
        sa.column("invoice_number"),
    )
    waiting = bind.execute(
        sa.select(orders.c.id, orders.c.paid_at)
        .where(orders.c.paid_at.is_not(None), orders.c.invoice_number.is_(None))
        .order_by(orders.c.paid_at, orders.c.id)
    ).all()
    for order_id, paid_at in waiting:
        if paid_at.tzinfo is None:  # SQLite hands it back without its zone: stored in UTC
            paid_at = paid_at.replace(tzinfo=UTC)
        year = shop_day_of(paid_at).year
        bind.execute(
            sa.text("INSERT INTO invoice_counter (year, last_number) VALUES (:year, 0) "
                    "ON CONFLICT (year) DO NOTHING"),
            {"year": year},
        )
        sequence = bind.execute(
            sa.text("UPDATE invoice_counter SET last_number = last_number + 1 "
                    "WHERE year = :year RETURNING last_number"),
            {"year": year},
        ).scalar_one()
        bind.execute(
            sa.text("UPDATE shop_order SET invoice_number = :number WHERE id = :id"),
            {"number": format_number(year, int(sequence)), "id": order_id},
        )


def downgrade():
    pass  # numbers once given stay: an invoice may have been sent with one
