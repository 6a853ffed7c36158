"""seal staff TOTP secrets at rest (encrypted with a key derived from SECRET_KEY)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 16:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def _rewrite(convert):
    table = sa.table('user_account', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(table.c.id, table.c.totp_secret).where(table.c.totp_secret.is_not(None))
    ).all()
    for user_id, value in rows:
        connection.execute(
            table.update().where(table.c.id == user_id).values(totp_secret=convert(value))
        )


def upgrade():
    from shop.sealed import seal

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64),
                              type_=sa.String(length=255), existing_nullable=True)
    _rewrite(seal)


def downgrade():
    from shop.sealed import UNREADABLE, unseal

    def opened(value):
        plain = unseal(value)
        if plain == UNREADABLE:  # never switch two-factor off by losing its secret
            raise RuntimeError("a TOTP secret does not open with SECRET_KEY: set the key it was sealed with")
        return plain

    _rewrite(opened)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255),
                              type_=sa.String(length=64), existing_nullable=True)
