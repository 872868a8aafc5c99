"""The Slack messages that ask a procedure's owner to review a drafted or flagged question.

The bank file says what awaits review; these rows say who was asked where, so posting again
sends nothing new, and a decision updates every message that asked for it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime, utcnow


class ReviewMessage(Base):
    """One question put to one reviewer in their DM, and what became of it."""

    __tablename__ = "review_message"
    # One open message per question and reviewer: `open` is True until a decision and then
    # NULL, which the unique key never counts, so a question flagged again can be asked again.
    __table_args__ = (UniqueConstraint("question_code", "slack_user", "open"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(40))
    question_code: Mapped[str] = mapped_column(String(60), index=True)
    slack_user: Mapped[str] = mapped_column(String(32))
    # What the message shows, so a click on a message older than the bank's text is caught.
    fingerprint: Mapped[str] = mapped_column(String(16))
    open: Mapped[bool | None] = mapped_column(Boolean, default=True)
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision: Mapped[str | None] = mapped_column(String(12))
    decided_by: Mapped[str | None] = mapped_column(String(100))
