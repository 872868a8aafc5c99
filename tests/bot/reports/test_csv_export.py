from __future__ import annotations

import csv
import io
from dataclasses import replace

from bot.reports.csv_export import GAP_COLUMNS, gap_report_csv, spreadsheet_text
from bot.reports.json_export import gap_json
from bot.reports.revisions import REVISION_KEYS
from bot.services.summary.gap_report import GapReport
from tests.bot.reports.sample import empty_report

FIGURES = [
    "share",
    "estimate",
    "interval_low",
    "interval_high",
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


def parsed(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_cell_procedures_then_clauses(report: GapReport) -> None:
    text = gap_report_csv(report)
    assert text.splitlines()[0] == ",".join(GAP_COLUMNS)
    table = parsed(text)
    assert [(r["kind"], r["department"], r["subject"]) for r in table] == [
        ("procedure", "Production", "QP-08"),
        ("procedure", "Production", "QP-09"),
        ("procedure", "Warehouse", "QP-08"),
        ("procedure", "Warehouse", "EP-03"),
        ("clause", "Production", "ISO 9001:2015 8.7"),
        ("clause", "Warehouse", "ISO 14001:2015 8.1"),
    ]


def test_a_row_carries_counts_figures_and_grade(report: GapReport) -> None:
    minor = parsed(gap_report_csv(report))[2]
    assert minor == {
        "kind": "procedure",
        "department": "Warehouse",
        "subject": "QP-08",
        "clauses": "ISO 9001:2015 8.7",
        "people_asked": "6",
        "people_answered": "5",
        "deliveries": "14",
        "answers": "12",
        "correct": "7",
        "share": "0.5833",
        "estimate": "0.5714",
        "interval_low": "0.3833",
        "interval_high": "0.6967",
        "expected": "9.0000",
        "observed_over_expected": "0.7778",
        "p_weak": "0.9612",
        "p_major": "0.2208",
        "grade": "minor",
        "sureness": "0.9612",
        "auditor_chance": "0.9134",
        "finding_chance": "0.8780",
        "previous_share": "0.5000",
        "trend": "0.0833",
        "current_revision": "D",
        "current_answers": "6",
        "current_correct": "2",
        "current_share": "0.3333",
        "earlier_answers": "6",
        "earlier_correct": "5",
        "earlier_share": "0.8333",
    }


def test_revision_columns_keep_counts_without_evidence_and_stay_empty_for_clauses(
    report: GapReport,
) -> None:
    rows = parsed(gap_report_csv(report))
    thin, clause = rows[3], rows[4]
    assert (thin["current_revision"], thin["current_answers"], thin["current_share"]) == (
        "B",
        "2",
        "",
    )
    assert all(clause[key] == "" for key in REVISION_KEYS)


def test_the_columns_are_the_json_cells_keys(report: GapReport) -> None:
    """A spreadsheet and a JSON reader see the same figures under the same names."""
    cell = gap_json(report.procedures[0])
    figures = [
        c for c in GAP_COLUMNS if c not in ("kind", "subject", "interval_low", "interval_high")
    ]
    assert set(figures) <= set(cell)
    assert set(cell) - set(figures) == {"procedure", "enough_evidence", "interval"}


def test_not_enough_evidence_leaves_the_figures_empty(report: GapReport) -> None:
    thin = parsed(gap_report_csv(report))[3]
    assert thin["grade"] == "not enough evidence"
    assert (thin["answers"], thin["correct"]) == ("2", "0")
    assert all(thin[column] == "" for column in FIGURES)


def test_text_a_spreadsheet_would_run_is_written_as_text(report: GapReport) -> None:
    gap = report.procedures[0]
    report.procedures = [replace(gap, cell=replace(gap.cell, department='=HYPERLINK("x")'))]
    report.clauses = []
    assert parsed(gap_report_csv(report))[0]["department"] == '\'=HYPERLINK("x")'
    assert spreadsheet_text("-5") == "'-5"
    assert spreadsheet_text("Production") == "Production"


def test_an_empty_report_is_a_header() -> None:
    assert gap_report_csv(empty_report()) == ",".join(GAP_COLUMNS) + "\n"
