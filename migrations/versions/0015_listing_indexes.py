"""listing indexes ending in the id tiebreaker, covering the price range (listcost)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 16:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

NEW = {
    'ix_product_list_newest': ['status', 'created_at', 'id'],
    'ix_product_list_price': ['status', 'price_min_idr', 'id', 'price_max_idr'],
    'ix_product_list_price_max': ['status', 'price_max_idr', 'id', 'price_min_idr'],
    'ix_product_list_category': ['category_id', 'status', 'created_at', 'id'],
    'ix_product_list_category_price': [
        'category_id', 'status', 'price_min_idr', 'id', 'price_max_idr'
    ],
    'ix_product_list_workshop': ['workshop_id', 'status', 'created_at', 'id'],
}
OLD = {
    'ix_product_status_created': ['status', 'created_at'],
    'ix_product_status_price': ['status', 'price_min_idr'],
    'ix_product_status_price_max': ['status', 'price_max_idr'],
    'ix_product_category_status': ['category_id', 'status'],
    'ix_product_workshop_status': ['workshop_id', 'status'],
}


def upgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        for name in OLD:
            batch_op.drop_index(name)
        for name, columns in NEW.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        for name in NEW:
            batch_op.drop_index(name)
        for name, columns in OLD.items():
            batch_op.create_index(name, columns, unique=False)
