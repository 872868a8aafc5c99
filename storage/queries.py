"""Read-side queries: awareness counts aggregated in SQL, returned as small rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Select, case, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Answer, Delivery, QuestionVersion


@dataclass(frozen=True)
class Tally:
    """Counts for one group of deliveries; `key` names the group (empty for the total)."""

    key: tuple[str, ...]
    people_reached: int
    people_answered: int
    deliveries: int
    answers: int
    correct: int

    @property
    def participation(self) -> float | None:
        return self.answers / self.deliveries if self.deliveries else None

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.answers if self.answers else None


@dataclass(frozen=True)
class AwarenessCounts:
    overall: Tally
    by_department: list[Tally]
    by_procedure: list[Tally]
    cells: list[Tally]


UNASSIGNED = "(no department)"


def awareness_counts(
    session: Session, *, departments: Sequence[str] | None, since: datetime | None = None
) -> AwarenessCounts:
    """Reach, participation and correctness, overall and by department and procedure.

    `departments=None` means every department; an empty list means none.
    """
    department = func.coalesce(Delivery.department, UNASSIGNED)
    groups: dict[str, list[Any]] = {
        "overall": [],
        "department": [department],
        "procedure": [Delivery.procedure_code],
        "cell": [department, Delivery.procedure_code],
    }
    tallies = {
        name: _tallies(session, _grouped(columns, departments, since))
        for name, columns in groups.items()
    }
    overall = tallies["overall"][0] if tallies["overall"] else Tally((), 0, 0, 0, 0, 0)
    return AwarenessCounts(
        overall=overall,
        by_department=tallies["department"],
        by_procedure=tallies["procedure"],
        cells=tallies["cell"],
    )


def _grouped(
    columns: list[ColumnElement[Any]],
    departments: Sequence[str] | None,
    since: datetime | None,
) -> Select[Any]:
    correct = func.coalesce(func.sum(cast(case((Answer.is_correct, 1), else_=0), Integer)), 0)
    statement = (
        select(
            *columns,
            func.count(func.distinct(Delivery.person_id)),
            func.count(func.distinct(Answer.person_id)),
            func.count(Delivery.id),
            func.count(Answer.id),
            correct,
        )
        .select_from(Delivery)
        .outerjoin(Answer, Answer.delivery_id == Delivery.id)
        .where(Delivery.send_error.is_(None))
    )
    if departments is not None:
        statement = statement.where(Delivery.department.in_(list(departments)))
    if since is not None:
        statement = statement.where(Delivery.delivered_at >= since)
    if columns:
        statement = statement.group_by(*columns).order_by(*columns)
    return statement


def _tallies(session: Session, statement: Select[Any]) -> list[Tally]:
    rows = session.execute(statement).all()
    return [
        Tally(tuple(str(k) for k in row[:-5]), *(int(v or 0) for v in row[-5:]))
        for row in rows
        if row[-3]
    ]


@dataclass(frozen=True)
class Progress:
    """One person's own record: what they answered and what to re-read."""

    answers: int
    correct: int
    to_reread: list[tuple[str, str]]


def person_progress(session: Session, *, person_id: int, limit: int = 10) -> Progress:
    """A person's answer count, correct count, and the sections behind their wrong answers."""
    correct = func.coalesce(func.sum(cast(case((Answer.is_correct, 1), else_=0), Integer)), 0)
    answers, right = session.execute(
        select(func.count(Answer.id), correct).where(Answer.person_id == person_id)
    ).one()
    wrong = (
        select(Answer.procedure_code, QuestionVersion.section)
        .join(QuestionVersion, QuestionVersion.id == Answer.question_version_id)
        .where(Answer.person_id == person_id, Answer.is_correct.is_(False))
        .distinct()
        .order_by(Answer.procedure_code, QuestionVersion.section)
        .limit(limit)
    )
    return Progress(
        answers=int(answers),
        correct=int(right or 0),
        to_reread=[(str(code), str(section)) for code, section in session.execute(wrong)],
    )
