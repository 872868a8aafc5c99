"""rounds schedules pauses

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The scheduler's job store, in the same database. APScheduler would create it itself;
    # creating it here keeps every table under migrations.
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(191), primary_key=True),
        sa.Column("next_run_time", sa.Float(25), index=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("schedule_key", sa.String(length=60), nullable=True),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("local_date", sa.Date(), nullable=True),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("requested_by", sa.String(length=32), nullable=True),
        sa.Column("questions_each", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round")),
        sa.UniqueConstraint(
            "schedule_key", "tz", "local_date", name=op.f("uq_round_schedule_key_tz_local_date")
        ),
    )
    op.create_table(
        "schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(length=32), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule")),
        sa.UniqueConstraint("key", name=op.f("uq_schedule_key")),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_delivery_round_id"), ["round_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_delivery_round_id_person_id_question_code"),
            ["round_id", "person_id", "question_code"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_delivery_round_id_round"), "round", ["round_id"], ["id"]
        )

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("country")
        batch_op.drop_column("paused_until")

    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_delivery_round_id_round"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("uq_delivery_round_id_person_id_question_code"), type_="unique"
        )
        batch_op.drop_index(batch_op.f("ix_delivery_round_id"))
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("closes_at")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("round_id")

    op.drop_table("schedule")
    op.drop_table("round")
    op.drop_table("apscheduler_jobs")
