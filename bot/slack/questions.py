"""The question message, as a DM asks it and as it reads once answered or closed.

Shared by `/quiz`, which asks on demand, and rounds, which ask on a schedule.
"""

from __future__ import annotations

from typing import Any

from bot.services.quiz.service import AnswerOutcome, QuestionToAsk, Refusal
from bot.slack.blocks import Blocks
from bot.slack.blocks import context as _context
from bot.slack.blocks import plain as _plain
from bot.slack.blocks import section as _section
from bot.slack.ids import ActionId, answer_block_id
from questions.model import Kind
from questions.text import (
    escape_mrkdwn,
    option_letter,
    procedure_line,
    question_body,
    right_answer,
    section_name,
)


def _labels(ask: QuestionToAsk) -> list[tuple[str, str]]:
    if ask.kind == Kind.TRUE_FALSE:
        return [(key, text) for key, text in ask.options]
    return [(key, option_letter(i)) for i, (key, _) in enumerate(ask.options)]


def _header(ask: QuestionToAsk) -> dict[str, Any]:
    line = procedure_line(
        code=ask.procedure_code, title=ask.procedure_title, revision=ask.procedure_revision
    )
    return _context(f":clipboard: {line}")


def _body(ask: QuestionToAsk) -> str:
    return question_body(prompt=ask.prompt, kind=Kind(ask.kind), options=ask.options)


def question_message(ask: QuestionToAsk) -> dict[str, Any]:
    """The DM asking one question: procedure, question, options in text, short buttons."""
    return {
        "text": escape_mrkdwn(f"Quiz question from {ask.procedure_code}: {ask.prompt}"[:300]),
        "blocks": [_header(ask), _section(_body(ask))]
        + ([] if ask.kind == Kind.OPEN else [_answer_controls(ask)]),
    }


def _answer_controls(ask: QuestionToAsk) -> dict[str, Any]:
    block_id = answer_block_id(ask.delivery_id)
    labels = _labels(ask)
    if ask.kind == Kind.MULTIPLE:
        pick = {
            "type": "checkboxes",
            "action_id": ActionId.PICK,
            "options": [{"text": _plain(label), "value": key} for key, label in labels],
        }
        submit = {
            "type": "button",
            "action_id": ActionId.SUBMIT,
            "text": _plain("Submit"),
            "style": "primary",
            "value": "submit",
        }
        return {"type": "actions", "block_id": block_id, "elements": [pick, submit]}
    buttons = [
        {
            "type": "button",
            "action_id": f"{ActionId.ANSWER}.{key}",
            "text": _plain(label),
            "value": key,
        }
        for key, label in labels
    ]
    return {"type": "actions", "block_id": block_id, "elements": buttons}


def answered_message(outcome: AnswerOutcome) -> dict[str, Any]:
    """The same message after an answer: verdict, right answer, explanation, where to read."""
    ask = outcome.question
    labels = dict(_labels(ask))
    verdict = ":white_check_mark: *Right.*" if outcome.is_correct else ":x: *Not quite.*"
    chosen = ", ".join(labels[k] for k in outcome.chosen if k in labels)
    right = right_answer(kind=Kind(ask.kind), options=ask.options, correct=outcome.correct)
    blocks: Blocks = [
        _header(ask),
        _section(_body(ask).rsplit("\n", 1)[0]),
        _section(f"{verdict} You answered *{chosen}*.\nThe right answer:\n{right}"),
        _section(escape_mrkdwn(outcome.explanation)),
        _context(_reference(ask)),
    ]
    if outcome.already_answered:
        blocks.append(
            _context(
                ":information_source: You had already answered this question; "
                "your first answer stands."
            )
        )
    where = section_name(ask.section)
    summary = f"{verdict} {escape_mrkdwn(ask.procedure_code)} {escape_mrkdwn(where)}"
    return {"text": summary, "blocks": blocks}


def _reference(ask: QuestionToAsk) -> str:
    section = escape_mrkdwn(section_name(ask.section))
    code = escape_mrkdwn(ask.procedure_code)
    document = ask.document
    if document.startswith(("http://", "https://")):
        return f":book: Read {section} of <{escape_mrkdwn(document)}|{code}>."
    return f":book: Read {section} of {code} ({escape_mrkdwn(document)})."


_REFUSALS = {
    Refusal.UNKNOWN_DELIVERY: "This question isn't one I can find any more, so nothing was "
    "recorded. Type `/quiz` for a new one.",
    Refusal.NOT_YOURS: "This question was sent to someone else, so your click was not recorded.",
    Refusal.RETIRED: "This question has been retired from the question bank since it was sent, "
    "so nothing was recorded. Type `/quiz` for a current one.",
    Refusal.NOTHING_CHOSEN: "Choose at least one answer before pressing Submit.",
    Refusal.CLOSED: "This question has closed, so answers are no longer taken. It is recorded "
    "as unanswered. Type `/quiz` for a new one.",
}


def refusal_text(reason: Refusal) -> str:
    return _REFUSALS[reason]


def refused_message(reason: Refusal) -> dict[str, Any]:
    """Replaces a question message that can no longer be answered."""
    return {"text": _REFUSALS[reason], "blocks": [_section(f":warning: {_REFUSALS[reason]}")]}


def closed_message(ask: QuestionToAsk) -> dict[str, Any]:
    """A question whose answer window ended before it was answered."""
    return {
        "text": f"Closed: {escape_mrkdwn(ask.procedure_code)} question",
        "blocks": [
            _header(ask),
            _section(_body(ask).rsplit("\n", 1)[0]),
            _context(f":lock: {_REFUSALS[Refusal.CLOSED]}"),
            _context(_reference(ask)),
        ],
    }


def reminder_text(*, waiting: int, closes: str) -> str:
    """The one reminder a person gets for a round they haven't answered."""
    questions = "a question" if waiting == 1 else f"{waiting} questions"
    return (
        f":alarm_clock: Reminder: {questions} from this week's round "
        f"{'is' if waiting == 1 else 'are'} waiting for you above. Answers close {closes}."
    )
