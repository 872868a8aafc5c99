"""GIFT → bank questions → GIFT → the same questions, and the sample bank out and back."""

from __future__ import annotations

import pytest

from questions.exchange.gift import parse_gift
from questions.exchange.gift_export import export_gift, question_gift
from questions.exchange.result import ImportResult, to_questions
from questions.loader import load_bank, sample_bank_path
from questions.model import KeyPoint, Kind, Procedure, Question, Status

PROCEDURE = Procedure(
    id="QP-08",
    title="Control of nonconforming output",
    revision="D",
    owner="Quality Manager",
    clauses=["ISO 9001:2015 8.7"],
    document="https://intranet.example/QP-08",
)

QUIZ = r"""// Exported from Moodle
$CATEGORY: $course$/top/Default for QP-08

::Escapes:: Which of \~ \= \# \{ \} \: is escaped? {
    =All of them\: \~ \= \# \{ \} \:#Right\: every one.
    ~None of them
    ####GIFT escapes them with a backslash \\ like this.
}

::Weights:: Which go on a red tag?
Choose all that apply. {
    ~%50%Part number
    ~%50%Your name and the date
    ~%-100%Who caused it
}

Rework needs re-inspection. {TRUE####See section 5.3.}

Quarantined parts can be used when busy. {F}

Tag the batch {=red ~green ~blue} and move it to quarantine.

What colour is the NC tag? {=red =a red tag}

Anything? {=Yes ~No ####Line one\nline two}
"""


def read(text: str) -> ImportResult:
    return to_questions(parse_gift(text), procedure_id="QP-08", first_number=1)


def test_gift_to_bank_questions_to_gift_gives_the_same_questions() -> None:
    first = read(QUIZ)
    assert len(first.questions) == 7
    assert first.skipped == []
    exported = export_gift([(PROCEDURE, first.questions)])
    second = read(exported.text)
    assert second.questions == first.questions
    assert second.skipped == []
    assert [d.answer for d in second.dropped] == [
        "Part number",
        "Your name and the date",
        "Who caused it",
    ]


def test_the_first_read_maps_each_question() -> None:
    questions = read(QUIZ).questions
    assert [q.kind for q in questions] == [
        Kind.SINGLE,
        Kind.MULTIPLE,
        Kind.TRUE_FALSE,
        Kind.TRUE_FALSE,
        Kind.SINGLE,
        Kind.OPEN,
        Kind.SINGLE,
    ]
    escapes = questions[0]
    assert escapes.prompt == "Which of ~ = # { } : is escaped?"
    assert escapes.options["a"] == "All of them: ~ = # { } :"
    assert (
        escapes.explanation
        == "Right: every one.\n\nGIFT escapes them with a backslash \\ like this."
    )
    assert questions[1].prompt == "Which go on a red tag?\nChoose all that apply."
    assert questions[4].prompt == "Tag the batch _____ and move it to quarantine."
    assert questions[6].explanation == "Line one\nline two"


def test_export_writes_category_titles_feedback_and_escapes() -> None:
    exported = export_gift([(PROCEDURE, read(QUIZ).questions)])
    text = exported.text
    assert text.startswith("$CATEGORY: QP-08 Control of nonconforming output\n\n")
    assert "::QP-08-001:: Which of \\~ \\= \\# \\{ \\} \\: is escaped? {" in text
    assert (
        "\t####Right\\: every one.\\n\\nGIFT escapes them with a backslash \\\\ like this." in text
    )
    assert "\t~%50%Part number\n\t~%50%Your name and the date\n\t~%-100%Who caused it" in text
    assert "::QP-08-005:: Tag the batch {=red ~green ~blue} and move it to quarantine." in text
    assert exported.question_ids == [f"QP-08-{n:03d}" for n in range(1, 8)]


def _open(pass_mark: int, **extra: object) -> Question:
    return Question.model_validate(
        {
            "id": "QP-08-020",
            "kind": "open",
            "status": "draft",
            "prompt": "What do you do with a suspect batch?",
            "key_points": [
                KeyPoint(point="Tag it", phrasings=["put a red tag on it"], accept=["tag it"]),
                KeyPoint(point="Quarantine it", phrasings=["move it to quarantine"]),
            ],
            "pass_mark": pass_mark,
            **extra,
        }
    )


def test_an_open_question_passing_on_one_point_is_a_short_answer() -> None:
    exported = export_gift([(PROCEDURE, [_open(1, contradicts=["ship it anyway"])])])
    assert "\t=put a red tag on it\n\t=tag it\n\t=move it to quarantine\n}" in exported.text
    assert exported.notes == [
        "QP-08-020: written as a short answer; Moodle accepts only a reply equal to one of "
        "its phrasings",
        "QP-08-020: its contradicting phrasings are not written",
    ]


def test_an_open_question_needing_several_points_is_left_out_with_a_note() -> None:
    exported = export_gift([(PROCEDURE, [_open(2)])])
    assert exported.text == ""
    assert exported.question_ids == []
    assert exported.notes == [
        "QP-08-020: left out: an open question passing on 2 of 2 key points has no GIFT equivalent"
    ]


@pytest.mark.parametrize(("count", "share"), [(2, "50"), (3, "33.33333"), (6, "16.66667")])
def test_multiple_answers_share_the_credit(count: int, share: str) -> None:
    options = {chr(ord("a") + i): f"Option {i}" for i in range(6)}
    question = Question(
        id="QP-08-001",
        kind=Kind.MULTIPLE,
        prompt="Which?",
        options=options,
        answer=sorted(options)[:count],
        status=Status.DRAFT,
    )
    text = question_gift(question)
    assert text.count(f"~%{share}%") == count
    assert text.count("~%-100%") == 6 - count
    [back] = read(text).questions
    assert back.answer == question.answer


def test_every_sample_question_that_fits_gift_comes_back_the_same() -> None:
    bank = load_bank(sample_bank_path())
    sections = [(f.procedure, f.questions) for _, f in bank.files]
    exported = export_gift(sections)
    originals = {q.id: q for _, f in bank.files for q in f.questions}
    parsed = parse_gift(exported.text)
    assert parsed.skipped == []
    assert len(parsed.candidates) == len(exported.question_ids) > 50
    for question_id, candidate in zip(exported.question_ids, parsed.candidates, strict=True):
        original = originals[question_id]
        assert candidate.title == question_id
        assert candidate.kind is original.kind
        assert candidate.prompt == original.prompt
        assert list(candidate.options.values()) == [
            t for _, t in original.option_items() if original.kind is not Kind.TRUE_FALSE
        ]
        assert candidate.answer == original.answer
        assert candidate.explanation == original.explanation


def test_a_multiple_question_with_one_right_answer_stays_multiple() -> None:
    question = Question(
        id="QP-08-001",
        kind=Kind.MULTIPLE,
        prompt="Which apply?",
        options={"a": "Tag it", "b": "Ship it"},
        answer=["a"],
        status=Status.DRAFT,
    )
    text = question_gift(question)
    assert "~%100%Tag it" in text
    assert read(text).questions == [question]
    assert [(d.answer, d.weight) for d in read(text).dropped] == [("Ship it", "-100")]
