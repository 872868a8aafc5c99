"""Aggregates the company's verdicts are computed from, in SQL, and when they were computed.

Every function returns small rows: per department and question, per department × procedure
and answer record, per option chosen. The statistics run on these (`bot.domain.summary.verdicts`),
never on answers loaded into Python. `refresh_lock`, `latest_run` and `answers_since` keep
one stored computation current (`bot.services.summary.verdicts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Float, and_, cast, func, select
from sqlalchemy.orm import Session, contains_eager

from storage.days import utc_day
from storage.models import Answer, Delivery, Person, Question, QuestionVersion
from storage.reports import Period
from storage.rollups import UNASSIGNED
from storage.sql import count_true
from storage.tallies import AnalysisRun

# Any fixed number: the PostgreSQL advisory lock that makes concurrent refreshes take turns.
REFRESH_LOCK = 7_200_301


@dataclass(frozen=True)
class ItemRow:
    department: str
    procedure: str
    question: str
    answers: int
    correct: int


@dataclass(frozen=True)
class RecordRow:
    """How many people of a department × procedure answered `answers` and got `correct`."""

    department: str
    procedure: str
    answers: int
    correct: int
    people: int


@dataclass(frozen=True)
class ChoiceRow:
    department: str
    question: str
    choice: str
    is_correct: bool
    answers: int


@dataclass(frozen=True)
class MomentRow:
    """Sums over people for one question: enough for its point-biserial index.

    x is the person's share correct on this question, y their share correct on all others.
    """

    question: str
    people: int
    sx: float
    sy: float
    sxy: float
    sxx: float
    syy: float


def _answered_to_sent(since: date) -> Any:
    """Answers to questions sent from `since`, counted like the procedure cells."""
    return and_(
        utc_day(Delivery.delivered_at) >= since,
        Delivery.send_error.is_(None),
    )


def item_counts(session: Session, *, since: date) -> list[ItemRow]:
    """Answers and right answers per department × procedure × question, by the day sent."""
    department = func.coalesce(Delivery.department, UNASSIGNED)
    statement = (
        select(
            department,
            Delivery.procedure_code,
            Delivery.question_code,
            func.count(Answer.id),
            count_true(Answer.is_correct),
        )
        .select_from(Delivery)
        .join(Answer, Answer.delivery_id == Delivery.id)
        .where(_answered_to_sent(since))
        .group_by(department, Delivery.procedure_code, Delivery.question_code)
    )
    return [
        ItemRow(str(d), str(p), str(q), int(n), int(c))
        for d, p, q, n, c in session.execute(statement)
    ]


def person_records(session: Session, *, since: date) -> list[RecordRow]:
    """Per department × procedure, how many people had each record (answers, right)."""
    department = func.coalesce(Delivery.department, UNASSIGNED)
    per_person = (
        select(
            department.label("department"),
            Delivery.procedure_code.label("procedure"),
            func.count(Answer.id).label("n"),
            count_true(Answer.is_correct).label("c"),
        )
        .select_from(Delivery)
        .join(Answer, Answer.delivery_id == Delivery.id)
        .where(_answered_to_sent(since))
        .group_by(department, Delivery.procedure_code, Delivery.person_id)
        .subquery()
    )
    r = per_person.c
    statement = select(r.department, r.procedure, r.n, r.c, func.count()).group_by(
        r.department, r.procedure, r.n, r.c
    )
    return [
        RecordRow(str(d), str(p), int(n), int(c), int(m))
        for d, p, n, c, m in session.execute(statement)
    ]


def staff_by_department(session: Session) -> dict[str, int]:
    """Active people per department today: the people an auditor could pick from."""
    department = func.coalesce(Person.department, UNASSIGNED)
    statement = (
        select(department, func.count()).where(Person.is_active.is_(True)).group_by(department)
    )
    return {str(d): int(n) for d, n in session.execute(statement)}


def choice_counts(session: Session, *, period: Period) -> list[ChoiceRow]:
    """How often each option of each question was chosen, per department, in the period."""
    department = func.coalesce(Answer.department, UNASSIGNED)
    statement = (
        select(
            department,
            Answer.question_code,
            Answer.choice,
            Answer.is_correct,
            func.count(Answer.id),
        )
        .where(Answer.answered_at >= period.start, Answer.answered_at < period.end)
        .group_by(department, Answer.question_code, Answer.choice, Answer.is_correct)
    )
    return [
        ChoiceRow(str(d), str(q), str(c), bool(ok), int(n))
        for d, q, c, ok, n in session.execute(statement)
    ]


def option_counts(session: Session) -> dict[str, tuple[str, int]]:
    """Each question's kind and number of options in its current version."""
    statement = (
        select(Question.code, QuestionVersion.kind, QuestionVersion.options)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .where(QuestionVersion.version == Question.current_version)
    )
    return {
        str(code): (str(kind), len(options or ()))
        for code, kind, options in session.execute(statement)
    }


