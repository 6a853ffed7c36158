"""cache tags: one version per tag (a product's page data), for per-product page invalidation

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cache_tag',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_tag'))
    )


def downgrade():
    op.drop_table('cache_tag')
