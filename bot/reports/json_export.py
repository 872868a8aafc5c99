"""The gap report as JSON; docs/report-json.md documents the schema key by key."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.summary.gaps import Interval
from bot.reports.figures import (
    MODEL_KEYS,
    TOP_GAPS,
    observed_over_expected,
    rounded,
    shown,
    significant,
)
from bot.reports.revisions import revision_json
from bot.services.summary.gap_report import (
    Gap,
    GapReport,
    PracticeFlag,
    QuestionQuality,
    Silence,
    SystemicFinding,
)

SCHEMA_VERSION = 3
KIND = "gap_report"


def interval_json(interval: Interval | None) -> dict[str, float | None] | None:
    if interval is None:
        return None
    return {"low": rounded(interval.low), "high": rounded(interval.high)}


def gap_json(gap: Gap) -> dict[str, Any]:
    """One cell; its figures are null where there is not enough evidence."""
    cell = gap.cell
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
        estimate=rounded(shown(gap, gap.estimate)),
        interval=interval_json(gap.interval if gap.enough_evidence else None),
        expected=rounded(shown(gap, gap.expected)),
        observed_over_expected=rounded(observed_over_expected(gap)),
        p_weak=rounded(shown(gap, gap.p_weak)),
        p_major=rounded(shown(gap, gap.p_major)),
        grade=str(gap.grade),
        sureness=rounded(shown(gap, gap.sureness)),
        auditor_chance=rounded(shown(gap, gap.auditor_chance)),
        finding_chance=rounded(shown(gap, gap.finding_chance)),
        previous_share=rounded(shown(gap, gap.previous_share)),
        trend=rounded(shown(gap, gap.trend)),
    )
    if gap.kind == "procedure":
        document.update(revision_json(gap.revisions, shares=gap.enough_evidence))
    return document


def systemic_json(finding: SystemicFinding) -> dict[str, Any]:
    return {"clause": finding.clause, "departments": list(finding.departments)}


def practice_json(flag: PracticeFlag) -> dict[str, Any]:
    return {
        "department": flag.department,
        "question": flag.question_code,
        "procedure": flag.procedure_code,
        "prompt": flag.prompt,
        "wrong_choice": flag.wrong_choice,
        "wrong_text": flag.wrong_text,
        "right_text": flag.right_text,
        "chosen": flag.chosen,
        "answers": flag.answers,
        "share_chosen": rounded(flag.chosen / flag.answers if flag.answers else None),
        "p_value": significant(flag.p_value),
        "q_value": significant(flag.q_value),
    }


def quality_json(quality: QuestionQuality) -> dict[str, Any]:
    return {
        "question": quality.question_code,
        "answers": quality.answers,
        "people": quality.people,
        "facility": rounded(quality.facility),
        "facility_interval": interval_json(quality.facility_interval),
        "discrimination": rounded(quality.discrimination),
        "discrimination_interval": interval_json(quality.discrimination_interval),
        "flags": list(quality.flags),
    }


def silence_json(silence: Silence) -> dict[str, Any]:
    return {
        "department": silence.department,
        "unanswered": silence.unanswered,
        "silent_people": silence.silent_people,
    }


def rules_json(report: GapReport) -> dict[str, Any]:
    rules = report.rules
    return {
        "interviewed": rules.interviewed,
        "min_people": rules.min_people,
        "weak_below": rules.weak_below,
        "major_below": rules.major_below,
        "sure": rules.sure,
        "suggestive": rules.suggestive,
        "systemic_departments": rules.systemic_departments,
    }


def model_json(report: GapReport) -> dict[str, Any]:
    """The company-wide estimates of the run the verdicts come from; null where unknown."""
    as_of = report.analysis_as_of
    model: dict[str, Any] = {"as_of": None if as_of is None else as_of.isoformat()}
    model.update((key, rounded(report.parameters.get(key))) for key in MODEL_KEYS)
    return model


def gap_report_document(report: GapReport, *, top: int = TOP_GAPS) -> dict[str, Any]:
    """The report as plain JSON-ready data, schema 3."""
    return {
        "schema": SCHEMA_VERSION,
        "kind": KIND,
        "period": {
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
        },
        "scope": {"departments": report.scope.departments},
        "rules": rules_json(report),
        "model": model_json(report),
        "top_gaps": [gap_json(g) for g in report.top_gaps(top)],
        "systemic": [systemic_json(f) for f in report.systemic],
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