def moments(session: Session, *, period: Period) -> list[MomentRow]:
    """Per question, sums of x, y, xy, x², y² over the people who answered it, company-wide."""
    per_question = (
        select(
            Answer.person_id,
            Answer.question_code,
            func.count(Answer.id).label("n"),
            count_true(Answer.is_correct).label("c"),
        )
        .where(Answer.answered_at >= period.start, Answer.answered_at < period.end)
        .group_by(Answer.person_id, Answer.question_code)
        .subquery()
    )
    with_totals = select(
        per_question,
        func.sum(per_question.c.n).over(partition_by=per_question.c.person_id).label("total_n"),
        func.sum(per_question.c.c).over(partition_by=per_question.c.person_id).label("total_c"),
    ).subquery()
    t = with_totals.c
    others = t.total_n - t.n
    x = cast(t.c, Float) / t.n
    y = cast(t.total_c - t.c, Float) / others
    statement = (
        select(
            t.question_code,
            func.count(),
            func.sum(x),
            func.sum(y),
            func.sum(x * y),
            func.sum(x * x),
            func.sum(y * y),
        )
        .where(others > 0)
        .group_by(t.question_code)
    )
    return [
        MomentRow(str(q), int(p), *(float(v or 0) for v in sums))
        for q, p, *sums in session.execute(statement)
    ]


def question_people(session: Session, *, period: Period) -> dict[str, int]:
    """Distinct people who answered each question in the period."""
    statement = (
        select(Answer.question_code, func.count(func.distinct(Answer.person_id)))
        .where(Answer.answered_at >= period.start, Answer.answered_at < period.end)
        .group_by(Answer.question_code)
    )
    return {str(q): int(n) for q, n in session.execute(statement)}


def refresh_lock(session: Session) -> None:
    """Two refreshes at once (the sweep, and a summary) would both insert the same keys.

    SQLite's write lock already serialises them; PostgreSQL needs a lock held to commit.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(REFRESH_LOCK)))


def last_answer_id(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Answer.id), 0))) or 0)


def latest_run(session: Session) -> AnalysisRun | None:
    return session.scalar(select(AnalysisRun).order_by(AnalysisRun.id.desc()).limit(1))


def answers_since(session: Session, run: AnalysisRun) -> bool:
    """Whether any answer was recorded after the run read the answers."""
    newer = select(Answer.id).where(Answer.id > run.last_answer_id).limit(1)
    return session.scalar(newer) is not None


def current_versions(session: Session, codes: Sequence[str]) -> dict[str, QuestionVersion]:
    """The current version of each question, with its question and procedure, in one query."""
    if not codes:
        return {}
    statement = (
        select(QuestionVersion)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(Question.code.in_(list(codes)))
        .where(QuestionVersion.version == Question.current_version)
        .options(contains_eager(QuestionVersion.question).joinedload(Question.procedure))
    )
    return {v.question.code: v for v in session.scalars(statement).unique()}
