"""a partial index of the options on the shelf, for listings of what is available now

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 02:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('variant', schema=None) as batch_op:
        batch_op.create_index(
            'ix_variant_in_stock', ['product_id'], unique=False,
            postgresql_where=sa.text('is_active IS true AND stock > 0'),
            sqlite_where=sa.text('is_active IS 1 AND stock > 0'),
        )


def downgrade():
    with op.batch_alter_table('variant', schema=None) as batch_op:
        batch_op.drop_index('ix_variant_in_stock')
