"""Timing what /awareness computes, the floor and the naive version, with a per-call profile."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from unittest import mock

from sqlalchemy import (
    Engine,
    case,
    event,
    func,
    select,
)
from sqlalchemy.orm import Session
from summary_build import ADMIN, no_database, services_for

import bot.services.summary.counts
import bot.services.summary.gaps
import bot.services.summary.verdicts
import storage.analysis
import storage.queries
import storage.rebuild
import storage.rollups
import storage.tallies
import storage.verdicts
from bot.services.summary.counts import AwarenessSummary
from bot.services.summary.gap_report import GapReport
from storage import models
from storage.db import (
    UnitOfWork,
)
from storage.reports import Period, first_day
from storage.rollups import UNASSIGNED

# -- timing ------------------------------------------------------------------------------------

T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    samples: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def line(self) -> str:
        return f"min {self.best:8.3f} s   median {self.median:8.3f} s"


def measure(action: Callable[[], T], repeats: int) -> tuple[Timing, T]:
    """One warm-up run, then `repeats` timed runs."""
    result = action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        samples.append(time.perf_counter() - started)
    return Timing(tuple(samples)), result


def current_period() -> Period:
    """The report's default period, as GapService works it out with the clock at NOW.

    Whole UTC days: it starts at midnight of its first day.
    """
    return services_for(no_database)[1].default_period()


def previous_days(period: Period) -> tuple[date, date]:
    """The days [start, end) the gap report compares the period with, as GapService does."""
    since = first_day(period)
    midnight = datetime(since.year, since.month, since.day, tzinfo=UTC)
    days = (period.end - midnight).days + 1
    return since - timedelta(days=days), since


@dataclass
class Summary:
    """What /awareness computes for an admin (bot/slack/summary/listeners.py `post_summary`).

    The gap report over the default period, with the stored question analysis; then the
    awareness summary since that period's start, given the report's department x procedure
    cells so that it does not read them again.
    """

    uow: Callable[[], UnitOfWork]
    awareness_seconds: list[float] = field(default_factory=list)
    report_seconds: list[float] = field(default_factory=list)

    def run(self) -> tuple[GapReport, AwarenessSummary]:
        awareness, gaps = services_for(self.uow)
        started = time.perf_counter()
        report = gaps.report(caller=ADMIN)
        middle = time.perf_counter()
        summary = awareness.summary(
            caller=ADMIN, since=report.period.start, cells=[g.cell for g in report.procedures]
        )
        self.report_seconds.append(middle - started)
        self.awareness_seconds.append(time.perf_counter() - middle)
        return report, summary


# What the breakdown times: (module, function, label). Each call is timed from the call to its
# return, so fetching the rows and building the results counts too. Calls made inside another
# timed call are shown under it and not added to the total twice.
TIMED_CALLS = (
    (bot.services.summary.gaps, "clause_cells", "clause_cells"),
    (bot.services.summary.gaps, "past_totals", "past_totals"),
    (bot.services.summary.gaps, "procedure_cells", "procedure_cells"),
    (bot.services.summary.gaps, "_procedure_clauses", "_procedure_clauses"),
    (bot.services.summary.gaps, "silences", "silences"),
    (storage.verdicts, "read", "verdicts.read"),
    (bot.services.summary.verdicts, "refresh", "verdicts.refresh (recompute)"),
    (bot.services.summary.gaps, "_practice_flags", "_practice_flags"),
    (bot.services.summary.counts, "awareness_counts", "awareness_counts"),
    (storage.queries, "procedure_cells", "procedure_cells"),
    (storage.queries, "_department_people", "_department_people"),
    (storage.queries, "_overall", "_overall"),
)


@dataclass(frozen=True)
class Call:
    label: str
    depth: int
    seconds: float
    statements: int


@dataclass
class CallClock:
    """Times each product query function during one run, and counts its SQL statements."""

    engine: Engine
    calls: list[Call] = field(default_factory=list)
    statements: int = 0
    _depth: int = 0
    _patches: list[Any] = field(default_factory=list)

    def __enter__(self) -> CallClock:
        event.listen(self.engine, "before_cursor_execute", self._count)
        for module, name, label in TIMED_CALLS:
            patch = mock.patch.object(module, name, self._timed(getattr(module, name), label))
            patch.start()
            self._patches.append(patch)
        return self

    def __exit__(self, *_: object) -> None:
        for patch in reversed(self._patches):
            patch.stop()
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, _connection: object, _cursor: object, statement: str, *_: object) -> None:
        # SQLite's BEGIN IMMEDIATE (one per unit of work) is not one of the report's queries.
        if not statement.lstrip().upper().startswith("BEGIN"):
            self.statements += 1

    def _timed(self, function: Callable[..., T], label: str) -> Callable[..., T]:
        def timed(*args: Any, **kwargs: Any) -> T:
            before, depth = self.statements, self._depth
            # Reserve this call's place, so nested calls are listed after it.
            index = len(self.calls)
            self.calls.append(Call(label, depth, 0.0, 0))
            self._depth += 1
            started = time.perf_counter()
            try:
                result = function(*args, **kwargs)
            finally:
                self._depth -= 1
            elapsed = time.perf_counter() - started
            name = _call_name(label, kwargs)
            self.calls[index] = Call(name, depth, elapsed, self.statements - before)
            return result

        return timed

    def names(self) -> list[str]:
        return [c.label for c in self.calls]


def _call_name(label: str, kwargs: dict[str, Any]) -> str:
    if label == "past_totals":
        return f"past_totals ({kwargs.get('kind')}, previous period)"
    if label in ("procedure_cells", "clause_cells", "silences"):
        return f"{label} (period)"
    return label


# -- the measured parts ------------------------------------------------------------------------


def floor_query(session: Session, period: Period) -> int:
    """One pass over every answer in the period: the least any report over it must read."""
    statement = select(func.sum(case((models.Answer.is_correct, 1), else_=0))).where(
        models.Answer.answered_at >= period.start
    )
    return int(session.execute(statement).scalar_one() or 0)


@dataclass
class NaiveCell:
    answers: int = 0
    correct: int = 0
    people: set[int] = field(default_factory=set)


def naive_cells(session: Session, period: Period) -> dict[tuple[str, str], NaiveCell]:
    """Every answer in the period loaded into Python, counted per department x procedure."""
    answer = models.Answer
    rows = session.execute(
        select(answer.department, answer.procedure_code, answer.is_correct, answer.person_id).where(
            answer.answered_at >= period.start, answer.answered_at < period.end
        )
    ).all()
    cells: dict[tuple[str, str], NaiveCell] = {}
    for department, procedure, correct, person in rows:
        key = (department or UNASSIGNED, procedure)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = NaiveCell()
        cell.answers += 1
        cell.correct += 1 if correct else 0
        cell.people.add(person)
    return cells


def in_session(factory: Any, action: Callable[[Session], T]) -> Callable[[], T]:
    def run() -> T:
        with factory() as session:
            return action(session)

    return run


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
