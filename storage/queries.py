"""Read-side queries: awareness counts from the running tallies, and a person's own record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from storage.models import Answer, Person, QuestionVersion
from storage.reports import Cell, RevisionSplit, procedure_cells, revision_splits
from storage.rollups import day_of
from storage.sql import count_true, in_departments
from storage.tallies import DEPARTMENT, Reach, ReachDay


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
    # Per procedure: answers under its current revision apart from those under earlier ones.
    revisions: dict[str, RevisionSplit] = field(default_factory=dict)


def awareness_counts(
    session: Session,
    *,
    departments: Sequence[str] | None,
    since: datetime | None = None,
    cells: list[Cell] | None = None,
) -> AwarenessCounts:
    """Reach, participation and correctness, overall and by department and procedure, and
    each procedure's share correct under its current revision apart from earlier ones.

    Read from the running tallies, over whole UTC days from `since`'s day (None: all time).
    `departments=None` means every department; an empty list means none.
    """
    day = day_of(since) if since is not None else None
    if cells is None:
        cells = procedure_cells(session, departments=departments, since=day)
    tallies = [Tally((c.department, c.subject), *_counts(c)) for c in cells]
    by_department = _rolled_up(tallies, 0, _department_people(session, departments, day))
    by_procedure = _rolled_up(tallies, 1, {})
    splits = revision_splits(session, departments=departments, since=day, by_department=False)
    return AwarenessCounts(
        overall=_overall(session, departments, day, tallies),
        by_department=by_department,
        by_procedure=by_procedure,
        cells=tallies,
        revisions={procedure: split for (_all, procedure), split in splits.items()},
    )


def _counts(cell: Cell) -> tuple[int, int, int, int, int]:
    return (cell.people_asked, cell.people_answered, cell.deliveries, cell.answers, cell.correct)


def _rolled_up(
    cells: list[Tally], position: int, people: dict[str, tuple[int, int]]
) -> list[Tally]:
    """Cells summed by department or by procedure.

    People are summed across cells unless counted directly: someone asked about a
    procedure in two departments, having moved between them, counts in each.
    """
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for cell in cells:
        row = sums[cell.key[position]]
        for i, value in enumerate(_tally_counts(cell)):
            row[i] += value
    for key, (reached, answered) in people.items():
        if key in sums:
            sums[key][0], sums[key][1] = reached, answered
    return [Tally((key,), *row) for key, row in sorted(sums.items())]


def _tally_counts(tally: Tally) -> tuple[int, int, int, int, int]:
    return (
        tally.people_reached,
        tally.people_answered,
        tally.deliveries,
        tally.answers,
        tally.correct,
    )


def _department_people(
    session: Session, departments: Sequence[str] | None, day: date | None
) -> dict[str, tuple[int, int]]:
    statement = select(
        ReachDay.department, func.sum(ReachDay.people_sent), func.sum(ReachDay.people_answered)
    ).where(ReachDay.kind == DEPARTMENT)
    statement = statement.where(in_departments(ReachDay.department, departments))
    if day is not None:
        statement = statement.where(ReachDay.day >= day)
    statement = statement.group_by(ReachDay.department)
    return {d: (int(s or 0), int(a or 0)) for d, s, a in session.execute(statement)}


def _overall(
    session: Session, departments: Sequence[str] | None, day: date | None, cells: list[Tally]
) -> Tally:
    if not cells:
        return Tally((), 0, 0, 0, 0, 0)
    # Distinct people across departments, so someone who moved counts once.
    reached = func.count(func.distinct(Reach.person_id))
    answered = func.count(
        func.distinct(case((Reach.last_answered_on >= (day or date.min), Reach.person_id)))
    )
    statement = select(reached, answered).where(Reach.kind == DEPARTMENT)
    statement = statement.where(in_departments(Reach.department, departments))
    if day is not None:
        statement = statement.where(Reach.last_sent_on >= day)
    people, answering = session.execute(statement).one()
    totals = [sum(values) for values in zip(*(_tally_counts(c) for c in cells), strict=True)]
    return Tally((), int(people or 0), int(answering or 0), *totals[2:])


@dataclass(frozen=True)
class Progress:
    """One person's own record: what they answered and what to re-read."""

    answers: int
    correct: int
    to_reread: list[tuple[str, str]]


def person_progress(session: Session, *, person_id: int, limit: int = 10) -> Progress:
    """A person's answer count, correct count, and the sections behind their wrong answers."""
    correct = count_true(Answer.is_correct)
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


def roster_departments(session: Session) -> list[str]:
    """Every department someone in the roster belongs to, as the roster spells it."""
    found = session.scalars(
        select(Person.department).where(Person.department.is_not(None)).distinct()
    )
    return sorted(d for d in found if d)
