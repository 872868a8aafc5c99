"""What the summary is measured against: the floor, one scan of the period's answers, and the
naive version, which loads those answers into Python and counts department x procedure cells."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from summary_services import current_period
from summary_timing import Timing, in_session, measure

from storage import models
from storage.db import make_engine, make_session_factory
from storage.reports import Period
from storage.rollups import UNASSIGNED


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


def time_naive(url: str, repeats: int) -> tuple[Timing, int]:
    """The naive version's timing and the correct answers it counted."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    period = current_period()
    try:
        timing, cells = measure(in_session(factory, lambda s: naive_cells(s, period)), repeats)
    finally:
        engine.dispose()
    return timing, sum(c.correct for c in cells.values())
