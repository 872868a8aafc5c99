"""open questions: contradicting phrasings and the bank's vocabulary

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("question_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contradicts", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("vocabulary", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("question_version", schema=None) as batch_op:
        batch_op.drop_column("vocabulary")
        batch_op.drop_column("contradicts")
