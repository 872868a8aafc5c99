from __future__ import annotations

import json
from typing import Any

from bot.reports.json_export import gap_report_document, gap_report_json
from bot.services.gaps import GapReport
from tests.bot.reports.sample import END, START, empty_report

TOP_KEYS = [
    "schema",
    "kind",
    "period",
    "scope",
    "rules",
    "top_gaps",
    "procedures",
    "clauses",
    "question_analysis",
    "practice",
    "question_quality",
    "participation",
]
FIGURES = ["share", "interval", "estimate", "auditor_chance", "previous_share", "trend"]
COUNTS = ["people_asked", "people_answered", "deliveries", "answers", "correct"]
CELL_KEYS = [*COUNTS, "enough_evidence", *FIGURES, "grade"]


def floats(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in floats(v)]
    return []


def cell(document: dict[str, Any], department: str, procedure: str) -> dict[str, Any]:
    return next(
        c
        for c in document["procedures"]
        if (c["department"], c["procedure"]) == (department, procedure)
    )


def test_the_json_round_trips_with_the_documented_top_level_keys(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    assert list(document) == TOP_KEYS
    assert document == gap_report_document(report)
    assert (document["schema"], document["kind"]) == (2, "gap_report")
    assert document["question_analysis"] == {
        "as_of": report.analysis_as_of.isoformat() if report.analysis_as_of else None,
        "start": START.isoformat(),
        "end": END.isoformat(),
    }
    assert document["period"] == {
        "start": "2026-10-01T00:00:00+00:00",
        "end": "2026-11-01T00:00:00+00:00",
    }
    assert document["scope"] == {"departments": None}
    assert document["rules"] == {
        "interviewed": 3,
        "min_people": 3,
        "weak_below": 0.7,
        "systemic_departments": 2,
    }


def test_cells_carry_the_documented_keys(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    for entry in document["procedures"] + document["top_gaps"]:
        assert list(entry) == ["department", "procedure", "clauses", *CELL_KEYS]
    for entry in document["clauses"]:
        assert list(entry) == ["department", "clause", *CELL_KEYS]
    assert [(c["department"], c["clause"]) for c in document["clauses"]] == [
        ("Production", "ISO 9001:2015 8.7"),
        ("Warehouse", "ISO 14001:2015 8.1"),
    ]


def test_figures_are_rounded_to_four_places(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    found = floats(document)
    assert found
    assert all(round(f, 4) == f for f in found)
    minor = cell(document, "Warehouse", "QP-08")
    assert minor["share"] == 0.5833
    assert minor["interval"] == {"low": 0.3833, "high": 0.7333}
    assert minor["auditor_chance"] == 0.8134
    assert (minor["previous_share"], minor["trend"], minor["grade"]) == (0.5, 0.0833, "minor")


def test_not_enough_evidence_has_counts_but_null_figures(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    thin = cell(document, "Warehouse", "EP-03")
    assert thin["grade"] == "not enough evidence"
    assert thin["enough_evidence"] is False
    assert all(thin[key] is None for key in FIGURES)
    assert [thin[key] for key in COUNTS] == [3, 2, 4, 2, 0]


def test_top_gaps_rank_findings_and_leave_out_the_rest(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    assert [(g["grade"], g["department"]) for g in document["top_gaps"]] == [
        ("major", "Production"),
        ("minor", "Warehouse"),
    ]


def test_practice_quality_and_participation(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    [practice] = document["practice"]
    assert practice["question"] == "QP-08-001"
    assert (practice["wrong_text"], practice["right_text"]) == (
        "Put it back on the line",
        "Tag it and move it to quarantine",
    )
    assert (practice["chosen"], practice["answers"], practice["share_chosen"]) == (7, 12, 0.5833)
    assert document["question_quality"][0] == {
        "question": "QP-08-001",
        "answers": 12,
        "facility": 0.15,
        "discrimination": -0.2,
        "flags": ["almost everyone fails it"],
    }
    assert document["participation"] == [
        {"department": "Production", "unanswered": 4, "silent_people": 1},
        {"department": "Warehouse", "unanswered": 2, "silent_people": 0},
    ]


def test_an_empty_report_keeps_the_shape() -> None:
    document = json.loads(gap_report_json(empty_report()))
    assert list(document) == TOP_KEYS
    assert document["scope"] == {"departments": ["Warehouse"]}
    lists = [key for key in TOP_KEYS[5:] if key != "question_analysis"]
    assert all(document[key] == [] for key in lists)
    assert document["question_analysis"] is None
