"""carriers with tracking page addresses, seeded with the shop's usual carriers

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 16:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    carrier = op.create_table('carrier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('tracking_url', sa.String(length=300), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier')),
    sa.UniqueConstraint('name', name=op.f('uq_carrier_name'))
    )
    from shop.services.ordering.carriers import DEFAULT_CARRIERS

    op.bulk_insert(carrier, [{'name': n, 'tracking_url': u} for n, u in DEFAULT_CARRIERS])


def downgrade():
    op.drop_table('carrier')
