"""The question analysis: which options people choose, and how well each question discriminates.

The discrimination index needs every person's score on all the other questions, so unlike
the cell counts it cannot be kept as a running tally. `compute` works it out from the
answers, per department; `refresh` stores the result for the summaries to read, and is run
on a schedule (`bot.jobs`); `stored` reads it back for the departments a viewer may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, and_, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from storage.models import Answer
from storage.reports import Period
from storage.rollups import UNASSIGNED
from storage.sql import count_true, in_departments
from storage.tallies import AnalysisRun, ChoiceTally, QuestionMoment


@dataclass(frozen=True)
class ChoiceCount:
    question_code: str
    version_id: int
    choice: str
    is_correct: bool
    answers: int


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


@dataclass(frozen=True)
class Analysis:
    choices: list[ChoiceCount]
    moments: list[QuestionMoments]
    period: Period
    computed_at: datetime


def compute(
    session: Session, *, departments: Sequence[str] | None, period: Period, now: datetime
) -> Analysis:
    """The analysis straight from the answers, for these departments together."""
    return Analysis(
        choices=_combined_choices(_choice_rows(session, departments, period)),
        moments=_combined_moments(_moment_rows(session, departments, period)),
        period=period,
        computed_at=now,
    )


def refresh(session: Session, *, period: Period, now: datetime) -> AnalysisRun:
    """Recompute the stored analysis for every department; the caller commits."""
    _one_refresh_at_a_time(session)
    last_answer = session.scalar(select(func.coalesce(func.max(Answer.id), 0))) or 0
    for table in (ChoiceTally, QuestionMoment, AnalysisRun):
        session.execute(delete(table))
    choices = _choice_rows(session, None, period)
    if choices:
        session.execute(insert(ChoiceTally), choices)
    moments = _moment_rows(session, None, period)
    if moments:
        session.execute(insert(QuestionMoment), moments)
    run = AnalysisRun(
        computed_at=now,
        period_start=period.start,
        period_end=period.end,
        last_answer_id=last_answer,
    )
    session.add(run)
    session.flush()
    return run


# Any fixed number: the PostgreSQL advisory lock that makes concurrent refreshes take turns.
REFRESH_LOCK = 7_200_301


def _one_refresh_at_a_time(session: Session) -> None:
    """Two refreshes at once (the sweep, and a first summary) would both insert the same keys.

    SQLite's write lock already serialises them; PostgreSQL needs a lock held to commit.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(REFRESH_LOCK)))


def latest_run(session: Session) -> AnalysisRun | None:
    return session.scalar(select(AnalysisRun).order_by(AnalysisRun.id.desc()).limit(1))


def answers_since(session: Session, run: AnalysisRun) -> bool:
    """Whether any answer was recorded after the run read the answers."""
    newer = select(Answer.id).where(Answer.id > run.last_answer_id).limit(1)
    return session.scalar(newer) is not None


def stored(session: Session, *, departments: Sequence[str] | None) -> Analysis | None:
    """The stored analysis for these departments together, or None if it was never run."""
    run = latest_run(session)
    if run is None:
        return None
    choices = select(
        ChoiceTally.question_code,
        ChoiceTally.question_version_id,
        ChoiceTally.choice,
        ChoiceTally.is_correct,
        func.sum(ChoiceTally.answers),
    ).where(in_departments(ChoiceTally.department, departments))
    choices = choices.group_by(
        ChoiceTally.question_code,
        ChoiceTally.question_version_id,
        ChoiceTally.choice,
        ChoiceTally.is_correct,
    )
    sums = [
        func.sum(column)
        for column in (
            QuestionMoment.people,
            QuestionMoment.answers,
            QuestionMoment.correct,
            QuestionMoment.sx,
            QuestionMoment.sy,
            QuestionMoment.sxy,
            QuestionMoment.sxx,
            QuestionMoment.syy,
        )
    ]
    moments = (
        select(QuestionMoment.question_code, *sums)
        .where(in_departments(QuestionMoment.department, departments))
        .group_by(QuestionMoment.question_code)
    )
    return Analysis(
        choices=[
            ChoiceCount(str(q), int(v), str(c), bool(ok), int(n))
            for q, v, c, ok, n in session.execute(choices)
        ],
        moments=[_moments_of(row) for row in session.execute(moments)],
        period=Period(run.period_start, run.period_end),
        computed_at=run.computed_at,
    )


