"""search documents keep their tsv in the row, their token texts in TOAST (PostgreSQL)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 05:50:00

"""
from alembic import op

from shop.models.search import POSTGRES_DOCUMENT_STORAGE


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in POSTGRES_DOCUMENT_STORAGE:
        op.execute(statement)
    # Storage applies to rows as they are written: rewrite the table (in product order), which
    # also leaves no empty pages before the rows, as writing every row again would.
    op.execute("CLUSTER search_document USING pk_search_document")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(
        "ALTER TABLE search_document ALTER COLUMN tsv SET STORAGE EXTENDED, "
        "ALTER COLUMN name_terms SET STORAGE EXTENDED, "
        "ALTER COLUMN body_terms SET STORAGE EXTENDED"
    )
