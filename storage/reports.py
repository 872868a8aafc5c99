"""Gap-report aggregates, computed in SQL and returned as small rows.

Each function takes the departments a viewer may see (None for all) and a period
[start, end). Nothing here loads individual answers into Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, Select, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session

from storage.models import Answer, AnswerClause, Delivery

UNASSIGNED = "(no department)"


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Cell:
    """Counts for one department × subject (a procedure or a clause) in one period."""

    department: str
    subject: str
    people_asked: int
    people_answered: int
    deliveries: int
    answers: int
    correct: int


def _correct(column: Any) -> Any:
    return func.coalesce(func.sum(cast(case((column, 1), else_=0), Integer)), 0)


def _where_departments(column: Any, departments: Sequence[str] | None) -> Any:
    return literal(True) if departments is None else column.in_(list(departments))


def procedure_cells(
    session: Session, *, departments: Sequence[str] | None, period: Period
) -> list[Cell]:
    """Department × procedure: people asked and answering, deliveries, answers, correct."""
    department = func.coalesce(Delivery.department, UNASSIGNED)
    statement = (
        select(
            department,
            Delivery.procedure_code,
            func.count(func.distinct(Delivery.person_id)),
            func.count(func.distinct(Answer.person_id)),
            func.count(Delivery.id),
            func.count(Answer.id),
            _correct(Answer.is_correct),
        )
        .select_from(Delivery)
        .outerjoin(Answer, Answer.delivery_id == Delivery.id)
        .where(Delivery.send_error.is_(None))
        .where(Delivery.delivered_at >= period.start, Delivery.delivered_at < period.end)
        .where(_where_departments(Delivery.department, departments))
        .group_by(department, Delivery.procedure_code)
    )
    return [
        Cell(str(d), str(s), *(int(v) for v in rest)) for d, s, *rest in session.execute(statement)
    ]


def clause_cells(
    session: Session, *, departments: Sequence[str] | None, period: Period
) -> list[Cell]:
    """Department × clause from the answers; people asked counts those who answered."""
    department = func.coalesce(AnswerClause.department, UNASSIGNED)
    people = func.count(func.distinct(AnswerClause.person_id))
    answers = func.count(AnswerClause.id)
    statement = (
        select(
            department,
            AnswerClause.clause,
            people,
            people,
            answers,
            answers,
            _correct(AnswerClause.is_correct),
        )
        .where(AnswerClause.answered_at >= period.start, AnswerClause.answered_at < period.end)
        .where(_where_departments(AnswerClause.department, departments))
        .group_by(department, AnswerClause.clause)
    )
    return [
        Cell(str(d), str(s), *(int(v) for v in rest)) for d, s, *rest in session.execute(statement)
    ]


@dataclass(frozen=True)
class Silence:
    """Participation a manager should see: unanswered questions, people who never answer."""

    department: str
    unanswered: int
    silent_people: int


def silences(
    session: Session, *, departments: Sequence[str] | None, period: Period
) -> list[Silence]:
    """Per department: deliveries never answered, and people sent questions who answered none."""
    department = func.coalesce(Delivery.department, UNASSIGNED)
    per_person = (
        select(
            department.label("department"),
            Delivery.person_id,
            func.count(Delivery.id).label("sent"),
            func.count(Answer.id).label("answered"),
        )
        .select_from(Delivery)
        .outerjoin(Answer, Answer.delivery_id == Delivery.id)
        .where(Delivery.send_error.is_(None))
        .where(Delivery.delivered_at >= period.start, Delivery.delivered_at < period.end)
        .where(_where_departments(Delivery.department, departments))
        .group_by(department, Delivery.person_id)
        .subquery()
    )
    statement = select(
        per_person.c.department,
        func.sum(per_person.c.sent - per_person.c.answered),
        func.sum(case((per_person.c.answered == 0, 1), else_=0)),
    ).group_by(per_person.c.department)
    return [Silence(str(d), int(u or 0), int(s or 0)) for d, u, s in session.execute(statement)]


@dataclass(frozen=True)
class ChoiceCount:
    question_code: str
    version_id: int
    choice: str
    is_correct: bool
    answers: int


def choice_counts(
    session: Session, *, departments: Sequence[str] | None, period: Period
) -> list[ChoiceCount]:
    """How often each answer was chosen, per question: what wrong answers cluster on."""
    statement = (
        select(
            Answer.question_code,
            Answer.question_version_id,
            Answer.choice,
            Answer.is_correct,
            func.count(Answer.id),
        )
        .where(Answer.answered_at >= period.start, Answer.answered_at < period.end)
        .where(_where_departments(Answer.department, departments))
        .group_by(
            Answer.question_code, Answer.question_version_id, Answer.choice, Answer.is_correct
        )
    )
    return [
        ChoiceCount(str(q), int(v), str(c), bool(ok), int(n))
        for q, v, c, ok, n in session.execute(statement)
    ]


@dataclass(frozen=True)
class QuestionMoments:
    """Sums over people for one question: enough for its facility and point-biserial index.

    x is the person's share correct on this question, y their share correct on all others.
    """

    question_code: str
    people: int
    answers: int
    correct: int
    sx: float
    sy: float
    sxy: float
    sxx: float
    syy: float


def question_moments(
    session: Session, *, departments: Sequence[str] | None, period: Period
) -> list[QuestionMoments]:
    """Per question, sums of x, y, xy, x², y² over the people who answered it."""
    scope = and_(
        Answer.answered_at >= period.start,
        Answer.answered_at < period.end,
        _where_departments(Answer.department, departments),
    )
    person_question = (
        select(
            Answer.person_id,
            Answer.question_code,
            func.count(Answer.id).label("n"),
            _correct(Answer.is_correct).label("c"),
        )
        .where(scope)
        .group_by(Answer.person_id, Answer.question_code)
        .subquery()
    )
    person = (
        select(
            person_question.c.person_id,
            func.sum(person_question.c.n).label("n"),
            func.sum(person_question.c.c).label("c"),
        )
        .group_by(person_question.c.person_id)
        .subquery()
    )
    return _moments(session, person_question, person)


def _moments(session: Session, pq: Any, person: Any) -> list[QuestionMoments]:
    others = person.c.n - pq.c.n
    x = cast(pq.c.c, Float) / pq.c.n
    y = cast(person.c.c - pq.c.c, Float) / others
    statement: Select[Any] = (
        select(
            pq.c.question_code,
            func.count(),
            func.sum(pq.c.n),
            func.sum(pq.c.c),
            func.sum(x),
            func.sum(y),
            func.sum(x * y),
            func.sum(x * x),
            func.sum(y * y),
        )
        .join(person, person.c.person_id == pq.c.person_id)
        .where(others > 0)
        .group_by(pq.c.question_code)
    )
    return [
        QuestionMoments(str(code), int(p), int(n), int(c), *(float(v or 0) for v in sums))
        for code, p, n, c, *sums in session.execute(statement)
    ]
