"""Interviews through the mock audit service: each person answers the closed question of the
test bank (tests/bot/services/mock_audit/test_service.py), then replies to the open one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.services.access import person
from bot.services.mock_audit.results import Invitation, ReplyOutcome
from bot.services.mock_audit.service import MockAuditService
from storage.db import UnitOfWork
from tests.bot.services.mock_audit.test_service import (
    ADMIN,
    BAD_REPLY,
    GOOD_REPLY,
    PEOPLE,
    enrol_for_mock,
    plan,
)
from tests.conftest import Clock


class Interviews:
    """One round's sampled people, each interviewed in a thread of their own when asked."""

    def __init__(self, mock: MockAuditService, clock: Clock) -> None:
        self.mock, self.clock = mock, clock
        self.waiting: list[Invitation] = []
        self.threads, self.round_id = 0, 0

    def start_round(self) -> None:
        started = self.mock.start(caller=ADMIN, plan=plan())
        self.waiting, self.round_id = list(started.invitations), started.round_id

    def answer(self, text: str, *, again: bool = False) -> ReplyOutcome:
        """The next person answers the closed question, then replies `text` to the open one
        (and, with `again`, Slack delivers the reply a second time)."""
        invitation, self.threads = self.waiting.pop(0), self.threads + 1
        thread, mock, who = f"{self.threads}.0", self.mock, invitation.slack_user
        first = mock.opened(interview_id=invitation.interview_id, channel="D1", thread_ts=thread)
        assert first is not None
        mock.asked(item_id=first.item_id, ts=f"{self.threads}.1")
        chosen = mock.choose(slack_user=who, item_id=first.item_id, choice=["b"])
        assert chosen.next_question is not None
        mock.asked(item_id=chosen.next_question.item_id, ts=f"{self.threads}.2")
        self.clock.advance(minutes=1)
        ts = f"{self.threads}.3"
        outcome = mock.reply(slack_user=who, thread_ts=thread, text=text, reply_ts=ts)
        if again:
            repeat = mock.reply(slack_user=who, thread_ts=thread, text=text, reply_ts=ts)
            assert repeat.ignored_because == "already recorded"
        assert outcome.recorded and outcome.item_id is not None
        return outcome

    def grade(self, outcome: ReplyOutcome, verdict: str) -> None:
        assert outcome.item_id is not None
        self.clock.advance(minutes=1)
        self.mock.override(
            caller=person("UADMIN"), item_id=outcome.item_id, verdict=verdict, note=None
        )


def interviewing(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> Interviews:
    """The test company enrolled and a round started."""
    made = Interviews(enrol_for_mock(uow, clock, tmp_path, PEOPLE), clock)
    made.start_round()
    return made


LABELLED = "Label it and keep it apart from good stock"
NEAR_COPY = "I'd label it, and keep it apart from the good stock."
ASIDE = "Put it aside and mention it to the chargehand later"
USE_ANYWAY = "I would tag it and tell my supervisor, then use it anyway"
RING_QA = "Keep it apart from good stock and ring the QA team"
LABELLED_AGAIN = "label it and keep it apart from good stock!"


def two_rounds_graded(interviews: Interviews) -> int:
    """Two rounds of replies to INT-01-002, some graded by an admin; the first round's number.

    | round | reply          | grader | then                 |
    |-------|----------------|--------|----------------------|
    | 1     | LABELLED       | unsure | admin: pass          |
    | 1     | NEAR_COPY      | unsure | learnt pass          |
    | 1     | ASIDE          | unsure | admin: fail          |
    | 1     | USE_ANYWAY     | pass   | admin: fail          |
    | 2     | BAD_REPLY      | fail   | admin: fail          |
    | 2     | LABELLED_AGAIN | unsure | learnt pass, admin: fail |
    | 2     | RING_QA        | fail   | admin: pass          |
    | 2     | GOOD_REPLY     | pass   |                      |
    """
    first_round = interviews.round_id
    for reply, grader, admin in (
        (LABELLED, "unsure", "pass"),
        (NEAR_COPY, "pass", None),
        (ASIDE, "unsure", "fail"),
        (USE_ANYWAY, "pass", "fail"),
    ):
        _graded(interviews, reply, grader, admin)
    interviews.start_round()
    for reply, grader, admin in (
        (BAD_REPLY, "fail", "fail"),
        (LABELLED_AGAIN, "pass", "fail"),
        (RING_QA, "fail", "pass"),
        (GOOD_REPLY, "pass", None),
    ):
        _graded(interviews, reply, grader, admin)
    return first_round


def _graded(interviews: Interviews, reply: str, verdict: str, admin: str | None) -> None:
    outcome = interviews.answer(reply)
    assert outcome.verdict == verdict, (reply, outcome.verdict)
    if admin is not None:
        interviews.grade(outcome, admin)
