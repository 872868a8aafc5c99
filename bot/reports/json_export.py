"""The gap report as JSON; the schema is documented in README-json.md beside this file."""

from __future__ import annotations

import json
from typing import Any

from bot.reports.figures import TOP_GAPS, rounded, shown
from bot.services.gaps import Gap, GapReport, PracticeFlag, QuestionQuality
from storage.reports import Silence

SCHEMA_VERSION = 2
KIND = "gap_report"


def gap_json(gap: Gap) -> dict[str, Any]:
    """One cell; its figures are null where there is not enough evidence."""
    cell = gap.cell
    interval = gap.interval if gap.enough_evidence else None
    document: dict[str, Any] = {"department": cell.department, gap.kind: cell.subject}
    if gap.kind == "procedure":
        document["clauses"] = list(gap.clauses)
    document.update(
        people_asked=cell.people_asked,
        people_answered=cell.people_answered,
        deliveries=cell.deliveries,
        answers=cell.answers,
        correct=cell.correct,
        enough_evidence=gap.enough_evidence,
        share=rounded(shown(gap, gap.share)),
        interval=(
            None
            if interval is None
            else {"low": rounded(interval.low), "high": rounded(interval.high)}
        ),
        estimate=rounded(shown(gap, gap.estimate)),
        auditor_chance=rounded(shown(gap, gap.auditor_chance)),
        previous_share=rounded(shown(gap, gap.previous_share)),
        trend=rounded(shown(gap, gap.trend)),
        grade=str(gap.grade),
    )
    return document


def practice_json(flag: PracticeFlag) -> dict[str, Any]:
    return {
        "question": flag.question_code,
        "procedure": flag.procedure_code,
        "prompt": flag.prompt,
        "wrong_choice": flag.wrong_choice,
        "wrong_text": flag.wrong_text,
        "right_text": flag.right_text,
        "chosen": flag.chosen,
        "answers": flag.answers,
        "share_chosen": rounded(flag.chosen / flag.answers if flag.answers else None),
    }


def quality_json(quality: QuestionQuality) -> dict[str, Any]:
    return {
        "question": quality.question_code,
        "answers": quality.answers,
        "facility": rounded(quality.facility),
        "discrimination": rounded(quality.discrimination),
        "flags": list(quality.flags),
    }


def silence_json(silence: Silence) -> dict[str, Any]:
    return {
        "department": silence.department,
        "unanswered": silence.unanswered,
        "silent_people": silence.silent_people,
    }


def gap_report_document(report: GapReport, *, top: int = TOP_GAPS) -> dict[str, Any]:
    """The report as plain JSON-ready data, schema 2."""
    rules = report.rules
    return {
        "schema": SCHEMA_VERSION,
        "kind": KIND,
        "period": {
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
        },
        "scope": {"departments": report.scope.departments},
        "rules": {
            "interviewed": rules.interviewed,
            "min_people": rules.min_people,
            "weak_below": rules.weak_below,
            "systemic_departments": rules.systemic_departments,
        },
        "top_gaps": [gap_json(g) for g in report.top_gaps(top)],
        "procedures": [gap_json(g) for g in report.procedures],
        "clauses": [gap_json(g) for g in report.clauses],
        "question_analysis": _analysis_json(report),
        "practice": [practice_json(f) for f in report.practice],
        "question_quality": [quality_json(q) for q in report.quality],
        "participation": [silence_json(s) for s in report.silences],
    }


def _analysis_json(report: GapReport) -> dict[str, Any] | None:
    if report.analysis_period is None or report.analysis_as_of is None:
        return None
    return {
        "as_of": report.analysis_as_of.isoformat(),
        "start": report.analysis_period.start.isoformat(),
        "end": report.analysis_period.end.isoformat(),
    }


def gap_report_json(report: GapReport, *, top: int = TOP_GAPS) -> str:
    """The report as JSON text, keys in a stable order."""
    return json.dumps(gap_report_document(report, top=top), indent=2, ensure_ascii=False)
