"""order shipping details

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:53:21.591412

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # server_default '' lets existing orders take the NOT NULL columns on PostgreSQL.
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carrier', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('tracking_number', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True))
    # History rows now name the staff member by email, which may be up to 254 characters.
    with op.batch_alter_table('order_event', schema=None) as batch_op:
        batch_op.alter_column('actor', existing_type=sa.String(length=64),
                              type_=sa.String(length=254), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('order_event', schema=None) as batch_op:
        batch_op.alter_column('actor', existing_type=sa.String(length=254),
                              type_=sa.String(length=64), existing_nullable=False)
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_column('shipped_at')
        batch_op.drop_column('tracking_number')
        batch_op.drop_column('carrier')
