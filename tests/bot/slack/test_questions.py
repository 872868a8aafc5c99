from __future__ import annotations

import dataclasses

import pytest

from bot.sandbox.blockkit import validate_message
from bot.services.access import Scope
from bot.services.quiz.service import AnswerOutcome, QuestionToAsk, Refusal
from bot.services.summary.counts import AwarenessSummary
from bot.slack import questions as views
from bot.slack.summary.views import awareness_message
from questions.loader import load_bank, sample_bank_path
from questions.model import Kind, Procedure, Question
from storage.queries import AwarenessCounts, Tally


def to_ask(procedure: Procedure, question: Question, delivery_id: int = 7) -> QuestionToAsk:
    return QuestionToAsk(
        delivery_id=delivery_id,
        procedure_code=procedure.id,
        procedure_title=procedure.title,
        procedure_revision=procedure.revision,
        document=procedure.document,
        question_code=question.id,
        kind=question.kind.value,
        prompt=question.prompt,
        options=question.option_items(),
        section=question.section,
    )


# Open questions are only asked in mock interviews, never as a button quiz.
SAMPLE = [
    (f.procedure, q)
    for _, f in load_bank(sample_bank_path()).files
    for q in f.questions
    if q.kind is not Kind.OPEN
]


@pytest.mark.parametrize(("procedure", "question"), SAMPLE, ids=[q.id for _, q in SAMPLE])
def test_every_sample_question_and_its_outcomes_fit_block_kit(
    procedure: Procedure, question: Question
) -> None:
    ask = to_ask(procedure, question)
    assert validate_message(*_pair(views.question_message(ask))) == []
    wrong = [k for k, _ in ask.options if k not in question.correct_keys()][:1]
    for chosen, already in ((question.correct_keys(), False), (wrong, True)):
        outcome = AnswerOutcome(
            ask,
            chosen,
            question.correct_keys(),
            chosen == question.correct_keys(),
            question.explanation,
            already,
        )
        assert validate_message(*_pair(views.answered_message(outcome))) == []


def _pair(message: dict[str, object]) -> tuple[object, object]:
    return message["text"], message["blocks"]


def biggest_question(kind: Kind) -> QuestionToAsk:
    options = [] if kind is Kind.TRUE_FALSE else [(chr(97 + i), "&" * 300) for i in range(6)]
    if kind is Kind.TRUE_FALSE:
        options = [("true", "True"), ("false", "False")]
    return QuestionToAsk(
        1,
        "QP-08",
        "T" * 120,
        "Z" * 20,
        "https://x/" + "d" * 200,
        "QP-08-001",
        kind.value,
        "<" * 700,
        options,
        "9" * 60,
    )


@pytest.mark.parametrize("kind", list(Kind))
def test_a_question_at_every_bank_limit_still_fits(kind: Kind) -> None:
    ask = biggest_question(kind)
    keys = [k for k, _ in ask.options]
    outcome = AnswerOutcome(ask, keys, keys, True, "&" * 900, True)
    for message in (views.question_message(ask), views.answered_message(outcome)):
        assert validate_message(*_pair(message)) == []


def test_buttons_are_short_letters_and_carry_the_delivery() -> None:
    procedure, question = next((p, q) for p, q in SAMPLE if q.kind is Kind.SINGLE)
    message = views.question_message(to_ask(procedure, question, delivery_id=42))
    actions = message["blocks"][-1]
    assert actions["block_id"] == "answer:42"
    assert [b["text"]["text"] for b in actions["elements"]] == [
        chr(65 + i) for i in range(len(question.options))
    ]
    assert [b["action_id"] for b in actions["elements"]] == [
        f"quiz.answer.{k}" for k in sorted(question.options)
    ]


def test_text_from_files_is_escaped_so_it_cannot_ping_or_link() -> None:
    ask = QuestionToAsk(
        1,
        "QP-08",
        "Title <!here>",
        "A",
        "doc",
        "QP-08-001",
        "single",
        "Tell <!channel> & <@U123>",
        [("a", "<https://evil|x>"), ("b", "ok")],
        "1",
    )
    body = views.question_message(ask)["blocks"][1]["text"]["text"]
    assert "<!channel>" not in body and "&lt;!channel&gt; &amp; &lt;@U123&gt;" in body
    assert "&lt;https://evil|x&gt;" in body
    header = views.question_message(ask)["blocks"][0]["elements"][0]["text"]
    assert "<!here>" not in header
    # The notification text a phone shows is mrkdwn too (issue 12, F12).
    assert "<!channel>" not in views.question_message(ask)["text"]
    bad_code = dataclasses.replace(ask, procedure_code="<!channel>", section="<!here>")
    for message in (views.closed_message(bad_code), views.question_message(bad_code)):
        assert "<!" not in message["text"], message["text"]


def test_refusals_replace_the_question_with_a_clear_message() -> None:
    message = views.refused_message(Refusal.RETIRED)
    assert "retired" in message["text"]
    assert validate_message(*_pair(message)) == []


def test_a_huge_awareness_summary_is_cut_to_fit() -> None:
    tallies = [Tally((f"Department {i:03}",), 5, 4, 10, 8, 3) for i in range(300)]
    cells = [Tally((f"Department {i:03}", "QP-08"), 5, 4, 10, 8, 3) for i in range(5)]
    summary = AwarenessSummary(
        Scope(None, True), AwarenessCounts(tallies[0], tallies, tallies, cells), None
    )
    message = awareness_message(summary)
    assert validate_message(*_pair(message)) == []
    assert "more" in str(message["blocks"])
