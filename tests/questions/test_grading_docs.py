"""The examples table in docs/grading.md is what the grader does with the sample bank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questions.grading import grade_open_answer
from questions.loader import load_bank, sample_bank_path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "grading.md"
ROW = re.compile(r"^\| (?P<reply>[^|]+?) \| (?P<verdict>pass|fail|unsure) \| [^|]+ \|$")


def examples() -> list[tuple[str, str]]:
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("### Examples", 1)[1].split("###", 1)[0]
    return [(m["reply"], m["verdict"]) for m in map(ROW.match, table.splitlines()) if m]


def test_the_docs_show_examples_of_every_verdict() -> None:
    assert {verdict for _, verdict in examples()} == {"pass", "fail", "unsure"}


@pytest.mark.parametrize(("reply", "verdict"), examples())
def test_each_example_in_the_docs_gets_its_verdict(reply: str, verdict: str) -> None:
    files = load_bank(sample_bank_path()).files
    bank_file = next(f for _, f in files if f.procedure.id == "INT-01")
    question = next(q for q in bank_file.questions if q.id == "INT-01-006")
    assert question.pass_mark is not None
    grading = grade_open_answer(
        reply,
        question.key_points,
        question.pass_mark,
        contradicts=question.contradicts,
        vocabulary=bank_file.vocabulary,
    )
    assert grading.verdict.value == verdict, grading.reason
