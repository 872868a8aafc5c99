"""Block Kit for reviewing a question: the owner's message, its outcome, and the two modals.

Pure functions of the review service's results. Every piece of bank text is escaped: a
draft's prompt or cited sentence must never ping a channel or forge a link.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.services.review.results import Decision, MessageRef, PendingQuestion
from bot.slack.blocks import Block, Blocks, context, plain, section
from bot.slack.review.ids import EDIT_FIELDS, ReviewId
from questions import limits
from questions.text import escape_mrkdwn, option_letter

SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
# Slack shows about this much of a modal's error under its input.
ERROR_TEXT = 300
OUTCOMES = {
    Decision.APPROVED.value: ":white_check_mark: Approved",
    Decision.REJECTED.value: ":wastebasket: Rejected",
    Decision.EDITED.value: ":pencil2: Edited",
}


@dataclass(frozen=True)
class Where:
    """The message a modal was opened from, carried in the modal's private_metadata."""

    question_id: str
    seen: str
    channel: str
    ts: str

    def metadata(self) -> str:
        return json.dumps([self.question_id, self.seen, self.channel, self.ts])

    def ref(self, slack_user: str) -> MessageRef:
        return MessageRef(slack_user, self.channel, self.ts)

    @classmethod
    def from_metadata(cls, text: str) -> Where:
        question_id, seen, channel, ts = json.loads(text)
        return cls(str(question_id), str(seen), str(channel), str(ts))


def button_value(question: PendingQuestion) -> str:
    return f"{question.question_id}|{question.fingerprint}"


def from_button_value(value: str) -> tuple[str, str]:
    """The question id and the text's fingerprint a button was drawn with."""
    question_id, _, seen = value.partition("|")
    return question_id, seen


def who(reviewer: str | None) -> str:
    """A reviewer as mrkdwn: a mention for a Slack user, the name the CLI recorded otherwise."""
    if not reviewer:
        return "someone, in the bank file"
    return f"<@{reviewer}>" if SLACK_USER.match(reviewer) else escape_mrkdwn(reviewer)


# -- the message to the owner -----------------------------------------------------------------


def review_message(question: PendingQuestion, *, note: str | None = None) -> dict[str, Any]:
    """The question for its owner to review, with Approve, Edit and Reject."""
    blocks = [*question_blocks(question)]
    if note:
        blocks.append(context(note))
    blocks.append(_buttons(question))
    return {"text": _fallback(question), "blocks": blocks}


def decided_message(
    question: PendingQuestion | None,
    *,
    question_id: str,
    decision: str,
    reviewer: str | None,
    reason: str | None = None,
) -> dict[str, Any]:
    """The message once decided: what was decided and by whom, and no buttons."""
    outcome = OUTCOMES.get(decision, escape_mrkdwn(decision.capitalize()))
    line = f"{outcome} by {who(reviewer)}: {escape_mrkdwn(question_id)}"
    if reason:
        line += f"\n>{escape_mrkdwn(reason)}"
    blocks: Blocks = [section(line)]
    if question is not None:
        blocks += question_blocks(question)
    return {"text": escape_mrkdwn(f"{question_id}: {decision}"), "blocks": blocks}


def question_blocks(question: PendingQuestion) -> Blocks:
    """Procedure, status, prompt, options with the right one marked, explanation, section."""
    q = question
    heading = (
        f"*Please review {escape_mrkdwn(q.question_id)}* ({escape_mrkdwn(q.status)}) · "
        f"{escape_mrkdwn(q.procedure)} {escape_mrkdwn(q.procedure_title)} "
        f"(rev. {escape_mrkdwn(q.revision)})"
    )
    blocks: Blocks = [section(heading), section(f"*{escape_mrkdwn(q.prompt)}*")]
    blocks += _choices(q)
    explanation = escape_mrkdwn(q.explanation) if q.explanation else "_none yet_"
    where = escape_mrkdwn(q.section) if q.section else "_none yet_"
    blocks.append(section(f"*Explanation:* {explanation}\n*Section:* {where}"))
    if q.cites:
        blocks.append(context(f"Drawn from: “{escape_mrkdwn(q.cites)}”"))
    return blocks


def _choices(q: PendingQuestion) -> Blocks:
    if q.kind == "open":
        points = "\n".join(f"• {escape_mrkdwn(p)}" for p in q.key_points)
        return [section(f"*Key points a good answer makes:*\n{points}")] if points else []
    return [
        section(f"{_mark(key in q.correct)} *{option_letter(i)}.* {escape_mrkdwn(text)}")
        for i, (key, text) in enumerate(q.options)
    ]


def _mark(right: bool) -> str:
    return ":white_check_mark:" if right else ":white_small_square:"


