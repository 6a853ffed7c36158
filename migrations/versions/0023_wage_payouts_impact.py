"""wage payouts and the months published on /impact (approved snapshots)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 19:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wage_payout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount_idr', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('receipt_name', sa.String(length=80), nullable=True),
    sa.Column('receipt_type', sa.String(length=40), server_default='', nullable=False),
    sa.Column('recorded_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_idr > 0', name=op.f('ck_wage_payout_amount_positive')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_wage_payout_workshop_id_workshop'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wage_payout'))
    )
    with op.batch_alter_table('wage_payout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wage_payout_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_wage_payout_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('impact_month',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('approved_by', sa.String(length=254), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_month')),
    sa.UniqueConstraint('month', name=op.f('uq_impact_month_month'))
    )
    op.create_table('impact_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('impact_month_id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=True),
    sa.Column('workshop_name', sa.String(length=200), nullable=False),
    sa.Column('corrects_month', sa.Date(), nullable=True),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('pieces', sa.Integer(), nullable=False),
    sa.Column('sales_idr', sa.BigInteger(), nullable=False),
    sa.Column('maker_share_idr', sa.BigInteger(), nullable=False),
    sa.Column('pnbp_idr', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['impact_month_id'], ['impact_month.id'], name=op.f('fk_impact_figure_impact_month_id_impact_month'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_impact_figure_workshop_id_workshop'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_figure'))
    )
    with op.batch_alter_table('impact_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_figure_impact_month_id'), ['impact_month_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_impact_figure_workshop_id'), ['workshop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('impact_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_figure_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_impact_figure_impact_month_id'))
    op.drop_table('impact_figure')
    op.drop_table('impact_month')
    with op.batch_alter_table('wage_payout', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wage_payout_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_wage_payout_period'))
    op.drop_table('wage_payout')
