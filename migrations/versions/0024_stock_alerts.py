"""back-in-stock alerts; orders keep the lead time inside their delivery promise

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 19:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stock_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('status', sa.Enum('pending', 'active', 'sent', 'unsubscribed', name='stock_alert_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('confirmations_sent', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], name=op.f('fk_stock_alert_variant_id_variant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_alert')),
    sa.UniqueConstraint('variant_id', 'email', name='uq_stock_alert_variant_email')
    )
    with op.batch_alter_table('stock_alert', schema=None) as batch_op:
        batch_op.create_index('ix_stock_alert_variant_status', ['variant_id', 'status'], unique=False)
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lead_time_days', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_column('lead_time_days')
    with op.batch_alter_table('stock_alert', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_alert_variant_status')
    op.drop_table('stock_alert')
