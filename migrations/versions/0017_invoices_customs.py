"""invoice numbers per year; customs data on products (HS code, origin) and variants (net weight)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 16:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'invoice_counter',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last_number', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_invoice_counter')),
    )
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_number', sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_shop_order_invoice_number'), ['invoice_number'])
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hs_code', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('origin_country', sa.String(length=2), server_default='ID', nullable=False))
    with op.batch_alter_table('variant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('net_weight_g', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_variant_net_weight'), 'net_weight_g IS NULL OR net_weight_g >= 0')


def downgrade():
    with op.batch_alter_table('variant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_variant_net_weight'), type_='check')
        batch_op.drop_column('net_weight_g')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_column('origin_country')
        batch_op.drop_column('hs_code')
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_shop_order_invoice_number'), type_='unique')
        batch_op.drop_column('invoice_number')
    op.drop_table('invoice_counter')
