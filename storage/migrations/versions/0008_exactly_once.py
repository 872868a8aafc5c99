"""exactly once: event and request keys, reply keys, DM channels, deliveries in doubt

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

Slack redelivers events and people press buttons twice; the unique keys here make the second
attempt fail inside the transaction of the first one's effect, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_event",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_slack_event")),
    )
    op.create_table(
        "request_key",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_request_key")),
    )
    with op.batch_alter_table("interview_item") as batch:
        batch.create_unique_constraint(
            op.f("uq_interview_item_interview_id_reply_ts"), ["interview_id", "reply_ts"]
        )
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("dm_channel", sa.String(length=32), nullable=True))
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(sa.Column("doubt_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("doubt_since")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("dm_channel")
    with op.batch_alter_table("interview_item") as batch:
        batch.drop_constraint(op.f("uq_interview_item_interview_id_reply_ts"), type_="unique")
    op.drop_table("request_key")
    op.drop_table("slack_event")
