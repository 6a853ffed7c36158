"""bank transfers end to end: each transfer recorded, the buyer's company, tax id and delivery
address collected when a quote is accepted, a payment reminder sent once

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 19:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

QUOTE_TEXT = (
    ('company_name', 200), ('tax_id', 40), ('delivery_name', 120), ('delivery_line1', 200),
    ('delivery_line2', 200), ('delivery_city', 120), ('delivery_state', 120),
    ('delivery_postal_code', 20), ('delivery_phone', 40),
)


def upgrade():
    op.create_table('bank_transfer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('amount_idr', sa.BigInteger(), nullable=False),
    sa.Column('transferred_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_idr > 0', name=op.f('ck_bank_transfer_amount_positive')),
    sa.CheckConstraint("direction IN ('in', 'out')", name=op.f('ck_bank_transfer_direction_known')),
    sa.ForeignKeyConstraint(['order_id'], ['shop_order.id'], name=op.f('fk_bank_transfer_order_id_shop_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_transfer')),
    sa.UniqueConstraint('order_id', 'direction', 'reference', name=op.f('uq_bank_transfer_one_record_per_transfer'))
    )
    with op.batch_alter_table('bank_transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_transfer_order_id'), ['order_id'], unique=False)

    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('tax_id', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('bank_received_idr', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('bank_returned_idr', sa.BigInteger(), server_default='0', nullable=False))

    with op.batch_alter_table('quote_request', schema=None) as batch_op:
        for name, length in QUOTE_TEXT:
            batch_op.add_column(sa.Column(name, sa.String(length=length), server_default='', nullable=False))
        batch_op.add_column(sa.Column('payment_reminder_sent_on', sa.Date(), nullable=True))

    # Orders already paid by bank transfer were paid in full, to the rupiah (the only way then).
    op.execute("UPDATE shop_order SET bank_received_idr = total_idr "
               "WHERE payment_gateway = 'bank' AND paid_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('quote_request', schema=None) as batch_op:
        batch_op.drop_column('payment_reminder_sent_on')
        for name, _length in reversed(QUOTE_TEXT):
            batch_op.drop_column(name)

    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_column('bank_returned_idr')
        batch_op.drop_column('bank_received_idr')
        batch_op.drop_column('tax_id')
        batch_op.drop_column('company_name')

    with op.batch_alter_table('bank_transfer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_transfer_order_id'))

    op.drop_table('bank_transfer')
