"""product photos made in the background: a state (ready/processing/failed) and the kept original

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04 22:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('product_photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Enum('ready', 'processing', 'failed', name='product_photo_state', native_enum=False, create_constraint=True, length=16), server_default='ready', nullable=False))
        batch_op.add_column(sa.Column('original_key', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('product_photo', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_product_photo_product_photo_state'), type_='check')
        batch_op.drop_column('original_key')
        batch_op.drop_column('state')
