"""What the text after `/quiz` and `/awareness` asks for, as plain values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

PAUSE = re.compile(r"^pause(?:\s+until)?\s+(\d{4}-\d{2}-\d{2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Ask:
    """Send me a question now."""


@dataclass(frozen=True)
class Pause:
    until: date


@dataclass(frozen=True)
class Resume:
    """Send me rounds again."""


@dataclass(frozen=True)
class Help:
    problem: str | None = None


@dataclass(frozen=True)
class Summary:
    """The awareness summary."""


@dataclass(frozen=True)
class ListSchedules:
    """List the schedules and whether each is paused."""


@dataclass(frozen=True)
class SetSchedulePaused:
    key: str
    paused: bool


@dataclass(frozen=True)
class SendRound:
    department: str


@dataclass(frozen=True)
class DrillDown:
    """One department, procedure or clause in detail."""

    kind: str
    name: str


@dataclass(frozen=True)
class Export:
    """The HTML report and a CSV, in my DM."""


QuizCommand = Ask | Pause | Resume | Help


@dataclass(frozen=True)
class MockAudit:
    """`mock-audit start`, or `close`, `cancel` or `report` with a round number."""

    action: str
    round_id: int | None = None


AwarenessCommand = (
    Summary | ListSchedules | SetSchedulePaused | SendRound | DrillDown | Export | MockAudit | Help
)
MOCK_ACTIONS = ("close", "cancel", "report", "answers")
DRILL_KINDS = ("department", "procedure", "clause")


def parse_quiz(text: str, *, today: date) -> QuizCommand:
    """`/quiz`, `/quiz pause until 2026-12-24`, `/quiz resume`, `/quiz help`."""
    words = text.strip()
    if not words:
        return Ask()
    if words.lower() == "resume":
        return Resume()
    if words.lower() == "help":
        return Help()
    match = PAUSE.match(words)
    if not match and words.lower().startswith("pause"):
        return Help("write the date as YYYY-MM-DD, like `/quiz pause until 2026-12-24`")
    if not match:
        return Help(f"I don't know `/quiz {words}`")
    try:
        until = date.fromisoformat(match.group(1))
    except ValueError:
        return Help(f"{match.group(1)} is not a date")
    if until < today:
        return Help(f"{until.isoformat()} has already passed")
    return Pause(until)


def parse_awareness(text: str) -> AwarenessCommand:
    """`/awareness [department X | procedure ID | clause REF | export | round X | schedule …]`."""
    words = text.split()
    if not words:
        return Summary()
    head = words[0].lower()
    if head == "schedule" and len(words) == 1:
        return ListSchedules()
    if head == "schedule" and len(words) == 3 and words[1].lower() in ("pause", "resume"):
        return SetSchedulePaused(key=words[2], paused=words[1].lower() == "pause")
    if head == "round" and len(words) >= 2:
        return SendRound(department=" ".join(words[1:]))
    if head in DRILL_KINDS and len(words) >= 2:
        return DrillDown(kind=head, name=" ".join(words[1:]))
    if head == "export" and len(words) == 1:
        return Export()
    if head == "mock-audit":
        return _mock_audit(words[1:])
    if head == "help":
        return Help()
    return Help(f"I don't know `/awareness {text.strip()}`")


def _mock_audit(words: list[str]) -> MockAudit | Help:
    if words == ["start"]:
        return MockAudit("start")
    if len(words) == 2 and words[0] in MOCK_ACTIONS and words[1].lstrip("#").isdigit():
        return MockAudit(words[0], int(words[1].lstrip("#")))
    return Help(
        "write `/awareness mock-audit start`, or `close`, `cancel`, `report` or `answers` "
        "and a number"
    )
