"""stored verdicts: each cell's grade and probabilities, practice flags, question checks

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

The per-department choice counts and point-biserial sums (0006) were summed per viewer; the
verdicts are now computed once for the whole company and stored as judged. The next summary
computes them afresh, so no data is carried over.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM analysis_run")
    op.drop_table("analysis_moment")
    op.drop_table("analysis_choice")
    with op.batch_alter_table("analysis_run") as batch:
        batch.add_column(sa.Column("parameters", sa.JSON(), nullable=True))
    op.create_table(
        "verdict_cell",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.Float(), nullable=False)
            for name in ("expected", "estimate", "low", "high", "p_weak", "p_major")
        ),
        sa.Column("grade", sa.String(length=24), nullable=False),
        sa.Column("sureness", sa.Float(), nullable=True),
        sa.Column("auditor_chance", sa.Float(), nullable=False),
        sa.Column("finding_chance", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "department", "subject", name="pk_verdict_cell"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "verdict_practice",
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("question_code", sa.String(length=60), nullable=False),
        sa.Column("choice", sa.String(length=60), nullable=False),
        sa.Column("chosen", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("wrong_options", sa.Integer(), nullable=False),
        sa.Column("p_value", sa.Float(), nullable=False),
        sa.Column("q_value", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("department", "question_code", name="pk_verdict_practice"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "verdict_question",
        sa.Column("question_code", sa.String(length=60), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("facility_low", sa.Float(), nullable=False),
        sa.Column("facility_high", sa.Float(), nullable=False),
        sa.Column("discrimination", sa.Float(), nullable=True),
        sa.Column("discrimination_low", sa.Float(), nullable=True),
        sa.Column("discrimination_high", sa.Float(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("question_code", name="pk_verdict_question"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("verdict_question")
    op.drop_table("verdict_practice")
    op.drop_table("verdict_cell")
    op.execute("DELETE FROM analysis_run")
    with op.batch_alter_table("analysis_run") as batch:
        batch.drop_column("parameters")
    op.create_table(
        "analysis_choice",
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=60), nullable=False),
        sa.Column("question_code", sa.String(length=60), nullable=False),
        sa.Column("is_correct", sa.Boolean(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "department", "question_version_id", "choice", name="pk_analysis_choice"
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "analysis_moment",
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("question_code", sa.String(length=60), nullable=False),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("people", "answers", "correct")
        ),
        *(
            sa.Column(name, sa.Float(), nullable=False)
            for name in ("sx", "sy", "sxy", "sxx", "syy")
        ),
        sa.PrimaryKeyConstraint("department", "question_code", name="pk_analysis_moment"),
        sqlite_with_rowid=False,
    )
