"""Block Kit pieces every view builds with, kept within Slack's limits."""

from __future__ import annotations

from typing import Any

from questions import limits

Block = dict[str, Any]
Blocks = list[Block]


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def section(text: str) -> Block:
    # Views keep their text within the limit; this only guards the message against Slack
    # refusing it outright.
    if len(text) > limits.SECTION_TEXT:
        text = text[: limits.SECTION_TEXT - 1] + "…"
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}
