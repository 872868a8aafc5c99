"""The gap report as CSV: one row per department × procedure or clause cell.

The columns carry the same names and meanings as the cells of the JSON export
(docs/report-json.md); the interval is split into `interval_low` and `interval_high`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.reports.figures import observed_over_expected, rounded, shown
from bot.reports.revisions import REVISION_KEYS, revision_json
from bot.services.summary.gap_report import Gap, GapReport

GAP_COLUMNS = (
    "kind",
    "department",
    "subject",
    "clauses",
    "people_asked",
    "people_answered",
    "deliveries",
    "answers",
    "correct",
    "share",
    "estimate",
    "interval_low",
    "interval_high",
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
    *REVISION_KEYS,
)

# A spreadsheet runs a cell starting with one of these as a formula; names and departments
# come from Slack and the roster, so they could carry one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def figure(value: float | None) -> str:
    rounded_value = rounded(value)
    return "" if rounded_value is None else f"{rounded_value:.4f}"


def gap_csv_row(gap: Gap) -> list[str]:
    """The cell's counts always; its figures left empty where there is not enough evidence."""
    cell = gap.cell
    interval = gap.interval if gap.enough_evidence else None
    counts = (cell.people_asked, cell.people_answered, cell.deliveries, cell.answers, cell.correct)
    return [
        gap.kind,
        spreadsheet_text(cell.department),
        spreadsheet_text(cell.subject),
        spreadsheet_text("; ".join(gap.clauses)),
        *(str(n) for n in counts),
        figure(shown(gap, gap.share)),
        figure(shown(gap, gap.estimate)),
        figure(None if interval is None else interval.low),
        figure(None if interval is None else interval.high),
        figure(shown(gap, gap.expected)),
        figure(observed_over_expected(gap)),
        figure(shown(gap, gap.p_weak)),
        figure(shown(gap, gap.p_major)),
        str(gap.grade),
        figure(shown(gap, gap.sureness)),
        figure(shown(gap, gap.auditor_chance)),
        figure(shown(gap, gap.finding_chance)),
        figure(shown(gap, gap.previous_share)),
        figure(shown(gap, gap.trend)),
        *_revision_row(gap),
    ]


def _revision_row(gap: Gap) -> list[str]:
    """A procedure cell's revision split; empty for a clause cell, which has none."""
    if gap.kind != "procedure":
        return [""] * len(REVISION_KEYS)
    values = revision_json(gap.revisions, shares=gap.enough_evidence)
    return [_text(value) for value in values.values()]


def _text(value: str | int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return figure(value)
    return str(value) if isinstance(value, int) else spreadsheet_text(value)


def write_rows(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def gap_report_csv(report: GapReport) -> str:
    """Every procedure cell, then every clause cell, as CSV with a header row."""
    gaps = [*report.procedures, *report.clauses]
    return write_rows(GAP_COLUMNS, [gap_csv_row(g) for g in gaps])
