"""GapReports built by hand, as plain dataclasses, for the renderers' unit tests."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.gaps import GapRules, Grade, Interval
from bot.services.awareness import Scope
from bot.services.gaps import Gap, GapReport, PracticeFlag, QuestionQuality
from storage.reports import Cell, Period, Silence

START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
SCRIPT_PROMPT = "Who signs <script>alert(1)</script> off?"


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
) -> Gap:
    share = correct / answers if answers else None
    return Gap(
        cell=Cell(department, subject, people + 1, people, answers + 2, answers, correct),
        kind=kind,
        share=share,
        interval=Interval(max(0.0, (share or 0) - 0.2), min(1.0, (share or 0) + 0.15)),
        estimate=(1 + correct) / (2 + answers),
        auditor_chance=1 - ((1 + correct) / (2 + answers)) ** 3,
        previous_share=previous,
        trend=None if previous is None or share is None else share - previous,
        grade=grade,
        clauses=("ISO 9001:2015 8.7",) if kind == "procedure" else (),
    )


def sample_report() -> GapReport:
    """Two departments, three procedures: a major, a minor, a clean cell and a thin one."""
    procedures = [
        gap("Production", "QP-08", correct=3, answers=12, people=6, grade=Grade.MAJOR),
        gap("Production", "QP-09", correct=11, answers=12, people=6, grade=Grade.NO_GAP),
        gap("Warehouse", "QP-08", correct=7, answers=12, people=5, grade=Grade.MINOR, previous=0.5),
        gap("Warehouse", "EP-03", correct=0, answers=2, people=2, grade=Grade.NOT_ENOUGH_EVIDENCE),
    ]
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
        practice=[
            PracticeFlag(
                question_code="QP-08-001",
                procedure_code="QP-08",
                prompt=SCRIPT_PROMPT,
                wrong_choice="a",
                wrong_text="Put it back on the line",
                right_text="Tag it and move it to quarantine",
                chosen=7,
                answers=12,
            )
        ],
        quality=[
            QuestionQuality("QP-08-001", 12, 0.15, -0.2, ("almost everyone fails it",)),
            QuestionQuality("QP-09-001", 12, 0.9, 0.4, ()),
        ],
        silences=[Silence("Production", 4, 1), Silence("Warehouse", 2, 0)],
        analysis_period=Period(START, END),
        analysis_as_of=END,
    )


def empty_report() -> GapReport:
    return GapReport(
        scope=Scope(departments=["Warehouse"], is_admin=False),
        period=Period(START, END),
        rules=GapRules(),
    )