def _moments_of(row: Any) -> QuestionMoments:
    code, people, answers, correct, *sums = row
    return QuestionMoments(
        str(code), int(people), int(answers), int(correct), *(float(v or 0) for v in sums)
    )


def _scope(departments: Sequence[str] | None, period: Period) -> Any:
    return and_(
        Answer.answered_at >= period.start,
        Answer.answered_at < period.end,
        in_departments(Answer.department, departments),
    )


def _choice_rows(
    session: Session, departments: Sequence[str] | None, period: Period
) -> list[dict[str, Any]]:
    department = func.coalesce(Answer.department, UNASSIGNED)
    statement = (
        select(
            department,
            Answer.question_code,
            Answer.question_version_id,
            Answer.choice,
            Answer.is_correct,
            func.count(Answer.id),
        )
        .where(_scope(departments, period))
        .group_by(
            department,
            Answer.question_code,
            Answer.question_version_id,
            Answer.choice,
            Answer.is_correct,
        )
    )
    return [
        {
            "department": d,
            "question_code": q,
            "question_version_id": v,
            "choice": c,
            "is_correct": bool(ok),
            "answers": int(n),
        }
        for d, q, v, c, ok, n in session.execute(statement)
    ]


def _moment_rows(
    session: Session, departments: Sequence[str] | None, period: Period
) -> list[dict[str, Any]]:
    """Per department and question, sums of x, y, xy, x², y² over the people who answered it."""
    department = func.coalesce(Answer.department, UNASSIGNED)
    per_question = (
        select(
            department.label("department"),
            Answer.person_id,
            Answer.question_code,
            func.count(Answer.id).label("n"),
            count_true(Answer.is_correct).label("c"),
        )
        .where(_scope(departments, period))
        .group_by(department, Answer.person_id, Answer.question_code)
        .subquery()
    )
    person = [per_question.c.department, per_question.c.person_id]
    with_totals = select(
        per_question,
        func.sum(per_question.c.n).over(partition_by=person).label("total_n"),
        func.sum(per_question.c.c).over(partition_by=person).label("total_c"),
    ).subquery()
    t = with_totals.c
    others = t.total_n - t.n
    x = cast(t.c, Float) / t.n
    y = cast(t.total_c - t.c, Float) / others
    statement = (
        select(
            t.department,
            t.question_code,
            func.count(),
            func.sum(t.n),
            func.sum(t.c),
            func.sum(x),
            func.sum(y),
            func.sum(x * y),
            func.sum(x * x),
            func.sum(y * y),
        )
        .where(others > 0)
        .group_by(t.department, t.question_code)
    )
    names = ("sx", "sy", "sxy", "sxx", "syy")
    return [
        {"department": d, "question_code": q, "people": int(p), "answers": int(n)}
        | {"correct": int(c)}
        | {name: float(v or 0) for name, v in zip(names, sums, strict=True)}
        for d, q, p, n, c, *sums in session.execute(statement)
    ]


def _combined_choices(rows: list[dict[str, Any]]) -> list[ChoiceCount]:
    totals: dict[tuple[str, int, str, bool], int] = defaultdict(int)
    for row in rows:
        key = (row["question_code"], row["question_version_id"], row["choice"], row["is_correct"])
        totals[key] += row["answers"]
    return [ChoiceCount(q, v, c, ok, n) for (q, v, c, ok), n in sorted(totals.items())]


def _combined_moments(rows: list[dict[str, Any]]) -> list[QuestionMoments]:
    fields = ("people", "answers", "correct", "sx", "sy", "sxy", "sxx", "syy")
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(fields))
    for row in rows:
        sums = totals[row["question_code"]]
        for i, name in enumerate(fields):
            sums[i] += row[name]
    return [
        QuestionMoments(code, int(s[0]), int(s[1]), int(s[2]), *s[3:])
        for code, s in sorted(totals.items())
    ]
