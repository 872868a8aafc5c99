"""The plain data the mock audit service takes and hands out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.services.quiz.service import QuestionToAsk


@dataclass(frozen=True)
class MockPlan:
    standards: list[str]
    departments: list[str] | None
    per_department_cap: int
    hours_open: int
    seed: int | None = None


@dataclass(frozen=True)
class Invitation:
    interview_id: int
    slack_user: str
    department: str
    role: str | None


@dataclass(frozen=True)
class MockStarted:
    round_id: int
    seed: int
    invitations: list[Invitation]
    # Set when this request repeated the one that opened the round (the form sent twice).
    repeat_of: datetime | None = None


@dataclass(frozen=True)
class InterviewQuestion:
    """The next question of an interview, ready to post in its thread."""

    item_id: int
    interview_id: int
    position: int
    of: int
    stage: str
    ask: QuestionToAsk


@dataclass(frozen=True)
class ForReview:
    """An answer the grader was unsure about, as an admin sees it."""

    question: str
    reply: str
    reason: str


@dataclass(frozen=True)
class AnswerOnRecord:
    item_id: int
    department: str
    role: str | None
    question: str
    reply: str
    verdict: str
    graded_by: str


@dataclass(frozen=True)
class ReplyOutcome:
    """What a reply did: graded (maybe unsure) and what comes next, or why it was ignored."""

    recorded: bool
    verdict: str | None = None
    item_id: int | None = None
    next_question: InterviewQuestion | None = None
    finished: bool = False
    ignored_because: str | None = None
