"""mock audit rounds

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mock_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("standards", sa.JSON(), nullable=False),
        sa.Column("departments", sa.JSON(), nullable=True),
        sa.Column("per_department_cap", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.String(length=32), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_by", sa.String(length=32), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mock_round")),
    )
    op.create_table(
        "interview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mock_round_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["mock_round_id"], ["mock_round.id"], name=op.f("fk_interview_mock_round_id_mock_round")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_interview_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
        sa.UniqueConstraint(
            "mock_round_id", "person_id", name=op.f("uq_interview_mock_round_id_person_id")
        ),
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_mock_round_id"), ["mock_round_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interview_thread_ts"), ["thread_ts"], unique=False)

    op.create_table(
        "interview_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("question_code", sa.String(length=60), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("asked_ts", sa.String(length=32), nullable=True),
        sa.Column("reply_ts", sa.String(length=32), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verdict", sa.String(length=20), nullable=True),
        sa.Column("points_met", sa.Integer(), nullable=True),
        sa.Column("grade_note", sa.Text(), nullable=True),
        sa.Column("graded_by", sa.String(length=32), nullable=True),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f("fk_interview_item_interview_id_interview"),
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_version.id"],
            name=op.f("fk_interview_item_question_version_id_question_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_item")),
        sa.UniqueConstraint(
            "interview_id", "position", name=op.f("uq_interview_item_interview_id_position")
        ),
    )
    op.create_table(
        "grade_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["interview_item.id"], name=op.f("fk_grade_change_item_id_interview_item")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_change")),
    )
    with op.batch_alter_table("grade_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grade_change_item_id"), ["item_id"], unique=False)

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("started_on")

    with op.batch_alter_table("grade_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grade_change_item_id"))

    op.drop_table("grade_change")
    op.drop_table("interview_item")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_thread_ts"))
        batch_op.drop_index(batch_op.f("ix_interview_mock_round_id"))

    op.drop_table("interview")
    op.drop_table("mock_round")
