"""GapReports built by hand, as plain dataclasses, for the renderers' unit tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.domain.summary.gaps import GapRules, Grade, Interval, sureness
from bot.services.access import Scope
from bot.services.summary.gap_report import (
    Gap,
    GapReport,
    PracticeFlag,
    QuestionQuality,
    RevisionSplit,
    SystemicFinding,
)
from storage.reports import Cell, Period, Silence

START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
SCRIPT_PROMPT = "Who signs <script>alert(1)</script> off?"
PARAMETERS: dict[str, float | None] = {
    "cell_spread": 0.6231,
    "person_spread": 0.8,
    "false_discovery": 0.0215,
}

# P(share < 0.7) and P(share < 0.5) typical of each grade, when a test doesn't set them.
PROBABILITIES = {
    Grade.MAJOR: (0.999, 0.97),
    Grade.MINOR: (0.96, 0.2),
    Grade.OBSERVATION: (0.85, 0.05),
    Grade.NO_GAP: (0.05, 0.001),
}


def gap(
    department: str,
    subject: str,
    *,
    correct: int,
    answers: int,
    people: int,
    grade: Grade,
    kind: str = "procedure",
    previous: float | None = None,
    estimate: float | None = None,
    interval: Interval | None = None,
    expected: float | None = None,
    p_weak: float | None = None,
    p_major: float | None = None,
    auditor_chance: float | None = None,
) -> Gap:
    """A cell as the service gives it; figures left out are made up consistently."""
    share = correct / answers if answers else None
    cell = Cell(department, subject, people + 1, people, answers + 2, answers, correct)
    clauses = ("ISO 9001:2015 8.7",) if kind == "procedure" else ()
    trend = None if previous is None or share is None else share - previous
    if grade is Grade.NOT_ENOUGH_EVIDENCE:
        return Gap(
            cell=cell,
            kind=kind,
            share=share,
            interval=None,
            estimate=None,
            expected=expected,
            p_weak=None,
            p_major=None,
            sureness=None,
            auditor_chance=None,
            finding_chance=0.0,
            previous_share=previous,
            trend=trend,
            grade=grade,
            clauses=clauses,
        )
    estimate = (1 + correct) / (2 + answers) if estimate is None else estimate
    weak, major = PROBABILITIES[grade]
    p_weak = weak if p_weak is None else p_weak
    p_major = major if p_major is None else p_major
    chance = 1 - estimate**3 if auditor_chance is None else auditor_chance
    return Gap(
        cell=cell,
        kind=kind,
        share=share,
        interval=interval or Interval(max(0.0, estimate - 0.15), min(1.0, estimate + 0.12)),
        estimate=estimate,
        expected=answers * 0.8 if expected is None else expected,
        p_weak=p_weak,
        p_major=p_major,
        sureness=sureness(grade, p_weak=p_weak, p_major=p_major),
        auditor_chance=chance,
        finding_chance=p_weak * chance,
        previous_share=previous,
        trend=trend,
        grade=grade,
        clauses=clauses,
    )


def sample_report() -> GapReport:
    """Two departments, three procedures: a major, a minor, a clean cell and a thin one.

    The minor ranks above the major: its finding is likelier, as an auditor meets it more.
    """
    procedures = [
        gap(
            "Production",
            "QP-08",
            correct=3,
            answers=12,
            people=6,
            grade=Grade.MAJOR,
            estimate=0.3125,
            interval=Interval(0.1502, 0.4951),
            expected=9.25,
            p_weak=0.9991,
            p_major=0.9712,
            auditor_chance=0.84,
        ),
        gap(
            "Production",
            "QP-09",
            correct=11,
            answers=12,
            people=6,
            grade=Grade.NO_GAP,
            estimate=0.8812,
            interval=Interval(0.7204, 0.9633),
            expected=10.5,
            p_weak=0.0211,
            p_major=0.0001,
            auditor_chance=0.31,
        ),
        gap(
            "Warehouse",
            "QP-08",
            correct=7,
            answers=12,
            people=5,
            grade=Grade.MINOR,
            previous=0.5,
            estimate=0.5714,
            interval=Interval(0.3833, 0.6967),
            expected=9.0,
            p_weak=0.9612,
            p_major=0.2208,
            auditor_chance=0.9134,
        ),
        gap(
            "Warehouse",
            "EP-03",
            correct=0,
            answers=2,
            people=2,
            grade=Grade.NOT_ENOUGH_EVIDENCE,
            expected=1.4,
        ),
    ]
    # Warehouse answered QP-08 under revision D, after revision C: worse since the change.
    procedures[2] = replace(
        procedures[2], revisions=RevisionSplit("Warehouse", "QP-08", "D", 6, 2, 6, 5)
    )
    procedures[3] = replace(
        procedures[3], revisions=RevisionSplit("Warehouse", "EP-03", "B", 2, 0, 0, 0)
    )
    clauses = [
        gap(
            "Production",
            "ISO 9001:2015 8.7",
            correct=14,
            answers=24,
            people=6,
            grade=Grade.OBSERVATION,
            kind="clause",
        ),
        gap(
            "Warehouse",
            "ISO 14001:2015 8.1",
            correct=1,
            answers=2,
            people=1,
            grade=Grade.NOT_ENOUGH_EVIDENCE,
            kind="clause",
        ),
    ]
    return GapReport(
        scope=Scope(departments=None, is_admin=True),
        period=Period(START, END),
        rules=GapRules(),
        procedures=procedures,
        clauses=clauses,
        practice=practice_flags(),
        quality=[
            QuestionQuality(
                "QP-08-001",
                answers=12,
                people=11,
                facility=0.15,
                facility_interval=Interval(0.0417, 0.4),
                discrimination=-0.2,
                discrimination_interval=Interval(-0.6804, 0.3902),
                flags=("almost everyone fails it",),
            ),
            QuestionQuality(
                "QP-09-001",
                answers=12,
                people=12,
                facility=0.9,
                facility_interval=Interval(0.6, 0.98),
                discrimination=0.4,
                discrimination_interval=None,
                flags=(),
            ),
        ],
        silences=[Silence("Production", 4, 1), Silence("Warehouse", 2, 0)],
        systemic=[SystemicFinding("ISO 14001:2015 8.1", ("Production", "Warehouse"))],
        analysis_period=Period(START, END),
        analysis_as_of=END,
        parameters=dict(PARAMETERS),
    )


def practice_flags() -> list[PracticeFlag]:
    """Four flags, strongest first: the order is the p-value's, not the alphabet's."""
    return [
        flag("Warehouse", "QP-08-002", chosen=9, p_value=0.00001234, q_value=0.0001),
        flag("Production", "QP-08-001", chosen=7, p_value=0.0004, q_value=0.0021),
        flag("Assembly", "QP-08-003", chosen=6, p_value=0.002, q_value=0.008),
        flag("Dispatch", "QP-08-004", chosen=5, p_value=0.004, q_value=0.012),
    ]


def flag(
    department: str, question: str, *, chosen: int, p_value: float, q_value: float
) -> PracticeFlag:
    return PracticeFlag(
        department=department,
        question_code=question,
        procedure_code="QP-08",
        prompt=SCRIPT_PROMPT,
        wrong_choice="a",
        wrong_text="Put it back on the line",
        right_text="Tag it and move it to quarantine",
        chosen=chosen,
        answers=12,
        p_value=p_value,
        q_value=q_value,
    )


def spread_cells(outlier: str) -> list[Gap]:
    """Twelve cells at the others' level, give or take, and one far below it."""
    cells = [
        gap(
            f"Department {i:02d}",
            "QP-08",
            correct=80 + (i % 3) - 1,
            answers=100,
            people=20,
            grade=Grade.NO_GAP,
            expected=80.0,
        )
        for i in range(12)
    ]
    low = gap(outlier, "QP-08", correct=40, answers=100, people=20, grade=Grade.MAJOR, expected=80)
    return [*cells, low]


def empty_report() -> GapReport:
    return GapReport(
        scope=Scope(departments=["Warehouse"], is_admin=False),
        period=Period(START, END),
        rules=GapRules(),
    )
