"""Block Kit for mock audits: the start modal, the grade modal and the findings summary."""

from __future__ import annotations

from typing import Any

from bot.domain.mock_audit.requirements import STANDARDS
from bot.services.mock_audit.findings import MockReport
from bot.services.mock_audit.learning import GRADER, LEARNT
from bot.services.mock_audit.results import AnswerOnRecord
from bot.slack.ids import MockAuditId
from questions.text import escape_mrkdwn

Block = dict[str, Any]
DEFAULT_CAP = "6"
DEFAULT_HOURS = "72"

ADMINS_ONLY_MOCK = "Only admins can run mock audits and grade interview answers."


def mock_started(round_id: int, invited: int, seed: int) -> str:
    return (
        f":clipboard: Mock audit #{round_id} has started: {invited} people invited to a "
        f"practice interview (sample seed {seed}). `/awareness mock-audit close {round_id}` "
        "ends it early; it closes by itself when its window ends."
    )


def mock_repeated(round_id: int) -> str:
    return (
        f":clipboard: That form had already started mock audit #{round_id}; "
        "I haven't started a second one."
    )


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _option(text: str) -> dict[str, Any]:
    return {"text": _plain(text[:75]), "value": text[:150]}


def _input(block_id: str, label: str, element: Block, optional: bool = False) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": element,
        "optional": optional,
    }


def start_modal(departments: list[str]) -> dict[str, Any]:
    """What an admin fills in to start a round: scope, departments, sample size, window."""
    blocks = [
        _input(
            MockAuditId.STANDARDS,
            "Standards in scope",
            {
                "type": "checkboxes",
                "action_id": "value",
                "options": [_option(s) for s in STANDARDS],
                "initial_options": [_option(s) for s in STANDARDS],
            },
        ),
        _input(
            MockAuditId.DEPARTMENTS,
            "Departments (leave empty for all)",
            {
                "type": "multi_static_select",
                "action_id": "value",
                "placeholder": _plain("All departments"),
                "options": [_option(d) for d in departments[:100]] or [_option("(none)")],
            },
            optional=True,
        ),
        _input(
            MockAuditId.CAP,
            "Most people per department",
            {
                "type": "plain_text_input",
                "action_id": "value",
                "initial_value": DEFAULT_CAP,
            },
        ),
        _input(
            MockAuditId.HOURS,
            "Hours the interviews stay open",
            {
                "type": "plain_text_input",
                "action_id": "value",
                "initial_value": DEFAULT_HOURS,
            },
        ),
    ]
    return {
        "type": "modal",
        "callback_id": MockAuditId.START,
        "title": _plain("Mock audit"),
        "submit": _plain("Start"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def grade_modal(*, item_id: int, question: str, reply: str) -> dict[str, Any]:
    """An admin's override of any interview grade."""
    return {
        "type": "modal",
        "callback_id": MockAuditId.GRADE,
        "private_metadata": str(item_id),
        "title": _plain("Grade an answer"),
        "submit": _plain("Save grade"),
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{escape_mrkdwn(question)}*\n>{escape_mrkdwn(reply)}"[:3000],
                },
            },
            _input(
                MockAuditId.VERDICT,
                "Grade",
                {
                    "type": "radio_buttons",
                    "action_id": "value",
                    "options": [_option("pass"), _option("fail")],
                },
            ),
            _input(
                MockAuditId.NOTE,
                "Why (kept with the grade)",
                {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "multiline": True,
                },
                optional=True,
            ),
        ],
    }


def findings_message(report: MockReport) -> dict[str, Any]:
    """The Slack summary of a round's mock findings, for an admin or a manager.

    A manager's report may withhold small departments (`MockReport.withheld_notes`).
    """
    header = (
        f"*Mock audit #{report.round_id}* ({report.status}): {report.interviews} sampled, "
        f"{report.completed} completed, {report.unavailable} not available for interview"
    )
    if report.awaiting_review:
        header += f", {report.awaiting_review} answers awaiting your grade"
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": header}}]
    withheld = "\n".join(f"_{escape_mrkdwn(note)}_" for note in report.withheld_notes())
    if withheld:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": withheld[:3000]}})
    for finding in report.findings[:20]:
        text = (
            f"*{finding.reference} · {finding.grade.value}* · {escape_mrkdwn(finding.standard)} "
            f"{escape_mrkdwn(finding.clause)}\n{escape_mrkdwn(finding.statement)}"
        )
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}})
    if not report.findings:
        none = f"_{report.no_findings()}_"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": none}})
    if report.strengths:
        lines = "\n".join(
            f"• {escape_mrkdwn(s.standard)} {escape_mrkdwn(s.clause)}: {escape_mrkdwn(s.topic)}"
            for s in report.strengths[:15]
        )
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*Strengths*\n{lines}"[:3000]}}
        )
    return {"text": f"Mock audit #{report.round_id} findings", "blocks": blocks}


ANSWERS_PER_MESSAGE = 15


def answers_messages(answers: list[AnswerOnRecord]) -> list[dict[str, Any]]:
    """Every answer with its grade, in messages within Block Kit's limits, for an admin."""
    messages = []
    for start in range(0, len(answers), ANSWERS_PER_MESSAGE):
        blocks: list[Block] = []
        for answer in answers[start : start + ANSWERS_PER_MESSAGE]:
            graded = _graded_by(answer.graded_by)
            # Every line of the reply is quoted and the grade has a block of its own, so what
            # a person typed can never read as a grade line.
            quoted = "\n".join(f"> {line}" for line in escape_mrkdwn(answer.reply).split("\n"))
            text = (
                f"*{escape_mrkdwn(answer.department)}, {escape_mrkdwn(answer.role or 'no role')}*"
                f" · {escape_mrkdwn(answer.question)}\n{quoted}"
            )
            blocks.append(
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": text[:3000]},
                    "accessory": {
                        "type": "button",
                        "action_id": MockAuditId.CHANGE_GRADE,
                        "text": _plain("Change grade…"),
                        "value": str(answer.item_id),
                    },
                }
            )
            grade = f"Grade: *{answer.verdict}* (set by {graded})"
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": grade}]})
        messages.append({"text": "Interview answers", "blocks": blocks})
    return messages or [
        {
            "text": "No answers yet.",
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": "_No answers yet._"}}
            ],
        }
    ]


def _graded_by(by: str) -> str:
    if by == GRADER:
        return "the grader"
    if by == LEARNT:
        return "the grader, like a confirmed answer"
    return f"<@{by}>"
