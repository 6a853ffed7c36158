"""only products on sale keep a search document

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05 08:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    # A search reads the documents alone: drafts and archived products must have none.
    # (On SQLite the full-text table follows by its triggers.)
    op.execute(
        "DELETE FROM search_document WHERE product_id IN "
        "(SELECT id FROM product WHERE status <> 'active')"
    )


def downgrade():
    # Nothing to restore: `flask search-reindex` on the older code writes every document.
    pass
