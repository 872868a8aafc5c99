"""open questions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("question_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_points", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("pass_mark", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("stage", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("question_version", schema=None) as batch_op:
        batch_op.drop_column("stage")
        batch_op.drop_column("pass_mark")
        batch_op.drop_column("key_points")
