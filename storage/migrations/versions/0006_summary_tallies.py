"""running tallies for the summary, and the stored question analysis

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _cell_keys() -> list[sa.Column[object]]:
    return [
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "daily_tally",
        *_cell_keys(),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "day", "department", "subject", name="pk_daily_tally"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "reach",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("last_sent_on", sa.Date(), nullable=True),
        sa.Column("last_answered_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("kind", "department", "subject", "person_id", name="pk_reach"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "reach_day",
        *_cell_keys(),
        sa.Column("people_sent", sa.Integer(), nullable=False),
        sa.Column("people_answered", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "day", "department", "subject", name="pk_reach_day"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "analysis_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_answer_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analysis_run"),
    )
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
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.Float(), nullable=False)
            for name in ("sx", "sy", "sxy", "sxx", "syy")
        ),
        sa.PrimaryKeyConstraint("department", "question_code", name="pk_analysis_moment"),
        sqlite_with_rowid=False,
    )
    # Recounting one person's cell after a failed send, and the period's raw recount,
    # both look deliveries up by time.
    op.create_index("ix_delivery_delivered_at", "delivery", ["delivered_at"])
    _backfill()


def _backfill() -> None:
    # The rows already recorded get their tallies from the same statements an operator's
    # `auditready tallies rebuild` runs; tables shaped by this revision are all it touches.
    from storage.rebuild import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_delivery_delivered_at", table_name="delivery")
    for table in (
        "analysis_moment",
        "analysis_choice",
        "analysis_run",
        "reach_day",
        "reach",
        "daily_tally",
    ):
        op.drop_table(table)
