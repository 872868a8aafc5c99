"""answer clauses for reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_clause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("clause", sa.String(length=60), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("is_correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_answer_clause_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_clause")),
        sa.UniqueConstraint("answer_id", "clause", name=op.f("uq_answer_clause_answer_id_clause")),
    )
    with op.batch_alter_table("answer_clause", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_answer_clause_answered_at"), ["answered_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_answer_clause_clause"), ["clause"], unique=False)

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_answered_at"), ["answered_at"], unique=False)
        batch_op.add_column(
            sa.Column("choice", sa.String(length=60), nullable=False, server_default="")
        )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.alter_column(
            "country", existing_type=sa.String(length=2), type_=sa.String(length=12)
        )
    _backfill()


def _backfill() -> None:
    """One answer_clause row per clause of every answer already recorded."""
    answer = sa.table(
        "answer",
        sa.column("id", sa.Integer),
        sa.column("clauses", sa.JSON),
        sa.column("person_id", sa.Integer),
        sa.column("department", sa.String),
        sa.column("is_correct", sa.Boolean),
        sa.column("answered_at", sa.DateTime(timezone=True)),
        sa.column("chosen", sa.JSON),
        sa.column("choice", sa.String),
    )
    answer_clause = sa.table(
        "answer_clause",
        sa.column("answer_id", sa.Integer),
        sa.column("clause", sa.String),
        sa.column("person_id", sa.Integer),
        sa.column("department", sa.String),
        sa.column("is_correct", sa.Boolean),
        sa.column("answered_at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    rows = [
        {
            "answer_id": row.id,
            "clause": clause,
            "person_id": row.person_id,
            "department": row.department,
            "is_correct": row.is_correct,
            "answered_at": row.answered_at,
        }
        for row in connection.execute(sa.select(answer))
        for clause in dict.fromkeys(row.clauses or [])
    ]
    if rows:
        connection.execute(sa.insert(answer_clause), rows)
    for row in connection.execute(sa.select(answer.c.id, answer.c.chosen)).all():
        choice = ",".join(sorted(row.chosen or []))
        connection.execute(sa.update(answer).where(answer.c.id == row.id).values(choice=choice))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.alter_column(
            "country", existing_type=sa.String(length=12), type_=sa.String(length=2)
        )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_column("choice")
        batch_op.drop_index(batch_op.f("ix_answer_answered_at"))

    with op.batch_alter_table("answer_clause", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_clause_clause"))
        batch_op.drop_index(batch_op.f("ix_answer_clause_answered_at"))

    op.drop_table("answer_clause")
