"""What reviewing returns, and the ways it refuses: plain data for the CLI and Slack to render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Decision(StrEnum):
    APPROVED = "approved"
    EDITED = "edited"
    REJECTED = "rejected"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class PendingQuestion:
    """A drafted or flagged question as a reviewer sees it, with its procedure."""

    procedure: str
    procedure_title: str
    revision: str
    owner: str
    owner_slack_id: str | None
    question_id: str
    status: str
    kind: str
    prompt: str
    options: list[tuple[str, str]]
    correct: list[str]
    explanation: str
    section: str
    cites: str | None
    key_points: list[str]
    # The question as its bank entry, for a reviewer to edit; and a short hash of it, so a
    # decision taken on an older text is caught.
    yaml: str
    fingerprint: str


@dataclass(frozen=True)
class MessageRef:
    """A Slack message that asked someone to review a question."""

    slack_user: str
    channel: str
    ts: str


@dataclass(frozen=True)
class Decided:
    """A decision written to the bank file and to the trail."""

    question_id: str
    procedure: str
    decision: Decision
    reviewer: str
    reason: str | None = None
    # The question as it now stands; None once rejected.
    question: PendingQuestion | None = None
    # Every message that asked for this decision, to show its outcome.
    messages: list[MessageRef] = field(default_factory=list)


@dataclass(frozen=True)
class Posting:
    """A pending question and the people who may review it."""

    question: PendingQuestion
    reviewers: list[str]


class UnknownQuestion(LookupError):
    """No bank file holds the question."""

    def __init__(self, question_id: str) -> None:
        super().__init__(f"no question {question_id} awaits review in the bank")
        self.question_id = question_id


class NotAReviewer(PermissionError):
    """The caller is neither an admin nor the owner of the question's procedure."""

    def __init__(self, procedure: str, owner: str) -> None:
        super().__init__(f"only the owner of {procedure} ({owner}) or an admin may review it")
        self.procedure = procedure
        self.owner = owner


class AlreadyDecided(Exception):
    """Someone decided on the question before this request: a second click, or a colleague."""

    def __init__(
        self,
        question_id: str,
        decision: str,
        reviewer: str | None,
        at: datetime | None,
        messages: list[MessageRef] | None = None,
    ) -> None:
        by = f" by {reviewer}" if reviewer else ""
        super().__init__(f"{question_id} was already {decision}{by}")
        self.question_id = question_id
        self.decision = decision
        self.reviewer = reviewer
        self.at = at
        self.messages = messages or []


class ChangedSinceSent(Exception):
    """The question was edited after the reviewer's copy was shown; nothing was decided."""

    def __init__(self, current: PendingQuestion, messages: list[MessageRef]) -> None:
        super().__init__(f"{current.question_id} was changed since it was shown")
        self.current = current
        self.messages = messages


class ReviewRefused(ValueError):
    """The decision would leave the bank invalid, or the edit is not a valid question."""

    def __init__(self, question_id: str, problems: list[str]) -> None:
        super().__init__(f"{question_id}: " + "; ".join(problems))
        self.question_id = question_id
        self.problems = problems
