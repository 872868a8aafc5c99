"""Block Kit for practice interviews: the invitation, each question, and the admin's review."""

from __future__ import annotations

from typing import Any

from bot.services.mock_audit.results import InterviewQuestion
from bot.slack.ids import InterviewAction, MockAuditId
from questions.model import Kind
from questions.text import escape_mrkdwn, option_letter, question_body

Block = dict[str, Any]

STAGE_LABELS = {
    "policy": "The policy",
    "objectives": "Objectives and your contribution",
    "procedures": "The procedures for your work",
    "problems": "When things go wrong",
    "implications": "If the system isn't followed",
}


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def invitation(*, questions: int, closes: str) -> dict[str, Any]:
    """The DM that opens a practice interview; its questions follow in the thread."""
    text = (
        ":wave: *A 5-minute practice interview*\n"
        "Before the certification audit, an auditor will talk to people across the company. "
        f"This is a rehearsal: {questions} short questions, one at a time, in this thread. "
        "Answer as you would to the auditor, in your own words where asked. "
        "It isn't a test of you: it shows where the company needs to explain things better."
    )
    return {
        "text": "A 5-minute practice interview",
        "blocks": [_section(text), _context(f"Open until {escape_mrkdwn(closes)}.")],
    }


def interview_question(question: InterviewQuestion) -> dict[str, Any]:
    """One interview question, posted in the thread; closed ones get short buttons."""
    ask = question.ask
    stage = STAGE_LABELS.get(question.stage, question.stage)
    kind = Kind(ask.kind)
    blocks: list[Block] = [
        _context(f"Question {question.position} of {question.of} · {escape_mrkdwn(stage)}"),
        _section(question_body(prompt=ask.prompt, kind=kind, options=ask.options)),
    ]
    if kind is not Kind.OPEN:
        blocks.append(_buttons(question))
    return {
        "text": escape_mrkdwn(f"Question {question.position} of {question.of}: {ask.prompt}"[:300]),
        "blocks": blocks,
    }


def _buttons(question: InterviewQuestion) -> Block:
    ask = question.ask
    labels = (
        list(ask.options)
        if ask.kind == Kind.TRUE_FALSE
        else [(key, option_letter(i)) for i, (key, _) in enumerate(ask.options)]
    )
    return {
        "type": "actions",
        "block_id": f"interview:{question.item_id}",
        "elements": [
            {
                "type": "button",
                "action_id": f"{InterviewAction.ANSWER}.{key}",
                "text": {"type": "plain_text", "text": label[:75]},
                "value": key,
            }
            for key, label in labels
        ],
    }


def thanks() -> dict[str, Any]:
    return {
        "text": "Thank you: that's the whole interview.",
        "blocks": [
            _section(
                ":white_check_mark: Thank you, that's the whole interview. "
                "Your answers help the company prepare; nobody is named in the results."
            )
        ],
    }


def review_request(*, item_id: int, question: str, reply: str, reason: str) -> dict[str, Any]:
    """Sent to an admin when the grader is unsure: confirm pass or fail."""
    return {
        "text": "An interview answer needs your grade",
        "blocks": [
            _section(
                f"*An interview answer needs your grade*\n*Question:* {escape_mrkdwn(question)}"
            ),
            _section(f"*Reply:* {escape_mrkdwn(reply)}"),
            _context(escape_mrkdwn(reason)),
            {
                "type": "actions",
                "block_id": f"review:{item_id}",
                "elements": [
                    _grade_button("Pass", "pass", item_id, "primary"),
                    _grade_button("Fail", "fail", item_id, "danger"),
                    {
                        "type": "button",
                        "action_id": MockAuditId.CHANGE_GRADE,
                        "text": {"type": "plain_text", "text": "Grade with a note…"},
                        "value": str(item_id),
                    },
                ],
            },
        ],
    }


def _grade_button(text: str, verdict: str, item_id: int, style: str) -> Block:
    return {
        "type": "button",
        "action_id": f"{InterviewAction.GRADE}.{verdict}",
        "text": {"type": "plain_text", "text": text},
        "value": str(item_id),
        "style": style,
    }
