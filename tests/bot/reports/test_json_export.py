from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.reports.json_export import SCHEMA_VERSION, gap_report_document, gap_report_json
from bot.reports.revisions import REVISION_KEYS
from bot.services.summary.gap_report import GapReport
from tests.bot.reports.sample import END, START, empty_report, sample_report

DOC = Path(__file__).parents[3] / "docs" / "report-json.md"
TOP_KEYS = [
    "schema",
    "kind",
    "period",
    "scope",
    "rules",
    "model",
    "top_gaps",
    "systemic",
    "procedures",
    "clauses",
    "question_analysis",
    "practice",
    "question_quality",
    "participation",
]
FIGURES = [
    "share",
    "estimate",
    "interval",
    "expected",
    "observed_over_expected",
    "p_weak",
    "p_major",
    "sureness",
    "auditor_chance",
    "finding_chance",
    "previous_share",
    "trend",
]
COUNTS = ["people_asked", "people_answered", "deliveries", "answers", "correct"]
CELL_KEYS = [
    *COUNTS,
    "enough_evidence",
    "share",
    "estimate",
    "interval",
    "expected",
    "observed_over_expected",
    "p_weak",
    "p_major",
    "grade",
    "sureness",
    "auditor_chance",
    "finding_chance",
    "previous_share",
    "trend",
]
# Significance levels keep 4 significant figures, not 4 places.
SIGNIFICANT = {"p_value", "q_value"}


def floats(value: Any, key: str = "") -> list[float]:
    if isinstance(value, float):
        return [] if key in SIGNIFICANT else [value]
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in floats(v, k)]
    if isinstance(value, list):
        return [f for v in value for f in floats(v, key)]
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
    assert (document["schema"], document["kind"]) == (3, "gap_report")
    assert document["question_analysis"] == {
        "as_of": END.isoformat(),
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
        "major_below": 0.5,
        "sure": 0.95,
        "suggestive": 0.35,
        "systemic_departments": 2,
    }


