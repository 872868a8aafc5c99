"""Running tallies behind the awareness summary and the gap report.

A summary over a million answers must not re-read them on every request. These tables
hold what the summary adds up, kept current in the same transaction as each delivery and
answer (`storage.rollups`), and can be rebuilt from the raw rows at any time.

- `daily_tally`: per day, department and subject (a procedure, a clause or a procedure at
  one revision), the deliveries, answers and correct answers. Additive, so any run of whole
  days sums.
- `reach`: per person and cell, the last day they were sent a question and the last day
  of a question they answered. "People asked since D" is then "people whose last day is on
  or after D", exact for any period that runs up to today.
- `reach_day`: how many people's last day falls on each day, so that count reads a few
  rows per cell instead of one per person.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import CLUSTERED, Base, UTCDateTime

PROCEDURE = "procedure"
CLAUSE = "clause"
DEPARTMENT = "department"
REVISION = "revision"
REVISION_MARK = "@"


def revision_subject(procedure: str, revision: str) -> str:
    """The subject of a revision row: the procedure and its revision, as in "QP-08@D"."""
    return f"{procedure}{REVISION_MARK}{revision}"


def split_revision_subject(subject: str) -> tuple[str, str]:
    """The procedure and revision a revision row's subject names."""
    procedure, _at, revision = subject.partition(REVISION_MARK)
    return procedure, revision


class DailyTally(Base):
    """Deliveries, answers and correct answers for one day × department × subject.

    Procedure rows count by the day the question was sent, like the cells they feed;
    clause rows by the day it was answered. Revision rows split a procedure row's answers by
    the revision they were given under, by the same day; their deliveries stay 0, because a
    delivery learns its revision only when it is answered.
    """

    __tablename__ = "daily_tally"
    __table_args__ = CLUSTERED

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    department: Mapped[str] = mapped_column(String(100), primary_key=True)
    subject: Mapped[str] = mapped_column(String(60), primary_key=True)
    deliveries: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


class Reach(Base):
    """One person in one cell: the last day they were asked, and answered.

    For a department the subject is empty: it counts people across its procedures.
    """

    __tablename__ = "reach"
    __table_args__ = CLUSTERED

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    department: Mapped[str] = mapped_column(String(100), primary_key=True)
    subject: Mapped[str] = mapped_column(String(60), primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_sent_on: Mapped[date | None] = mapped_column(Date)
    last_answered_on: Mapped[date | None] = mapped_column(Date)


class ReachDay(Base):
    """How many people in a cell were last asked, and last answered, on one day."""

    __tablename__ = "reach_day"
    __table_args__ = CLUSTERED

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    department: Mapped[str] = mapped_column(String(100), primary_key=True)
    subject: Mapped[str] = mapped_column(String(60), primary_key=True)
    people_sent: Mapped[int] = mapped_column(Integer, default=0)
    people_answered: Mapped[int] = mapped_column(Integer, default=0)


class AnalysisRun(Base):
    """When the company's verdicts were last computed, over which period, and how far it read."""

    __tablename__ = "analysis_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    last_answer_id: Mapped[int] = mapped_column(Integer)
    # The model's company-level estimates (spreads, false discovery rate), for the reports.
    parameters: Mapped[dict[str, float | None] | None] = mapped_column(JSON)
