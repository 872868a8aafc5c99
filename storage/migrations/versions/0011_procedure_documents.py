"""procedure documents: imported revisions, their sections, review decisions, questions on hold

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("procedure") as batch:
        batch.add_column(sa.Column("original_id", sa.String(60), nullable=True))
        batch.add_column(sa.Column("owner_slack_id", sa.String(20), nullable=True))
    with op.batch_alter_table("question") as batch:
        batch.add_column(sa.Column("on_hold", sa.Boolean(), nullable=False, server_default="0"))
    op.create_table(
        "procedure_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("original_id", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("revision", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_sections", sa.JSON(), nullable=False),
        sa.UniqueConstraint("code", "revision"),
    )
    op.create_index(op.f("ix_procedure_document_code"), "procedure_document", ["code"])
    op.create_table(
        "document_section",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("procedure_document.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(60), nullable=False),
        sa.Column("heading", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(16), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("change", sa.String(12), nullable=False),
        sa.UniqueConstraint("document_id", "number"),
    )
    op.create_table(
        "draft_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("procedure_code", sa.String(40), nullable=False),
        sa.Column("question_code", sa.String(60), nullable=False),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(op.f("ix_draft_review_procedure_code"), "draft_review", ["procedure_code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_draft_review_procedure_code"), table_name="draft_review")
    op.drop_table("draft_review")
    op.drop_table("document_section")
    op.drop_index(op.f("ix_procedure_document_code"), table_name="procedure_document")
    op.drop_table("procedure_document")
    with op.batch_alter_table("question") as batch:
        batch.drop_column("on_hold")
    with op.batch_alter_table("procedure") as batch:
        batch.drop_column("owner_slack_id")
        batch.drop_column("original_id")
