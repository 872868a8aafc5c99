"""review messages: each question put to a reviewer in Slack, once

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(length=40), nullable=False),
        sa.Column("question_code", sa.String(length=60), nullable=False),
        sa.Column("slack_user", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=16), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_message")),
        sa.UniqueConstraint(
            "question_code",
            "slack_user",
            "open",
            name=op.f("uq_review_message_question_code_slack_user_open"),
        ),
    )
    op.create_index(op.f("ix_review_message_question_code"), "review_message", ["question_code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_review_message_question_code"), table_name="review_message")
    op.drop_table("review_message")
