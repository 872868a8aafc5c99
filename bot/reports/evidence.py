"""Evidence of competence (clause 7.2) as CSV, for the auditor.

Unlike the gap reports this names people: it is the documented information an auditor may
ask to see, exported by an admin. Names and departments come from Slack and the roster, so
text that a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from bot.reports.csv_export import spreadsheet_text
from bot.services.summary.evidence import EvidenceRow

EVIDENCE_COLUMNS = (
    "answer_id",
    "slack_id",
    "name",
    "role",
    "department",
    "question",
    "question_version",
    "procedure",
    "procedure_revision",
    "clauses",
    "answered_at",
    "seconds_taken",
    "chosen",
    "result",
)


def evidence_csv_row(row: EvidenceRow) -> list[str]:
    text = spreadsheet_text
    return [
        str(row.answer_id),
        text(row.slack_id),
        text(row.name),
        text(row.role or ""),
        text(row.department or ""),
        text(row.question_code),
        str(row.question_version),
        text(row.procedure_code),
        text(row.procedure_revision),
        text(row.clauses),
        row.answered_at.isoformat(),
        str(row.seconds_taken),
        text(row.chosen),
        row.result,
    ]


def write_evidence_csv(rows: Iterable[EvidenceRow], stream: TextIO) -> int:
    """Write a header and one line per answer as they stream in; return how many."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(EVIDENCE_COLUMNS)
    written = 0
    for row in rows:
        writer.writerow(evidence_csv_row(row))
        written += 1
    return written
