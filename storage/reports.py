"""Gap-report aggregates, computed in SQL and returned as small rows.

Each function takes the departments a viewer may see (None for all) and reads the running
tallies of `storage.tallies`, a few rows per day and cell, never the answers themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from storage.models import Procedure
from storage.rollups import day_of
from storage.sql import in_departments
from storage.tallies import (
    CLAUSE,
    DEPARTMENT,
    PROCEDURE,
    REVISION,
    DailyTally,
    ReachDay,
    split_revision_subject,
)


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


def first_day(period: Period) -> date:
    """Reports count whole UTC days: a period starts at the beginning of its first day."""
    return day_of(period.start)


def procedure_cells(
    session: Session, *, departments: Sequence[str] | None, since: date | None
) -> list[Cell]:
    """Department × procedure, over questions sent from `since` up to now."""
    return _cells(session, PROCEDURE, departments, since)


def clause_cells(
    session: Session, *, departments: Sequence[str] | None, since: date | None
) -> list[Cell]:
    """Department × clause, over answers given from `since`; people asked are those answering."""
    return _cells(session, CLAUSE, departments, since)


@dataclass(frozen=True)
class RevisionSplit:
    """A procedure's answers under its current revision, and under the revisions before it.

    Counted like the procedure's cells, by the day the question was sent; the department is
    empty when summed over departments.
    """

    department: str
    procedure: str
    current_revision: str | None
    current_answers: int = 0
    current_correct: int = 0
    earlier_answers: int = 0
    earlier_correct: int = 0

    @property
    def current_share(self) -> float | None:
        return self.current_correct / self.current_answers if self.current_answers else None

    @property
    def earlier_share(self) -> float | None:
        return self.earlier_correct / self.earlier_answers if self.earlier_answers else None

    def plus(self, answers: int, correct: int, *, current: bool) -> RevisionSplit:
        if current:
            return replace(
                self,
                current_answers=self.current_answers + answers,
                current_correct=self.current_correct + correct,
            )
        return replace(
            self,
            earlier_answers=self.earlier_answers + answers,
            earlier_correct=self.earlier_correct + correct,
        )


def revision_splits(
    session: Session, *, departments: Sequence[str] | None, since: date | None, by_department: bool
) -> dict[tuple[str, str], RevisionSplit]:
    """Per (department, procedure), or per ("", procedure), current against earlier revisions.

    Reads the revision tallies, one row per cell and revision, and the procedures' revisions.
    """
    current: dict[str, str] = {
        c: r for c, r in session.execute(select(Procedure.code, Procedure.revision))
    }
    statement = _summed(
        REVISION, departments, since, None, DailyTally.department, DailyTally.subject
    )
    splits: dict[tuple[str, str], RevisionSplit] = {}
    for department, subject, _n, answers, correct in session.execute(statement):
        procedure, revision = split_revision_subject(subject)
        key = (department if by_department else "", procedure)
        split = splits.get(key) or RevisionSplit(key[0], procedure, current.get(procedure))
        is_current = revision == current.get(procedure)
        splits[key] = split.plus(int(answers), int(correct), current=is_current)
    return splits


def _cells(
    session: Session, kind: str, departments: Sequence[str] | None, since: date | None
) -> list[Cell]:
    counts = {
        (d, s): (n, a, c)
        for d, s, n, a, c in session.execute(
            _summed(kind, departments, since, None, DailyTally.department, DailyTally.subject)
        )
    }
    people = {
        (d, s): (int(sent or 0), int(answered or 0))
        for d, s, sent, answered in session.execute(
            _people(kind, departments, since, ReachDay.department, ReachDay.subject)
        )
    }
    return [
        Cell(d, s, *people.get((d, s), (0, 0)), int(n), int(a), int(c))
        for (d, s), (n, a, c) in sorted(counts.items())
        if n or a
    ]


def _summed(
    kind: str,
    departments: Sequence[str] | None,
    since: date | None,
    until: date | None,
    *columns: Any,
) -> Select[Any]:
    statement = (
        select(
            *columns,
            func.sum(DailyTally.deliveries),
            func.sum(DailyTally.answers),
            func.sum(DailyTally.correct),
        )
        .where(DailyTally.kind == kind)
        .where(in_departments(DailyTally.department, departments))
    )
    if since is not None:
        statement = statement.where(DailyTally.day >= since)
    if until is not None:
        statement = statement.where(DailyTally.day < until)
    return statement.group_by(*columns) if columns else statement


def _people(
    kind: str, departments: Sequence[str] | None, since: date | None, *columns: Any
) -> Select[Any]:
    # Counting people whose last day is on or after `since` is exact only for a period that
    # runs up to now, which every period with people counts does.
    statement = (
        select(*columns, func.sum(ReachDay.people_sent), func.sum(ReachDay.people_answered))
        .where(ReachDay.kind == kind)
        .where(in_departments(ReachDay.department, departments))
    )
    if since is not None:
        statement = statement.where(ReachDay.day >= since)
    return statement.group_by(*columns) if columns else statement


def past_totals(
    session: Session, *, kind: str, departments: Sequence[str] | None, start: date, end: date
) -> dict[tuple[str, str], tuple[int, int]]:
    """Answers and correct answers per cell over the days [start, end): for trends."""
    statement = _summed(kind, departments, start, end, DailyTally.department, DailyTally.subject)
    return {(d, s): (int(a), int(c)) for d, s, _n, a, c in session.execute(statement) if a}


@dataclass(frozen=True)
class Silence:
    """Participation a manager should see: unanswered questions, people who never answer."""

    department: str
    unanswered: int
    silent_people: int


def silences(
    session: Session, *, departments: Sequence[str] | None, since: date | None
) -> list[Silence]:
    """Per department: questions never answered, and people sent questions who answered none."""
    sent = {
        d: int(n) - int(a)
        for d, n, a, _c in session.execute(
            _summed(PROCEDURE, departments, since, None, DailyTally.department)
        )
        if n
    }
    silent = {
        d: int(people or 0) - int(answering or 0)
        for d, people, answering in session.execute(
            _people(DEPARTMENT, departments, since, ReachDay.department)
        )
    }
    return [Silence(d, sent[d], silent.get(d, 0)) for d in sorted(sent)]
