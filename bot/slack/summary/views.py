"""Block Kit for the awareness summary, kept within Slack's per-section limits."""

from __future__ import annotations

from typing import Any

from bot.reports.revisions import revision_sentence
from bot.reports.summary import percent, scope_label
from bot.services.summary.counts import AwarenessSummary, RevisionSplit, Tally
from questions import limits
from questions.text import escape_mrkdwn


def _line(label: str, tally: Tally) -> str:
    return (
        f"• *{escape_mrkdwn(label)}*: {percent(tally.share_correct)} correct "
        f"({tally.correct}/{tally.answers}), participation {percent(tally.participation)}, "
        f"{tally.people_reached} reached"
    )


def _procedure_line(tally: Tally, split: RevisionSplit | None) -> str:
    """The procedure's line, then its current revision beside the earlier ones."""
    return f"{_line(tally.key[0], tally)}\n    {escape_mrkdwn(revision_sentence(split))}"


def _fitted(title: str, lines: list[str], empty: str = "_No answers yet._") -> dict[str, Any]:
    text = f"*{title}*"
    for shown, line in enumerate(lines):
        rest = f"\n…and {len(lines) - shown} more"
        if len(text) + 1 + len(line) + len(rest) > limits.SECTION_TEXT:
            text += rest
            break
        text += "\n" + line
    if not lines:
        text += "\n" + empty
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def headline(summary: AwarenessSummary) -> str:
    """Reach, participation and share correct, in three lines."""
    overall = summary.counts.overall
    return (
        f"*People reached:* {overall.people_reached} ({overall.people_answered} answered)\n"
        f"*Participation:* {percent(overall.participation)} "
        f"({overall.answers} of {overall.deliveries} questions answered)\n"
        f"*Answered correctly:* {percent(overall.share_correct)} "
        f"({overall.correct} of {overall.answers})"
    )


def overview_blocks(summary: AwarenessSummary) -> list[dict[str, Any]]:
    """Reach, participation and share correct overall and by department, then the revised
    procedures' awareness of their current revision beside answers under earlier ones."""
    by_department = [_line(t.key[0], t) for t in summary.counts.by_department]
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": headline(summary)}},
        _fitted("By department", by_department),
    ]
    revised = [
        f"• *{escape_mrkdwn(code)}* {escape_mrkdwn(revision_sentence(split))}"
        for code, split in sorted(summary.counts.revisions.items())
        if split.earlier_answers
    ]
    if revised:
        blocks.append(_fitted("Revised procedures", revised))
    return blocks


def awareness_message(summary: AwarenessSummary) -> dict[str, Any]:
    """The private summary a manager or admin gets."""
    counts = summary.counts
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Awareness summary"}},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": escape_mrkdwn(scope_label(summary))}],
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": headline(summary)}},
        {"type": "divider"},
        _fitted("By department", [_line(t.key[0], t) for t in counts.by_department]),
        _fitted(
            "By procedure",
            [_procedure_line(t, counts.revisions.get(t.key[0])) for t in counts.by_procedure],
        ),
    ]
    return {
        "text": f"Awareness summary for {escape_mrkdwn(scope_label(summary))}",
        "blocks": blocks,
    }


def cannot_show(name: str) -> str:
    return (
        f"I can't show {escape_mrkdwn(name)!r}: it isn't one of the departments you oversee. "
        "Check the spelling against the staff roster."
    )
