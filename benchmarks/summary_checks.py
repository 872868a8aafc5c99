"""Checks: the tallies against the raw rows, and the stored analysis against a live one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from summary_company import NOW
from summary_services import ADMIN, services_for
from summary_timing import CallClock

from bot.services.summary.counts import AwarenessSummary
from bot.services.summary.gap_report import GapReport
from storage import models
from storage.db import UnitOfWork
from storage.reports import Period, clause_cells, first_day, past_totals, procedure_cells
from storage.rollups import UNASSIGNED
from storage.tallies import CLAUSE, PROCEDURE

CellCounts = dict[tuple[str, str], tuple[int, ...]]
Counts = Mapping[Any, tuple[int, ...]]


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def previous_days(period: Period) -> tuple[date, date]:
    """The days [start, end) the gap report compares the period with, as GapService does."""
    since = first_day(period)
    days = (period.end - midnight(since)).days + 1
    return since - timedelta(days=days), since


def _correct(column: Any) -> Any:
    return func.coalesce(func.sum(case((column, 1), else_=0)), 0)


def raw_procedure_cells(session: Session, start: date, end: date | None) -> CellCounts:
    """Deliveries, answers, correct per department x procedure, delivered on days [start, end)."""
    delivery, answer = models.Delivery, models.Answer
    department = func.coalesce(delivery.department, UNASSIGNED)
    statement = (
        select(
            department,
            delivery.procedure_code,
            func.count(delivery.id),
            func.count(answer.id),
            _correct(answer.is_correct),
        )
        .select_from(delivery)
        .outerjoin(answer, answer.delivery_id == delivery.id)
        .where(delivery.send_error.is_(None), delivery.delivered_at >= midnight(start))
        .group_by(department, delivery.procedure_code)
    )
    if end is not None:
        statement = statement.where(delivery.delivered_at < midnight(end))
    return {(d, p): (int(n), int(a), int(c)) for d, p, n, a, c in session.execute(statement)}


def raw_clause_cells(session: Session, start: date, end: date | None) -> CellCounts:
    """Answers and correct per department x clause, answered on days [start, end)."""
    clause = models.AnswerClause
    department = func.coalesce(clause.department, UNASSIGNED)
    statement = (
        select(department, clause.clause, func.count(clause.id), _correct(clause.is_correct))
        .where(clause.answered_at >= midnight(start))
        .group_by(department, clause.clause)
    )
    if end is not None:
        statement = statement.where(clause.answered_at < midnight(end))
    return {(d, c): (int(a), int(k)) for d, c, a, k in session.execute(statement)}


def raw_people(session: Session, start: date) -> dict[str, tuple[int, int]]:
    """Per department ("" for everyone), people sent and people answering, delivered since."""
    delivery, answer = models.Delivery, models.Answer
    department = func.coalesce(delivery.department, UNASSIGNED)
    base = (
        select(
            func.count(func.distinct(delivery.person_id)),
            func.count(func.distinct(answer.person_id)),
        )
        .select_from(delivery)
        .outerjoin(answer, answer.delivery_id == delivery.id)
        .where(delivery.send_error.is_(None), delivery.delivered_at >= midnight(start))
    )
    sent, answering = session.execute(base).one()
    found = {"": (int(sent), int(answering))}
    for n, a, d in session.execute(base.add_columns(department).group_by(department)):
        found[str(d)] = (int(n), int(a))
    return found


def compare(what: str, tallied: Counts, raw: Counts) -> list[str]:
    """One line per key whose counts differ (the first ten, then how many)."""
    differ = [key for key in sorted(set(tallied) | set(raw)) if tallied.get(key) != raw.get(key)]
    problems = [f"{what} {k}: tallies {tallied.get(k)}, raw rows {raw.get(k)}" for k in differ[:10]]
    if len(differ) > 10:
        problems.append(f"{what}: {len(differ)} differ in all")
    return problems


def totals(cells: Counts) -> tuple[int, ...]:
    return tuple(sum(values) for values in zip(*cells.values(), strict=True))


def tally_problems(
    session: Session, period: Period, awareness: AwarenessSummary, report: GapReport
) -> list[str]:
    """Every count the summary read from the tallies, recounted from the raw rows."""
    since = first_day(period)
    before = previous_days(period)
    procedures = {
        (c.department, c.subject): (c.deliveries, c.answers, c.correct)
        for c in procedure_cells(session, departments=None, since=since)
    }
    clauses = {
        (c.department, c.subject): (c.answers, c.correct)
        for c in clause_cells(session, departments=None, since=since)
    }
    raw_procedures = raw_procedure_cells(session, since, None)
    raw_clauses = raw_clause_cells(session, since, None)
    problems = compare("procedure cell", procedures, raw_procedures)
    problems += compare("clause cell", clauses, raw_clauses)
    for kind, raw in (
        (PROCEDURE, {k: v[1:] for k, v in raw_procedure_cells(session, *before).items() if v[1]}),
        (CLAUSE, {k: v for k, v in raw_clause_cells(session, *before).items() if v[0]}),
    ):
        past = past_totals(session, kind=kind, departments=None, start=before[0], end=before[1])
        problems += compare(f"previous-period {kind} cell", past, raw)
    people = raw_people(session, since)
    overall = awareness.counts.overall
    summary_people: dict[str, tuple[int, int]] = {
        "": (overall.people_reached, overall.people_answered)
    }
    summary_people |= {
        t.key[0]: (t.people_reached, t.people_answered) for t in awareness.counts.by_department
    }
    problems += compare("people (sent, answering) in department", summary_people, people)
    report_cells = {
        (g.cell.department, g.cell.subject): (g.cell.deliveries, g.cell.answers, g.cell.correct)
        for g in report.procedures
    }
    problems += compare("gap report procedure cell", report_cells, raw_procedures)
    print(
        f"  raw recount: {len(raw_procedures)} procedure cells, {totals(raw_procedures)} "
        f"(deliveries, answers, correct); {len(raw_clauses)} clause cells, "
        f"{totals(raw_clauses)} (answers, correct); {people['']} people (sent, answering)",
        flush=True,
    )
    return problems


def cells_problems(
    uow: Callable[[], UnitOfWork], report: GapReport, given: AwarenessSummary
) -> list[str]:
    """The awareness summary given the report's cells says what it says reading its own."""
    awareness, _ = services_for(uow)
    read = awareness.summary(caller=ADMIN, since=report.period.start)
    if read.counts != given.counts:
        return ["the awareness summary differs when it reads the cells itself"]
    return []


