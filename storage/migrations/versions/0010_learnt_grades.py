"""learnt grades: which confirmed answer a learnt grade followed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("grade_change") as batch:
        batch.add_column(sa.Column("learnt_from", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_grade_change_learnt_from_interview_item"),
            "interview_item",
            ["learnt_from"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("grade_change") as batch:
        batch.drop_constraint(
            op.f("fk_grade_change_learnt_from_interview_item"), type_="foreignkey"
        )
        batch.drop_column("learnt_from")