def _buttons(question: PendingQuestion) -> Block:
    value = button_value(question)
    return {
        "type": "actions",
        "block_id": f"{ReviewId.ACTIONS}:{question.question_id}"[: limits.BLOCK_ID],
        "elements": [
            _button("Approve", ReviewId.APPROVE, value, style="primary"),
            _button("Edit", ReviewId.EDIT, value),
            _button("Reject", ReviewId.REJECT, value, style="danger"),
        ],
    }


def _button(text: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    button = {"type": "button", "text": plain(text), "action_id": action_id, "value": value}
    return button | ({"style": style} if style else {})


def _fallback(q: PendingQuestion) -> str:
    prompt = q.prompt if len(q.prompt) <= 150 else q.prompt[:149] + "…"
    # The notification text is mrkdwn too: escaped like the blocks.
    return escape_mrkdwn(f"Please review {q.question_id} ({q.procedure}): {prompt}")


# -- the modals -------------------------------------------------------------------------------


def reject_modal(question: PendingQuestion, where: Where) -> dict[str, Any]:
    """Asks why: the reason is kept in the bank so the draft is not proposed again."""
    return _modal(
        ReviewId.REJECT_MODAL,
        "Reject question",
        "Reject",
        where,
        [
            section(f"*{escape_mrkdwn(question.question_id)}*: {escape_mrkdwn(question.prompt)}"),
            _input(ReviewId.REASON, "Why reject it?", None, multiline=True, max_length=500),
        ],
    )


def edit_modal(question: PendingQuestion, where: Where) -> dict[str, Any]:
    """The question's fields to edit; options one a line as `a: text`."""
    q = question
    inputs = [_input(ReviewId.PROMPT, "Question", q.prompt, multiline=True, max_length=700)]
    if q.kind in ("single", "multiple"):
        lines = "\n".join(f"{key}: {text}" for key, text in q.options)
        inputs.append(_input(ReviewId.OPTIONS, "Options, one a line (a: text)", lines, True))
    if q.kind != "open":
        answer = ", ".join(q.correct)
        inputs.append(_input(ReviewId.ANSWER, _answer_label(q.kind), answer, max_length=40))
    inputs += [
        _input(ReviewId.EXPLANATION, "Explanation", q.explanation, True, max_length=900),
        _input(ReviewId.SECTION, "Procedure section", q.section, max_length=60),
    ]
    return _modal(ReviewId.EDIT_MODAL, "Edit question", "Save", where, inputs)


def _answer_label(kind: str) -> str:
    if kind == "true_false":
        return "Answer (true or false)"
    return "Right answers (a, c)" if kind == "multiple" else "Right answer (a letter)"


def _modal(callback: str, title: str, submit: str, where: Where, blocks: Blocks) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "private_metadata": where.metadata(),
        "title": plain(title),
        "submit": plain(submit),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def _input(
    block_id: str,
    label: str,
    initial: str | None,
    multiline: bool = False,
    *,
    max_length: int = 3000,
) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ReviewId.VALUE,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    optional = block_id in (ReviewId.EXPLANATION, ReviewId.SECTION)
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }


def modal_errors(problems: list[str], fields: tuple[str, ...] = EDIT_FIELDS) -> dict[str, str]:
    """Each problem under the input it is about; the rest under the first input."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        field = next((f for f in fields if problem.startswith((f"{f}:", f"{f}."))), fields[0])
        errors.setdefault(field, []).append(problem)
    return {field: "; ".join(found)[:ERROR_TEXT] for field, found in errors.items()}


# -- replies to the person who clicked ---------------------------------------------------------


def not_a_reviewer(procedure: str, owner: str) -> str:
    return (
        f"Only the owner of {escape_mrkdwn(procedure)} ({escape_mrkdwn(owner)}) or an admin "
        "can review its questions, so nothing was changed."
    )


def already_decided(question_id: str, decision: str, reviewer: str | None) -> str:
    return f"{escape_mrkdwn(question_id)} was already {escape_mrkdwn(decision)} by {who(reviewer)}."


def changed_since(question_id: str) -> str:
    return (
        f"{escape_mrkdwn(question_id)} was changed since this message was sent, so nothing was "
        "decided. The message now shows it as it stands: have another look."
    )


def cannot_approve(question_id: str, problems: list[str]) -> str:
    listed = "\n".join(f"• {escape_mrkdwn(p)}" for p in problems[:10])
    return (
        f"{escape_mrkdwn(question_id)} can't be approved as it stands, so it is unchanged:\n"
        f"{listed}\nPress Edit to fix it."
    )[: limits.SECTION_TEXT]


def gone(question_id: str) -> str:
    return f"{escape_mrkdwn(question_id)} is no longer in the question bank."
