"""The gap report as plain data: what views and rendered reports read, never storage rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.summary.gaps import FINDINGS, GapRules, Grade, Interval
from bot.services.access import Scope
from storage.reports import Cell as Cell
from storage.reports import Period as Period
from storage.reports import RevisionSplit as RevisionSplit
from storage.reports import Silence as Silence


@dataclass(frozen=True)
class Gap:
    """One department × procedure (or clause) cell with its evidence and its verdict.

    `estimate` and `interval` are the standardised share (the share on the company's usual mix
    of questions) and its 95% credible interval; `share` is the raw share correct.
    """

    cell: Cell
    kind: str
    share: float | None
    interval: Interval | None
    estimate: float | None
    expected: float | None
    p_weak: float | None
    p_major: float | None
    sureness: float | None
    auditor_chance: float | None
    finding_chance: float
    previous_share: float | None
    trend: float | None
    grade: Grade
    clauses: tuple[str, ...] = ()
    # A procedure cell's answers under the current revision apart from earlier ones.
    revisions: RevisionSplit | None = None

    @property
    def enough_evidence(self) -> bool:
        return self.grade is not Grade.NOT_ENOUGH_EVIDENCE


@dataclass(frozen=True)
class PracticeFlag:
    """A wrong answer one department chooses more than chance explains."""

    department: str
    question_code: str
    procedure_code: str
    prompt: str
    wrong_choice: str
    wrong_text: str
    right_text: str
    chosen: int
    answers: int
    p_value: float
    q_value: float


@dataclass(frozen=True)
class QuestionQuality:
    question_code: str
    answers: int
    people: int
    facility: float
    facility_interval: Interval
    discrimination: float | None
    discrimination_interval: Interval | None
    flags: tuple[str, ...]


@dataclass(frozen=True)
class SystemicFinding:
    """A clause on which two or more departments are each established weak: company-level."""

    clause: str
    departments: tuple[str, ...]


@dataclass
class GapReport:
    scope: Scope
    period: Period
    rules: GapRules
    procedures: list[Gap] = field(default_factory=list)
    clauses: list[Gap] = field(default_factory=list)
    practice: list[PracticeFlag] = field(default_factory=list)
    quality: list[QuestionQuality] = field(default_factory=list)
    silences: list[Silence] = field(default_factory=list)
    systemic: list[SystemicFinding] = field(default_factory=list)
    # When the verdicts were computed, over which period, and the model's company estimates.
    analysis_period: Period | None = None
    analysis_as_of: datetime | None = None
    parameters: dict[str, float | None] = field(default_factory=dict)

    def top_gaps(self, limit: int = 5) -> list[Gap]:
        """Graded gaps, the likeliest finding first: P(real gap) × the auditor's chance."""
        graded = [g for g in self.procedures if g.grade in FINDINGS]
        return sorted(graded, key=rank)[:limit]

    def ranked_cells(self, limit: int = 5) -> list[Gap]:
        """The cells with enough evidence in the same order as the gaps: the weakest first."""
        judged = [g for g in self.procedures if g.enough_evidence]
        return sorted(judged, key=rank)[:limit]


@dataclass(frozen=True)
class Drill:
    """One department, procedure or clause in detail, likeliest finding first."""

    report: GapReport
    kind: str
    name: str
    cells: list[Gap]


def drill_order(gap: Gap) -> tuple[bool, tuple[float, int, str, str]]:
    """The report's rank, cells without enough evidence last."""
    return (not gap.enough_evidence, rank(gap))


def cells_for(report: GapReport, kind: str, name: str) -> list[Gap]:
    wanted = name.casefold()
    if kind == "department":
        cells = [g for g in report.procedures if g.cell.department.casefold() == wanted]
    elif kind == "procedure":
        cells = [g for g in report.procedures if g.cell.subject.casefold() == wanted]
    else:
        cells = [g for g in report.clauses if g.cell.subject.casefold() == wanted]
    return sorted(cells, key=drill_order)


def rank(gap: Gap) -> tuple[float, int, str, str]:
    return (-gap.finding_chance, -gap.cell.answers, gap.cell.department, gap.cell.subject)
