"""The stored verdicts: each cell's grade and probabilities, practice flags and question checks.

They are computed once for the whole company (`bot.services.summary.verdicts`) and stored here, so
that every view (Slack, the Home tab, every export) reads the same verdict for a cell. A
viewer reads only the rows of the departments they may see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import TypeVar

from sqlalchemy import JSON, Float, Integer, String, delete, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import CLUSTERED, Base
from storage.sql import in_departments


class CellVerdictRow(Base):
    """One department × procedure (or clause) cell as the model judged it."""

    __tablename__ = "verdict_cell"
    __table_args__ = CLUSTERED

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    department: Mapped[str] = mapped_column(String(100), primary_key=True)
    subject: Mapped[str] = mapped_column(String(60), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
    expected: Mapped[float] = mapped_column(Float)
    estimate: Mapped[float] = mapped_column(Float)
    low: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)
    p_weak: Mapped[float] = mapped_column(Float)
    p_major: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(24))
    sureness: Mapped[float | None] = mapped_column(Float)
    auditor_chance: Mapped[float] = mapped_column(Float)
    finding_chance: Mapped[float] = mapped_column(Float)


class PracticeFlagRow(Base):
    """A wrong option one department chooses more than chance explains."""

    __tablename__ = "verdict_practice"
    __table_args__ = CLUSTERED

    department: Mapped[str] = mapped_column(String(100), primary_key=True)
    question_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    choice: Mapped[str] = mapped_column(String(60))
    chosen: Mapped[int] = mapped_column(Integer)
    answers: Mapped[int] = mapped_column(Integer)
    wrong_options: Mapped[int] = mapped_column(Integer)
    p_value: Mapped[float] = mapped_column(Float)
    q_value: Mapped[float] = mapped_column(Float)


class QuestionCheckRow(Base):
    """One question's facility and discrimination across the company, and its flags."""

    __tablename__ = "verdict_question"
    __table_args__ = CLUSTERED

    question_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer)
    facility_low: Mapped[float] = mapped_column(Float)
    facility_high: Mapped[float] = mapped_column(Float)
    discrimination: Mapped[float | None] = mapped_column(Float)
    discrimination_low: Mapped[float | None] = mapped_column(Float)
    discrimination_high: Mapped[float | None] = mapped_column(Float)
    flags: Mapped[list[str]] = mapped_column(JSON)


@dataclass(frozen=True)
class StoredCell:
    kind: str
    department: str
    subject: str
    answers: int
    correct: int
    expected: float
    estimate: float
    low: float
    high: float
    p_weak: float
    p_major: float
    grade: str
    sureness: float | None
    auditor_chance: float
    finding_chance: float


@dataclass(frozen=True)
class StoredPractice:
    department: str
    question_code: str
    choice: str
    chosen: int
    answers: int
    wrong_options: int
    p_value: float
    q_value: float


@dataclass(frozen=True)
class StoredCheck:
    question_code: str
    answers: int
    correct: int
    people: int
    facility_low: float
    facility_high: float
    discrimination: float | None
    discrimination_low: float | None
    discrimination_high: float | None
    flags: list[str]


@dataclass(frozen=True)
class StoredVerdicts:
    cells: list[StoredCell]
    practice: list[StoredPractice]
    checks: list[StoredCheck]


T = TypeVar("T")


def replace(session: Session, verdicts: StoredVerdicts) -> None:
    """Swap the stored verdicts for these, in the caller's transaction."""
    for table in (CellVerdictRow, PracticeFlagRow, QuestionCheckRow):
        session.execute(delete(table))
    for table, rows in (
        (CellVerdictRow, verdicts.cells),
        (PracticeFlagRow, verdicts.practice),
        (QuestionCheckRow, verdicts.checks),
    ):
        if rows:
            session.execute(insert(table), [asdict(row) for row in rows])


def read(session: Session, *, departments: Sequence[str] | None) -> StoredVerdicts:
    """The stored verdicts of these departments (None: all); question checks are company-wide."""
    cells = session.scalars(
        select(CellVerdictRow)
        .where(in_departments(CellVerdictRow.department, departments))
        .order_by(CellVerdictRow.kind, CellVerdictRow.department, CellVerdictRow.subject)
    )
    practice = session.scalars(
        select(PracticeFlagRow)
        .where(in_departments(PracticeFlagRow.department, departments))
        .order_by(PracticeFlagRow.p_value, PracticeFlagRow.department)
    )
    checks = session.scalars(select(QuestionCheckRow).order_by(QuestionCheckRow.question_code))
    return StoredVerdicts(
        cells=[_plain(StoredCell, _names(StoredCell), row) for row in cells],
        practice=[_plain(StoredPractice, _names(StoredPractice), row) for row in practice],
        checks=[_plain(StoredCheck, _names(StoredCheck), row) for row in checks],
    )


def _plain(kind: Callable[..., T], names: tuple[str, ...], row: Base) -> T:
    """A stored row as the plain dataclass of the same fields."""
    return kind(**{name: getattr(row, name) for name in names})


def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))