def analysis_problems(stored: GapReport, fresh: GapReport, clock: CallClock) -> list[str]:
    """The stored verdicts were the ones read, and they say what a recomputation says."""
    problems = []
    names = clock.names()
    if "verdicts.read" not in names or "verdicts.refresh (recompute)" in names:
        problems.append(f"the gap report did not read the stored verdicts: {names}")
    if verdicts_of(stored) != verdicts_of(fresh):
        problems.append("cell verdicts differ between the stored and the recomputed ones")
    if stored.analysis_as_of != NOW:
        problems.append(f"stored analysis as of {stored.analysis_as_of}, expected {NOW}")
    if flags_of(stored) != flags_of(fresh):
        problems.append("practice flags differ between the stored and the live analysis")
    if quality_of(stored) != quality_of(fresh):
        problems.append("question quality differs between the stored and the live analysis")
    return problems


def verdicts_of(report: GapReport) -> list[tuple[Any, ...]]:
    return [
        (
            g.cell.department,
            g.cell.subject,
            g.grade,
            None if g.p_weak is None else round(g.p_weak, 9),
        )
        for g in report.procedures
    ]


def flags_of(report: GapReport) -> list[tuple[Any, ...]]:
    return [(f.question_code, f.wrong_choice, f.chosen, f.answers) for f in report.practice]


def quality_of(report: GapReport) -> list[tuple[Any, ...]]:
    return [
        (
            q.question_code,
            q.answers,
            round(q.facility, 9),
            None if q.discrimination is None else round(q.discrimination, 9),
            q.flags,
        )
        for q in report.quality
    ]
