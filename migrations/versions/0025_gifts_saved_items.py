"""gifts and saved items: gift message and wrap on carts and orders; saved products

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 19:50:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "saved_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_saved_item_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_saved_item_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_item")),
        sa.UniqueConstraint(
            "customer_id", "product_id", name="uq_saved_item_customer_product"
        ),
    )
    with op.batch_alter_table("saved_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_item_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_saved_item_product_id"), ["product_id"], unique=False)

    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_gift", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("gift_message", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("gift_wrap", sa.Boolean(), server_default="0", nullable=False))

    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_gift", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("gift_message", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("gift_wrap_idr", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.drop_constraint(batch_op.f("ck_shop_order_total_adds_up"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_shop_order_total_adds_up"),
            "total_idr = subtotal_idr - discount_idr + shipping_idr + gift_wrap_idr",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_shop_order_gift_wrap_not_negative"), "gift_wrap_idr >= 0"
        )


def downgrade():
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_shop_order_gift_wrap_not_negative"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_shop_order_total_adds_up"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_shop_order_total_adds_up"),
            "total_idr = subtotal_idr - discount_idr + shipping_idr",
        )
        batch_op.drop_column("gift_wrap_idr")
        batch_op.drop_column("gift_message")
        batch_op.drop_column("is_gift")

    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.drop_column("gift_wrap")
        batch_op.drop_column("gift_message")
        batch_op.drop_column("is_gift")

    with op.batch_alter_table("saved_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_item_product_id"))
        batch_op.drop_index(batch_op.f("ix_saved_item_customer_id"))

    op.drop_table("saved_item")
