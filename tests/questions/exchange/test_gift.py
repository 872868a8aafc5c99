"""Reading GIFT: what maps onto bank questions, and what is reported by line."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from questions.exchange.gift import parse_gift
from questions.exchange.result import ImportResult, to_questions
from questions.model import Kind, Status


def read(text: str, first_number: int = 1) -> ImportResult:
    return to_questions(parse_gift(text), procedure_id="QP-08", first_number=first_number)


def messages(findings: Sequence[object]) -> list[str]:
    return [str(finding) for finding in findings]


def test_multiple_choice_becomes_a_single_draft_with_the_right_feedback_as_explanation() -> None:
    result = read(
        "::Tagging:: Who tags nonconforming parts? {\n"
        "  =The finder#Right: whoever finds it.\n"
        "  ~The manager#No, not only the manager.\n"
        "  ~Nobody\n"
        "  ####See QP-08 section 4.1.\n"
        "}\n"
    )
    [item] = result.imported
    question = item.question
    assert (item.line, item.title) == (1, "Tagging")
    assert question.id == "QP-08-001"
    assert question.status is Status.DRAFT
    assert question.kind is Kind.SINGLE
    assert question.options == {"a": "The finder", "b": "The manager", "c": "Nobody"}
    assert question.answer == "a"
    assert question.section == "" and question.clauses is None
    assert question.explanation == "Right: whoever finds it.\n\nSee QP-08 section 4.1."
    assert messages(result.notes) == ["line 1: feedback on wrong answers (line 3) is not kept"]


def test_ids_continue_from_the_number_given() -> None:
    result = read("A? {=a1 ~b1}\n\nB? {=a2 ~b2}\n", first_number=9)
    assert [q.id for q in result.questions] == ["QP-08-009", "QP-08-010"]


def test_partial_weights_adding_to_100_make_a_multiple_question_and_are_reported() -> None:
    result = read(
        "// weights\n"
        "Which go on the tag? {\n"
        "~%50%Part number\n"
        "~%50%Your name\n"
        "~%-100%Who caused it\n"
        "}\n"
    )
    [question] = result.questions
    assert question.kind is Kind.MULTIPLE
    assert question.answer == ["a", "b"]
    assert [(d.line, d.answer, d.weight) for d in result.dropped] == [
        (3, "Part number", "50"),
        (4, "Your name", "50"),
        (5, "Who caused it", "-100"),
    ]
    assert "now a wrong answer" in str(result.dropped[2])


def test_rounded_thirds_add_to_100() -> None:
    result = read("Q? {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}")
    assert result.questions[0].answer == ["a", "b", "c"]


def test_several_equals_answers_make_a_multiple_question_with_a_note() -> None:
    result = read("Which are red? {=Tag =Line ~Bin}")
    [question] = result.questions
    assert question.kind is Kind.MULTIPLE
    assert question.answer == ["a", "b"]
    assert "Moodle accepts any one of them" in messages(result.notes)[0]
    assert result.dropped == []


def test_a_partial_answer_in_a_single_question_becomes_wrong_and_is_reported() -> None:
    result = read("Who decides?\n{=Quality\n~%50%The supervisor\n~Sales}")
    [question] = result.questions
    assert question.kind is Kind.SINGLE and question.answer == "a"
    assert messages(result.dropped) == [
        "line 3: 'The supervisor' weighted 50% is now a wrong answer"
    ]


def test_weights_that_never_give_full_credit_are_skipped() -> None:
    result = read("Q? {~%50%a ~%30%b ~c}")
    assert result.questions == []
    assert messages(result.skipped) == [
        "line 1: no answer has full credit and the weights add to 80%"
    ]


@pytest.mark.parametrize(
    ("block", "value"),
    [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False), ("{ true }", True)],
)
def test_true_false_variants(block: str, value: bool) -> None:
    [question] = read(f"Parts in quarantine may be used. {block}").questions
    assert question.kind is Kind.TRUE_FALSE
    assert question.answer is value
    assert question.prompt == "Parts in quarantine may be used."


def test_true_false_keeps_the_feedback_for_a_right_answer() -> None:
    [both] = read("Sky is blue {T#Look up.#Yes, it is.####Rayleigh.}").questions
    [wrong_only] = read("Sky is green {F#Look up.}").questions
    assert both.explanation == "Yes, it is.\n\nRayleigh."
    assert wrong_only.explanation == "Look up."


def test_short_answer_becomes_an_open_question_and_says_so() -> None:
    result = read("What colour is the NC tag? {=red =a red tag#Yes.}")
    [question] = result.questions
    assert question.kind is Kind.OPEN
    assert question.pass_mark == 1
    assert [(k.point, k.phrasings, k.accept) for k in question.key_points] == [
        ("red", ["red"], ["red"]),
        ("a red tag", ["a red tag"], ["a red tag"]),
    ]
    assert question.explanation == "Yes."
    assert "short answer imported as an open question" in messages(result.notes)[0]


def test_short_answer_partial_credit_is_left_out_and_reported() -> None:
    result = read("Colour? {=red =%50%pink}")
    assert [k.point for k in result.questions[0].key_points] == ["red"]
    assert messages(result.dropped) == ["line 1: 'pink' weighted 50% is now left out"]


def test_a_one_letter_short_answer_is_skipped_with_its_line() -> None:
    result = read("\n\nGrade? {=A}")
    assert result.questions == []
    assert messages(result.skipped) == ["line 3: accepted answer 'A' is too short"]


UNSUPPORTED = """\
// A quiz with every kind Moodle has.
$CATEGORY: $course$/top/Quality

