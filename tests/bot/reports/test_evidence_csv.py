from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.reports.evidence import EVIDENCE_COLUMNS, write_evidence_csv
from storage.evidence import EvidenceRow

ANSWER = EvidenceRow(
    answer_id=1,
    slack_id="U1",
    name="Ada Operator",
    role="operator",
    department="Production",
    question_code="QP-08-001",
    question_version=2,
    procedure_code="QP-08",
    procedure_revision="B",
    clauses="ISO 9001:2015 8.7; ISO 45001:2018 7.3",
    answered_at=datetime(2026, 11, 2, 9, 0, 42, tzinfo=UTC),
    seconds_taken=42,
    chosen="a,c",
    result="incorrect",
)


def row(answer_id: int, **changes: Any) -> EvidenceRow:
    return replace(ANSWER, answer_id=answer_id, **changes)


def test_a_header_then_one_line_per_answer() -> None:
    stream = io.StringIO()
    written = write_evidence_csv([row(1), row(2, result="correct", role=None)], stream)
    lines = list(csv.reader(io.StringIO(stream.getvalue())))
    assert written == 2
    assert lines[0] == list(EVIDENCE_COLUMNS)
    assert lines[1] == [
        "1",
        "U1",
        "Ada Operator",
        "operator",
        "Production",
        "QP-08-001",
        "2",
        "QP-08",
        "B",
        "ISO 9001:2015 8.7; ISO 45001:2018 7.3",
        "2026-11-02T09:00:42+00:00",
        "42",
        "a,c",
        "incorrect",
    ]
    assert (lines[2][3], lines[2][-1]) == ("", "correct")


def test_rows_are_written_as_they_stream() -> None:
    stream = io.StringIO()
    seen: list[int] = []

    def rows() -> Iterator[EvidenceRow]:
        for n in range(1, 4):
            # Everything before this row is already in the stream.
            seen.append(stream.getvalue().count("\n"))
            yield row(n)

    assert write_evidence_csv(rows(), stream) == 3
    assert seen == [1, 2, 3]


def test_a_name_a_spreadsheet_would_run_is_written_as_text() -> None:
    stream = io.StringIO()
    write_evidence_csv([row(1, name='=HYPERLINK("http://x","y")')], stream)
    [_, line] = list(csv.reader(io.StringIO(stream.getvalue())))
    assert line[2] == '\'=HYPERLINK("http://x","y")'


def test_no_answers_is_just_the_header() -> None:
    stream = io.StringIO()
    assert write_evidence_csv([], stream) == 0
    assert stream.getvalue() == ",".join(EVIDENCE_COLUMNS) + "\n"