def test_the_model_carries_the_run_parameters_and_when(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    assert document["model"] == {
        "as_of": "2026-11-01T00:00:00+00:00",
        "cell_spread": 0.6231,
        "person_spread": 0.8,
        "false_discovery": 0.0215,
    }
    report.parameters = {}
    assert gap_report_document(report)["model"]["false_discovery"] is None


def test_cells_carry_the_documented_keys(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    for entry in document["procedures"] + document["top_gaps"]:
        assert list(entry) == ["department", "procedure", "clauses", *CELL_KEYS, *REVISION_KEYS]
    for entry in document["clauses"]:
        assert list(entry) == ["department", "clause", *CELL_KEYS]
    assert [(c["department"], c["clause"]) for c in document["clauses"]] == [
        ("Production", "ISO 9001:2015 8.7"),
        ("Warehouse", "ISO 14001:2015 8.1"),
    ]


def test_a_cell_carries_its_probabilities_and_the_credible_interval(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    found = floats(document)
    assert found
    assert all(round(f, 4) == f for f in found)
    minor = cell(document, "Warehouse", "QP-08")
    assert minor["share"] == 0.5833
    assert minor["estimate"] == 0.5714
    assert minor["interval"] == {"low": 0.3833, "high": 0.6967}
    assert (minor["expected"], minor["observed_over_expected"]) == (9.0, 0.7778)
    assert (minor["p_weak"], minor["p_major"], minor["sureness"]) == (0.9612, 0.2208, 0.9612)
    assert (minor["auditor_chance"], minor["finding_chance"]) == (0.9134, 0.878)
    assert (minor["previous_share"], minor["trend"], minor["grade"]) == (0.5, 0.0833, "minor")
    major = cell(document, "Production", "QP-08")
    assert major["sureness"] == major["p_major"] == 0.9712
    clean = cell(document, "Production", "QP-09")
    assert clean["sureness"] == round(1 - clean["p_weak"], 4)


def test_not_enough_evidence_has_counts_but_null_figures(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    thin = cell(document, "Warehouse", "EP-03")
    assert thin["grade"] == "not enough evidence"
    assert thin["enough_evidence"] is False
    assert all(thin[key] is None for key in FIGURES)
    assert [thin[key] for key in COUNTS] == [3, 2, 4, 2, 0]


def test_top_gaps_follow_the_reports_rank_not_the_grade(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    expected = [(g.cell.department, g.cell.subject) for g in report.top_gaps()]
    assert [(g["department"], g["procedure"]) for g in document["top_gaps"]] == expected
    # The minor is the likelier finding here: an auditor is likelier to meet it.
    assert [(g["grade"], g["department"]) for g in document["top_gaps"]] == [
        ("minor", "Warehouse"),
        ("major", "Production"),
    ]
    chances = [g["finding_chance"] for g in document["top_gaps"]]
    assert chances == sorted(chances, reverse=True)


def test_systemic_findings_name_clause_and_departments(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    assert document["systemic"] == [
        {"clause": "ISO 14001:2015 8.1", "departments": ["Production", "Warehouse"]}
    ]


def test_practice_keeps_its_order_and_names_the_department(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    practice = document["practice"]
    assert [p["department"] for p in practice] == [
        "Warehouse",
        "Production",
        "Assembly",
        "Dispatch",
    ]
    first = practice[0]
    assert first["question"] == "QP-08-002"
    assert (first["wrong_text"], first["right_text"]) == (
        "Put it back on the line",
        "Tag it and move it to quarantine",
    )
    assert (first["chosen"], first["answers"], first["share_chosen"]) == (9, 12, 0.75)
    # Four significant figures: a tiny p-value is not rounded away to 0.
    assert (first["p_value"], first["q_value"]) == (1.234e-05, 0.0001)


def test_question_quality_and_participation(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    assert document["question_quality"] == [
        {
            "question": "QP-08-001",
            "answers": 12,
            "people": 11,
            "facility": 0.15,
            "facility_interval": {"low": 0.0417, "high": 0.4},
            "discrimination": -0.2,
            "discrimination_interval": {"low": -0.6804, "high": 0.3902},
            "flags": ["almost everyone fails it"],
        },
        {
            "question": "QP-09-001",
            "answers": 12,
            "people": 12,
            "facility": 0.9,
            "facility_interval": {"low": 0.6, "high": 0.98},
            "discrimination": 0.4,
            "discrimination_interval": None,
            "flags": [],
        },
    ]
    assert document["participation"] == [
        {"department": "Production", "unanswered": 4, "silent_people": 1},
        {"department": "Warehouse", "unanswered": 2, "silent_people": 0},
    ]


def test_an_empty_report_keeps_the_shape() -> None:
    document = json.loads(gap_report_json(empty_report()))
    assert list(document) == TOP_KEYS
    assert document["scope"] == {"departments": ["Warehouse"]}
    lists = [key for key in TOP_KEYS if isinstance(document[key], list)]
    assert lists == [
        "top_gaps",
        "systemic",
        "procedures",
        "clauses",
        "practice",
        "question_quality",
        "participation",
    ]
    assert all(document[key] == [] for key in lists)
    assert document["question_analysis"] is None
    assert document["model"] == dict.fromkeys(
        ["as_of", "cell_spread", "person_spread", "false_discovery"]
    )


# The documentation: every key the code emits is in its table, and nothing else is.


def paths(value: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Dotted paths to the leaves; an object is named itself only where it is null."""
    for key, inner in value.items():
        if isinstance(inner, dict):
            yield from paths(inner, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


def documented() -> dict[str, set[str]]:
    """The backticked keys in the first column of each table, by the heading above it."""
    tables: dict[str, set[str]] = {}
    heading = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line.removeprefix("## ").strip()
        elif line.startswith("| `"):
            first = line.split("|")[1]
            tables.setdefault(heading, set()).update(re.findall(r"`([^`]+)`", first))
    return tables


def emitted() -> dict[str, set[str]]:
    documents = [gap_report_document(sample_report()), gap_report_document(empty_report())]
    every = [
        *documents[0]["procedures"],
        *documents[0]["clauses"],
    ]

    def union(items: list[dict[str, Any]]) -> set[str]:
        return {path for item in items for path in paths(item)}

    return {
        # `summary` is added by the command line, beside what the report itself holds.
        "Top level": union(documents) | {"summary"},
        "Procedure and clause cells": union(every),
        "`systemic` items": union(documents[0]["systemic"]),
        "`practice` items": union(documents[0]["practice"]),
        "`question_quality` items": union(documents[0]["question_quality"]),
        "`participation` items": union(documents[0]["participation"]),
    }


def test_every_key_the_code_emits_is_documented_and_nothing_more() -> None:
    tables = documented()
    for heading, keys in emitted().items():
        assert tables.get(heading) == keys, heading
    assert f"# The report's JSON (schema {SCHEMA_VERSION})" in DOC.read_text(encoding="utf-8")


def test_the_documented_example_has_the_codes_keys_in_order() -> None:
    text = DOC.read_text(encoding="utf-8")
    [block] = re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
    example = json.loads(block)
    document = gap_report_document(sample_report())
    assert list(example) == list(document)
    assert example["schema"] == SCHEMA_VERSION
    for key in ("rules", "model", "question_analysis"):
        assert list(example[key]) == list(document[key])
    for key in ("top_gaps", "procedures", "clauses", "systemic", "practice", "question_quality"):
        assert list(example[key][0]) == list(document[key][0]), key


def test_the_doc_links_the_statistics_page() -> None:
    assert "(statistics.md)" in DOC.read_text(encoding="utf-8")


def test_a_procedure_cell_splits_its_answers_by_revision(report: GapReport) -> None:
    document = json.loads(gap_report_json(report))
    warehouse = cell(document, "Warehouse", "QP-08")
    assert {key: warehouse[key] for key in REVISION_KEYS} == {
        "current_revision": "D",
        "current_answers": 6,
        "current_correct": 2,
        "current_share": 0.3333,
        "earlier_answers": 6,
        "earlier_correct": 5,
        "earlier_share": 0.8333,
    }
    # Too few people to judge: the counts stay, the shares go, as for the cell's own share.
    thin = cell(document, "Warehouse", "EP-03")
    assert (thin["current_answers"], thin["current_share"], thin["earlier_share"]) == (
        2,
        None,
        None,
    )
    # A cell with no revision rows, such as one answered before the tallies split them.
    assert cell(document, "Production", "QP-09")["current_revision"] is None
