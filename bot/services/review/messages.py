"""The review messages' rows: claimed before a post, closed by a decision."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.services.review.results import Decision, MessageRef
from storage.review_messages import ReviewMessage

# A claim whose post never recorded its ts (the process died mid-post) is taken again after this.
STALE_CLAIM = timedelta(minutes=5)


def claim_post(
    session: Session,
    *,
    procedure: str,
    question_id: str,
    slack_user: str,
    fingerprint: str,
    now: datetime,
) -> int | None:
    """The row to post this question to this reviewer under; None when a message already asks.

    The unique key decides, not a look first: of two runs posting at once, one inserts.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(ReviewMessage).values(
        procedure_code=procedure,
        question_code=question_id,
        slack_user=slack_user,
        fingerprint=fingerprint,
        open=True,
        claimed_at=now,
    )
    inserted = statement.on_conflict_do_nothing().returning(ReviewMessage.id)
    row = session.connection().execute(inserted).first()
    if row is not None:
        return int(row[0])
    retaken = session.execute(
        update(ReviewMessage)
        .where(
            ReviewMessage.question_code == question_id,
            ReviewMessage.slack_user == slack_user,
            ReviewMessage.open.is_(True),
            ReviewMessage.ts.is_(None),
            ReviewMessage.claimed_at < now - STALE_CLAIM,
        )
        .values(claimed_at=now, fingerprint=fingerprint)
        .returning(ReviewMessage.id)
    ).first()
    return None if retaken is None else int(retaken[0])


def posted(session: Session, *, message_id: int, channel: str, ts: str) -> None:
    session.execute(
        update(ReviewMessage).where(ReviewMessage.id == message_id).values(channel=channel, ts=ts)
    )


def release(session: Session, *, message_id: int) -> None:
    """Give up a claim whose post failed, so the next run posts it."""
    row = session.get(ReviewMessage, message_id)
    if row is not None and row.ts is None:
        session.delete(row)


def settle(
    session: Session,
    question_id: str,
    decision: Decision,
    reviewer: str,
    fingerprint: str | None,
) -> list[MessageRef]:
    """What a decision does to the messages that asked for it; the ones to update."""
    if decision is Decision.EDITED and fingerprint is not None:
        return refresh(session, question_id, fingerprint)
    if decision in (Decision.APPROVED, Decision.REJECTED):
        return close(session, question_id, decision=decision.value, by=reviewer)
    return []


def refresh(session: Session, question_id: str, fingerprint: str) -> list[MessageRef]:
    """The open messages, to be shown the question's current text."""
    rows = _open(session, question_id)
    for row in rows:
        row.fingerprint = fingerprint
    return _refs(rows)


def close(session: Session, question_id: str, *, decision: str, by: str | None) -> list[MessageRef]:
    rows = _open(session, question_id)
    for row in rows:
        row.open = None
        row.decision = decision[:12]
        row.decided_by = by[:100] if by else None
    return _refs(rows)


def _open(session: Session, question_id: str) -> list[ReviewMessage]:
    return list(
        session.scalars(
            select(ReviewMessage)
            .where(ReviewMessage.question_code == question_id, ReviewMessage.open.is_(True))
            .order_by(ReviewMessage.id)
        )
    )


def _refs(rows: list[ReviewMessage]) -> list[MessageRef]:
    return [
        MessageRef(row.slack_user, row.channel, row.ts)
        for row in rows
        if row.channel is not None and row.ts is not None
    ]