::Match:: Match the tags. {
  =Red -> Nonconforming
  =Green -> Released
}

How many days to tell the customer? {#1}

Describe the NCR process. {}

// a description item
Read QP-08 before you start.

Who tags? {=Finder ~Manager}
"""


def test_unsupported_kinds_are_reported_with_their_line_and_the_rest_imported() -> None:
    result = read(UNSUPPORTED)
    assert messages(result.skipped) == [
        "line 4: a matching question ({=a -> b}) has no bank equivalent",
        "line 9: a numerical question ({#...}) has no bank equivalent",
        "line 11: an essay question ({}) has no bank equivalent",
        "line 14: a description with no answers: nothing to ask",
    ]
    assert [item.line for item in result.imported] == [16]
    assert messages(result.notes) == [
        "line 2: category '$course$/top/Quality' noted; questions go to the procedure given"
    ]


def test_an_unclosed_brace_is_reported_at_its_line_and_the_next_question_read() -> None:
    result = read("Who tags\nnonconforming parts?\n{=Finder\n~Manager\n\nNext? {=a1 ~b1}\n")
    assert messages(result.skipped) == ["line 3: the '{' of the answers is never closed with '}'"]
    assert [q.prompt for q in result.questions] == ["Next?"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q? {=a ~b} and {=c ~d}", "line 1: a second answer block; a question has one"),
        ("Q? {=a {~b}", "line 1: a second '{' inside the answers (write \\{)"),
        ("Q} ? {=a ~b}", "line 1: a '}' before the answers opened (write \\} in text)"),
        ("::Title Q? {=a ~b}", "line 1: the title opened with '::' is never closed"),
        ("Q?\n{maybe}", "line 2: {maybe} is no GIFT answer: write {T}, {F} or ~/= answers"),
        ("Q? {x =a ~b}", "line 1: 'x' comes before the first ~ or = answer"),
    ],
)
def test_malformed_questions_are_reported_with_their_line(text: str, message: str) -> None:
    result = read(text)
    assert messages(result.skipped) == [message]
    assert result.questions == []


def test_escaped_characters_stand_for_themselves() -> None:
    [question] = read(
        r"Escapes \~ \= \# \{ \} \: and \\ here\nnext line {=yes\: 1 \= 1 ~no \~ \# \{\}}"
    ).questions
    assert question.prompt == "Escapes ~ = # { } : and \\ here\nnext line"
    assert question.options == {"a": "yes: 1 = 1", "b": "no ~ # {}"}


def test_comments_inside_a_question_are_left_out() -> None:
    [question] = read("// about tags\nWho tags? {\n// the right one\n=Finder\n~Boss\n}").questions
    assert question.prompt == "Who tags?"
    assert question.options == {"a": "Finder", "b": "Boss"}


def test_answers_in_the_middle_leave_a_blank_in_the_prompt() -> None:
    [question] = read("Tag the batch {=red ~green} and move it to quarantine.").questions
    assert question.prompt == "Tag the batch _____ and move it to quarantine."


def test_a_multi_line_question_keeps_its_line_breaks() -> None:
    [question] = read("::Q::  First line\n   second line {\n=a1\n~b1\n}").questions
    assert question.prompt == "First line\nsecond line"


def test_html_questions_lose_their_tags_and_other_markers_are_removed() -> None:
    [html, markdown] = read(
        "[html]<p>Which is <b>right</b> &amp; safe?</p>{=<i>This</i> ~That}\n\n"
        "::M::[markdown]Is *this* right? {=[plain]yes ~no}"
    ).questions
    assert html.prompt == "Which is right & safe?"
    assert html.options["a"] == "This"
    assert markdown.prompt == "Is *this* right?"
    assert markdown.options["a"] == "yes"


def test_over_long_texts_are_skipped_with_their_line() -> None:
    result = read(f"Short? {{=a1 ~b1}}\n\n{'x' * 701}? {{=a1 ~b1}}\n\nOk? {{={'y' * 301} ~b1}}")
    assert [q.prompt for q in result.questions] == ["Short?"]
    assert messages(result.skipped) == [
        "line 3: prompt is 702 characters; the bank allows at most 700",
        "line 5: answer A is 301 characters; the bank allows at most 300",
    ]


def test_too_many_answers_are_skipped() -> None:
    result = read("Pick? {=a1 ~b1 ~c1 ~d1 ~e1 ~f1 ~g1}")
    assert messages(result.skipped) == ["line 1: options: at most 6 options"]


def test_an_empty_file_has_no_questions() -> None:
    result = read("\n// only a comment\n\n")
    assert (result.imported, result.skipped, result.notes) == ([], [], [])
