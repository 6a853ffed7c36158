"""discount codes: codes with limits and categories; orders and lines keep the discount

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 19:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "discount_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "percent",
                "fixed",
                name="discount_kind",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=False,
        ),
        sa.Column("percent_off", sa.Integer(), nullable=True),
        sa.Column("amount_off_idr", sa.BigInteger(), nullable=True),
        sa.Column("min_subtotal_idr", sa.BigInteger(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("max_uses_per_email", sa.Integer(), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount_off_idr IS NULL OR amount_off_idr >= 1",
            name=op.f("ck_discount_code_amount_positive"),
        ),
        sa.CheckConstraint(
            "max_uses IS NULL OR max_uses >= 1", name=op.f("ck_discount_code_max_uses_positive")
        ),
        sa.CheckConstraint(
            "max_uses_per_email IS NULL OR max_uses_per_email >= 1",
            name=op.f("ck_discount_code_max_uses_per_email_positive"),
        ),
        sa.CheckConstraint(
            "min_subtotal_idr >= 0", name=op.f("ck_discount_code_min_subtotal_not_negative")
        ),
        sa.CheckConstraint(
            "percent_off IS NULL OR (percent_off >= 1 AND percent_off <= 100)",
            name=op.f("ck_discount_code_percent_range"),
        ),
        sa.CheckConstraint("uses >= 0", name=op.f("ck_discount_code_uses_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discount_code")),
        sa.UniqueConstraint("code", name=op.f("uq_discount_code_code")),
    )
    op.create_table(
        "discount_code_category",
        sa.Column("discount_code_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["category.id"],
            name=op.f("fk_discount_code_category_category_id_category"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["discount_code_id"],
            ["discount_code.id"],
            name=op.f("fk_discount_code_category_discount_code_id_discount_code"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "discount_code_id", "category_id", name=op.f("pk_discount_code_category")
        ),
    )
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discount_code", sa.String(length=32), nullable=True))

    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("discount_idr", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_order_line_discount_range"),
            "discount_idr >= 0 AND discount_idr <= unit_price_idr * quantity",
        )

    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("discount_idr", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("discount_code", sa.String(length=32), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("discount_code_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("discount_use_held", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_shop_order_discount_code_id"), ["discount_code_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_shop_order_discount_code_id_discount_code"),
            "discount_code",
            ["discount_code_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint(batch_op.f("ck_shop_order_total_adds_up"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_shop_order_total_adds_up"),
            "total_idr = subtotal_idr - discount_idr + shipping_idr",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_shop_order_discount_range"),
            "discount_idr >= 0 AND discount_idr <= subtotal_idr",
        )


def downgrade():
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_shop_order_discount_range"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_shop_order_total_adds_up"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_shop_order_total_adds_up"), "total_idr = subtotal_idr + shipping_idr"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_shop_order_discount_code_id_discount_code"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_shop_order_discount_code_id"))
        batch_op.drop_column("discount_use_held")
        batch_op.drop_column("discount_code_id")
        batch_op.drop_column("discount_code")
        batch_op.drop_column("discount_idr")

    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_order_line_discount_range"), type_="check")
        batch_op.drop_column("discount_idr")

    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.drop_column("discount_code")

    op.drop_table("discount_code_category")
    op.drop_table("discount_code")
