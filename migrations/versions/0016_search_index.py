"""search: one document per product in every language, its words, and staff's synonyms

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from shop.models.search import (
    POSTGRES_DOCUMENT_DDL,
    POSTGRES_WORD_DDL,
    SQLITE_DOCUMENT_DDL,
    SQLITE_DOCUMENT_DROP,
)
from shop.services.catalog.search_index import reindex_all
from shop.services.catalog.synonyms import DEFAULT_SYNONYMS, normalise_term


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_document',
    sa.Column('product_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name_terms', sa.Text(), nullable=False),
    sa.Column('body_terms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_search_document_product_id_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_search_document'))
    )
    op.create_table('search_synonym',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('expansion', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_synonym')),
    sa.UniqueConstraint('term', 'locale', name=op.f('uq_search_synonym_term'))
    )
    op.create_table('search_word',
    sa.Column('word', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_word'))
    )
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        statements = POSTGRES_DOCUMENT_DDL + POSTGRES_WORD_DDL
    else:
        statements = SQLITE_DOCUMENT_DDL
    for statement in statements:
        op.execute(statement)

    synonym = sa.table('search_synonym', sa.column('term'), sa.column('locale'),
                       sa.column('expansion'), sa.column('created_at'))
    now = sa.func.current_timestamp()
    for term, locale, expansion in DEFAULT_SYNONYMS:
        op.execute(synonym.insert().values(term=normalise_term(term), locale=locale,
                                           expansion=expansion, created_at=now))
    reindex_all(bind)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_DOCUMENT_DROP:
            op.execute(statement)
    op.drop_table('search_word')
    op.drop_table('search_synonym')
    op.drop_table('search_document')
