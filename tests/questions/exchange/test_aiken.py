"""Reading Aiken: `A.` and `A)` options, `ANSWER:` lines, and what is reported by line."""

from __future__ import annotations

from collections.abc import Sequence

from questions.exchange.aiken import parse_aiken
from questions.exchange.result import ImportResult, to_questions
from questions.model import Kind, Status


def read(text: str) -> ImportResult:
    return to_questions(parse_aiken(text), procedure_id="QP-08", first_number=3)


def messages(findings: Sequence[object]) -> list[str]:
    return [str(finding) for finding in findings]


QUIZ = """\
Who decides the disposition of a nonconforming batch?
A. The operator
B. Quality, on the NCR
C. Sales
ANSWER: B

Where do suspect parts go?
A) The scrap bin
B) The quarantine area
ANSWER: B
Which colour is the NC tag?
A. Green
B. Red
ANSWER: B
"""


def test_both_option_styles_become_single_drafts() -> None:
    result = read(QUIZ)
    assert result.skipped == []
    first, second, third = result.imported
    assert [item.line for item in result.imported] == [1, 7, 11]
    assert first.question.id == "QP-08-003"
    assert first.question.kind is Kind.SINGLE
    assert first.question.status is Status.DRAFT
    assert first.question.options == {"a": "The operator", "b": "Quality, on the NCR", "c": "Sales"}
    assert first.question.answer == "b"
    assert second.question.options == {"a": "The scrap bin", "b": "The quarantine area"}
    assert third.question.prompt == "Which colour is the NC tag?"


def test_a_question_without_an_answer_line_is_reported_and_the_next_read() -> None:
    result = read(
        "First?\nA. one\nB. two\n\nSecond?\nA. one\nB. two\nThird?\nA. x\nB. y\nANSWER: A\n"
        "Fourth?\nA. x\nB. y\n"
    )
    assert messages(result.skipped) == [
        "line 1: a question with no ANSWER line",
        "line 5: a question with no ANSWER line",
        "line 12: a question with no ANSWER line",
    ]
    assert [q.prompt for q in result.questions] == ["Third?"]


def test_answer_problems_are_reported_with_their_lines() -> None:
    result = read(
        "A. orphan option\nB. another\nANSWER: A\n\n"
        "Q?\nA. x\nB. y\nANSWER: D\n\n"
        "ANSWER: A\n\n"
        "No options?\nANSWER: A\n\n"
        "Twice?\nA. x\nA. y\nANSWER: A\n"
    )
    assert messages(result.skipped) == [
        "line 1: options with no question text before them",
        "line 8: ANSWER: D names none of the options A, B",
        "line 10: an ANSWER line with no question before it",
        "line 12: a question with no A. B. options before its ANSWER",
        "line 17: option A is given twice",
    ]
    assert result.questions == []


def test_a_question_over_several_lines_keeps_its_line_breaks() -> None:
    [question] = read(
        "A batch fails inspection.\nWhat first?\nA. Tag it\nB. Ship it\nANSWER: A"
    ).questions
    assert question.prompt == "A batch fails inspection.\nWhat first?"


def test_a_single_option_is_refused_by_the_bank_and_reported() -> None:
    result = read("\nQ?\nA. only\nANSWER: A\n")
    assert messages(result.skipped) == [
        "line 2: options: a single question needs at least two options"
    ]
