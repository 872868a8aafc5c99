"""Reading and writing a mock audit's rows: rounds, candidates, interviews and grades."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.mock_audit.sampling import Candidate
from bot.services.mock_audit.errors import UnknownMockRound
from bot.services.mock_audit.interview_plan import StagedQuestion
from bot.services.mock_audit.results import InterviewQuestion
from bot.services.quiz.service import to_ask_version
from questions.model import Stage
from storage import models
from storage.db import UnitOfWork


def find_round(work: UnitOfWork, round_id: int) -> models.MockRound:
    found = work.session.get(models.MockRound, round_id)
    if found is None:
        raise UnknownMockRound(round_id)
    return found


def candidates(session: Session) -> list[Candidate]:
    sampled_before = dict(
        session.execute(
            select(models.Interview.person_id, func.count(models.Interview.id)).group_by(
                models.Interview.person_id
            )
        ).all()
    )
    people = session.scalars(
        select(models.Person)
        .where(models.Person.is_active.is_(True))
        .where(models.Person.department.is_not(None))
    )
    return [
        Candidate(p.id, p.department or "", p.role, p.started_on, int(sampled_before.get(p.id, 0)))
        for p in people
    ]


def staged_bank(session: Session) -> list[StagedQuestion]:
    rows = session.execute(
        select(models.QuestionVersion, models.Question)
        .join(models.Question, models.Question.id == models.QuestionVersion.question_id)
        .where(models.Question.retired_at.is_(None))
        .where(models.Question.on_hold.is_(False))
        .where(models.QuestionVersion.version == models.Question.current_version)
        .where(models.QuestionVersion.stage.is_not(None))
    )
    return [
        StagedQuestion(
            v.id,
            q.code,
            v.kind,
            Stage(v.stage or Stage.POLICY),
            tuple(v.clauses),
            tuple(v.audience_departments),
            tuple(v.audience_roles),
        )
        for v, q in rows
    ]


def interview_in_thread(
    work: UnitOfWork, thread_ts: str, *, lock: bool = False
) -> models.Interview | None:
    """The interview held in this thread; `lock` makes replies in it wait for each other."""
    statement = select(models.Interview).where(models.Interview.thread_ts == thread_ts)
    return work.session.scalar(statement.with_for_update() if lock else statement)


def reply_refusal(interview: models.Interview | None, slack_user: str, now: datetime) -> str | None:
    if interview is None:
        return "not an interview thread"
    if interview.person.slack_id != slack_user:
        return "not the person interviewed"
    round_ = interview.mock_round
    if round_.status != "open" or now >= round_.closes_at:
        return "the round has closed"
    return None


def current_item(interview: models.Interview) -> models.InterviewItem | None:
    return next((i for i in interview.items if i.asked_ts and i.reply is None), None)


def next_question(interview: models.Interview) -> InterviewQuestion | None:
    items = interview.items
    item = next((i for i in items if i.reply is None and i.asked_ts is None), None)
    if item is None:
        return None
    return InterviewQuestion(
        item.id,
        interview.id,
        item.position + 1,
        len(items),
        item.stage,
        to_ask_version(item.question_version, delivery_id=item.id),
    )


def set_grade(
    work: UnitOfWork,
    item: models.InterviewItem,
    verdict: str,
    by: str,
    at: datetime,
    note: str | None,
    points: int | None,
    *,
    learnt_from: int | None = None,
) -> None:
    item.verdict, item.graded_by, item.graded_at = verdict, by, at
    item.grade_note, item.points_met = note, points
    work.session.add(
        models.GradeChange(
            item_id=item.id, verdict=verdict, by=by, at=at, note=note, learnt_from=learnt_from
        )
    )
