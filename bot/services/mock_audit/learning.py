"""Grades learnt from admins: a reply that is a near copy of one an admin graded gets that grade.

The grader's rules run first and their verdict stays in the grade history; a learnt grade is a
second change, by "learnt", that names the confirmed answer it followed. An admin may still
change a learnt grade like any other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.services.mock_audit.records import set_grade
from questions.confirmed import ConfirmedReply, LearntVerdict, closest_confirmed
from questions.grading import Verdict
from storage import models
from storage.db import UnitOfWork

GRADER = "grader"
LEARNT = "learnt"
# The newest confirmations of a question are plenty to learn from, and the cap keeps grading a
# reply quick however many mock audits the company has run.
MOST_CONFIRMED = 500
QUOTED = 200  # letters of the confirmed reply quoted in the grade note


def learn_from_confirmations(work: UnitOfWork, item: models.InterviewItem, now: datetime) -> None:
    """Grade `item`'s reply like the confirmed reply it is a near copy of, if that changes it."""
    learnt = closest_confirmed(item.reply or "", confirmed_replies(work, item))
    if learnt is None or learnt.verdict.value == item.verdict:
        return
    set_grade(
        work,
        item,
        learnt.verdict.value,
        LEARNT,
        now,
        learnt_note(learnt),
        item.points_met,
        learnt_from=learnt.confirmed.item_id,
    )


def confirmed_replies(work: UnitOfWork, item: models.InterviewItem) -> list[ConfirmedReply]:
    """The replies to the same question version whose grade an admin set, newest first."""
    statement = (
        select(models.InterviewItem.id, models.InterviewItem.reply, models.InterviewItem.verdict)
        .where(models.InterviewItem.question_version_id == item.question_version_id)
        .where(models.InterviewItem.id != item.id)
        .where(models.InterviewItem.reply.is_not(None))
        .where(models.InterviewItem.graded_by.not_in((GRADER, LEARNT)))
        .where(models.InterviewItem.verdict.in_((Verdict.PASS, Verdict.FAIL)))
        .order_by(models.InterviewItem.graded_at.desc(), models.InterviewItem.id.desc())
        .limit(MOST_CONFIRMED)
    )
    # No flush: a reply delivered twice must fail on its unique key at commit, where reply()
    # turns it into "already recorded", not here.
    with work.session.no_autoflush:
        rows = work.session.execute(statement).all()
    return [
        ConfirmedReply(id_, reply or "", Verdict(verdict or "")) for id_, reply, verdict in rows
    ]


def learnt_note(learnt: LearntVerdict) -> str:
    reply = learnt.confirmed.reply
    quoted = reply if len(reply) <= QUOTED else reply[: QUOTED - 1] + "…"
    return (
        f"Decided like a confirmed reply ({learnt.similarity}% alike): "
        f'"{quoted}" was confirmed {learnt.verdict.value} by an admin.'
    )
