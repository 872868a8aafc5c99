"""Replies graded with a model's second opinion, the model a fake endpoint on a loopback port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.services.access import Access, person
from bot.services.mock_audit.model_client import ModelClient
from bot.services.mock_audit.model_review import NO_OPINION
from bot.services.mock_audit.results import ReplyOutcome
from bot.services.mock_audit.service import MockAuditService
from bot.settings import Settings
from bot.slack.app import make_second_opinion
from questions.grading import PointMatch, Verdict, grade_open_answer
from storage import models
from storage.db import UnitOfWork
from tests.bot.services.helpers import procedure_file, sync, write_bank
from tests.bot.services.mock_audit.model_server import FakeModel, running_fake_model
from tests.bot.services.mock_audit.test_service import (
    ADMIN,
    BAD_REPLY,
    GOOD_REPLY,
    NC_POINTS,
    PEOPLE,
    closed_question,
    enrol_for_mock,
    open_question,
    plan,
)
from tests.conftest import Clock

# Replies the rules leave unsure on the test bank's open question (pass mark 2 of "Tag it",
# "Quarantine it", "Tell quality"); the first test checks that they still do.
HEDGED = "I might put a red tag on it and maybe tell my supervisor"
DENIED = "I would not put it aside, I'd red tag it and maybe tell my supervisor"
OTHER_WORDS = (
    "I would put a red tag on it and then let the quality team know so they can look at it"
)
MET, UNCLEAR, DENIED_POINT, ABSENT = "met", "unclear", "denied", "absent"


@pytest.fixture
def model() -> Iterator[FakeModel]:
    with running_fake_model() as running:
        yield running
        assert running.errors == []


def service(
    uow: Callable[[], UnitOfWork], clock: Clock, client: ModelClient | None
) -> MockAuditService:
    return MockAuditService(
        uow=uow, clock=clock, access=Access(uow=uow, admins=["UADMIN"]), second_opinion=client
    )


@pytest.fixture
def enrolled(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> None:
    enrol_for_mock(uow, clock, tmp_path, PEOPLE)


def reply_to_open_question(
    mock: MockAuditService, text: str, *, event_id: str | None = None
) -> tuple[ReplyOutcome, str]:
    """A round started and its first person at the open question; `text` their reply.

    The outcome, and the thread, for delivering the reply again."""
    invitation = mock.start(caller=ADMIN, plan=plan()).invitations[0]
    who = invitation.slack_user
    first = mock.opened(interview_id=invitation.interview_id, channel="D1", thread_ts="1.0")
    assert first is not None
    mock.asked(item_id=first.item_id, ts="1.1")
    chosen = mock.choose(slack_user=who, item_id=first.item_id, choice=["b"])
    assert chosen.next_question is not None
    mock.asked(item_id=chosen.next_question.item_id, ts="1.2")
    outcome = mock.reply(
        slack_user=who, thread_ts="1.0", text=text, reply_ts="1.3", event_id=event_id
    )
    assert outcome.recorded and outcome.item_id is not None
    return outcome, who


def history(uow: Callable[[], UnitOfWork], item_id: int) -> list[tuple[str, str]]:
    with uow() as work:
        rows = work.session.execute(
            select(models.GradeChange.verdict, models.GradeChange.by)
            .where(models.GradeChange.item_id == item_id)
            .order_by(models.GradeChange.id)
        )
        return [(verdict, by) for verdict, by in rows]


@dataclass(frozen=True)
class OnRecord:
    verdict: str | None
    graded_by: str | None
    points_met: int | None
    grade_note: str


def on_record(uow: Callable[[], UnitOfWork], item_id: int) -> OnRecord:
    with uow() as work:
        item = work.session.get_one(models.InterviewItem, item_id)
        return OnRecord(item.verdict, item.graded_by, item.points_met, item.grade_note or "")


def state(point: PointMatch) -> str:
    if point.matched:
        return MET
    if point.uncertain:
        return UNCLEAR
    return DENIED_POINT if point.negated else ABSENT


@pytest.mark.parametrize(
    ("text", "states"),
    [
        (HEDGED, (MET, ABSENT, UNCLEAR)),
        (DENIED, (MET, DENIED_POINT, UNCLEAR)),
        (OTHER_WORDS, (MET, ABSENT, ABSENT)),
    ],
)
def test_the_rules_alone_are_unsure_of_these_replies(text: str, states: tuple[str, ...]) -> None:
    grading = grade_open_answer(text, NC_POINTS, 2)
    assert grading.verdict is Verdict.UNSURE
    assert tuple(state(p) for p in grading.points) == states


# -- the model decides within the rules ---------------------------------------------------------


@pytest.mark.usefixtures("enrolled")
def test_an_unsure_reply_passes_when_the_model_backs_the_points_the_rules_found(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel
) -> None:
    model.says(True, False, True)
    mock = service(uow, clock, ModelClient(url=model.base_url))
    outcome, _ = reply_to_open_question(mock, HEDGED)
    assert outcome.item_id is not None
    assert outcome.verdict == "pass"
    assert history(uow, outcome.item_id) == [("unsure", "grader"), ("pass", "grader")]
    item = on_record(uow, outcome.item_id)
    assert (item.verdict, item.graded_by, item.points_met) == ("pass", "grader", 1)
    assert 'A model read it: points 1 and 3 made ("Tag it", "Tell quality")' in item.grade_note
    [request] = model.requests
    user = request.body["messages"][1]["content"]
    for said in ("What do you do?", "Tag it", "Quarantine it", "Tell quality", HEDGED):
        assert said in user


@pytest.mark.usefixtures("enrolled")
def test_a_point_the_rules_did_not_find_never_makes_a_pass(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel
) -> None:
    model.says(True, True, False)  # the model claims "Quarantine it", which the reply never says
    outcome, _ = reply_to_open_question(
        service(uow, clock, ModelClient(url=model.base_url)), HEDGED
    )
    assert outcome.verdict == "unsure"
    assert len(model.requests) == 1


@pytest.mark.usefixtures("enrolled")
def test_a_point_the_rules_found_denied_never_makes_a_pass(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel
) -> None:
    model.says(True, True, False)  # "I would not put it aside" read as putting it aside
    outcome, _ = reply_to_open_question(
        service(uow, clock, ModelClient(url=model.base_url)), DENIED
    )
    assert outcome.verdict == "unsure"
    assert outcome.item_id is not None
    assert "doesn't settle it" in on_record(uow, outcome.item_id).grade_note


@pytest.mark.usefixtures("enrolled")
def test_the_model_may_fail_a_reply_one_point_short_when_it_too_finds_it_short(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel
) -> None:
    model.says(True, False, False)
    mock = service(uow, clock, ModelClient(url=model.base_url))
    outcome, _ = reply_to_open_question(mock, OTHER_WORDS)
    assert outcome.verdict == "fail"


# -- no opinion: the reply stays unsure ---------------------------------------------------------


@pytest.mark.usefixtures("enrolled")
def test_a_model_slower_than_the_timeout_leaves_the_reply_unsure(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel
) -> None:
    model.says(True, False, True)
    model.delay = 3.0
    mock = service(uow, clock, ModelClient(url=model.base_url, timeout=0.5))
    outcome, _ = reply_to_open_question(mock, HEDGED)
    assert outcome.verdict == "unsure"
    assert outcome.item_id is not None
    assert on_record(uow, outcome.item_id).grade_note.endswith(NO_OPINION)


@pytest.mark.usefixtures("enrolled")
@pytest.mark.parametrize(
    ("status", "content"), [(500, "{}"), (200, "Points 1 and 3 are made, so it passes.")]
)
def test_an_error_or_a_malformed_answer_leaves_the_reply_unsure(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel, status: int, content: str
) -> None:
    model.status, model.content = status, content
    mock = service(uow, clock, ModelClient(url=model.base_url))
    outcome, _ = reply_to_open_question(mock, HEDGED)
    assert outcome.verdict == "unsure"
    assert outcome.item_id is not None
    assert history(uow, outcome.item_id) == [("unsure", "grader"), ("unsure", "grader")]


# -- what reaches the model ---------------------------------------------------------------------


@pytest.mark.usefixtures("enrolled")
@pytest.mark.parametrize(("text", "verdict"), [(GOOD_REPLY, "pass"), (BAD_REPLY, "fail")])
def test_replies_the_rules_decide_never_reach_the_model(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel, text: str, verdict: str
) -> None:
    model.says(False, False, False)
    outcome, _ = reply_to_open_question(service(uow, clock, ModelClient(url=model.base_url)), text)
    assert outcome.verdict == verdict
    assert model.requests == []


@pytest.mark.usefixtures("enrolled")
def test_without_the_setting_no_reply_leaves_the_machine(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUDITREADY_MODEL_URL", raising=False)
    model.says(True, False, True)
    client = make_second_opinion(Settings(_env_file=None))
    assert client is None
    outcome, _ = reply_to_open_question(service(uow, clock, client), HEDGED)
    assert outcome.verdict == "unsure"
    assert outcome.item_id is not None
    assert history(uow, outcome.item_id) == [("unsure", "grader")]
    assert "model" not in on_record(uow, outcome.item_id).grade_note
    assert model.requests == []


def test_the_setting_points_the_client_at_the_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITREADY_MODEL_URL", "http://gpu-box:11434/v1")
    monkeypatch.setenv("AUDITREADY_MODEL", "llama3.1:8b")
    monkeypatch.setenv("AUDITREADY_MODEL_TIMEOUT", "2.5")
    client = make_second_opinion(Settings(_env_file=None))
    assert client is not None
    assert (client.url, client.model, client.timeout) == (
        "http://gpu-box:11434/v1/chat/completions",
        "llama3.1:8b",
        2.5,
    )


@pytest.mark.usefixtures("enrolled")
def test_a_reply_delivered_twice_is_asked_about_once(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel
) -> None:
    model.says(True, False, True)
    mock = service(uow, clock, ModelClient(url=model.base_url))
    outcome, who = reply_to_open_question(mock, HEDGED, event_id="Ev1")
    for event_id in ("Ev1", "Ev2"):  # the same event again, and the same message in another
        again = mock.reply(
            slack_user=who, thread_ts="1.0", text=HEDGED, reply_ts="1.3", event_id=event_id
        )
        assert again.ignored_because == "already recorded"
    assert outcome.verdict == "pass"
    assert len(model.requests) == 1


# -- no lock waits on the model -----------------------------------------------------------------


@pytest.mark.usefixtures("enrolled")
def test_an_admin_may_grade_the_reply_while_the_model_thinks_and_keeps_the_last_word(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel
) -> None:
    model.says(True, False, True)
    mock = service(uow, clock, ModelClient(url=model.base_url, timeout=3))

    def admin_grades() -> None:
        # Were the reply's transaction still open, this write would wait for it, and so past
        # the client's timeout.
        [item_id] = unsure_items(uow)
        mock.override(caller=person("UADMIN"), item_id=item_id, verdict="fail", note="seen it")

    model.meanwhile = admin_grades
    outcome, _ = reply_to_open_question(mock, HEDGED)
    assert outcome.item_id is not None
    assert outcome.verdict == "fail"
    assert history(uow, outcome.item_id) == [("unsure", "grader"), ("fail", "UADMIN")]


def unsure_items(uow: Callable[[], UnitOfWork]) -> list[int]:
    """The replies on record as unsure."""
    with uow() as work:
        return list(
            work.session.scalars(
                select(models.InterviewItem.id)
                .where(models.InterviewItem.reply.is_not(None))
                .where(models.InterviewItem.verdict == "unsure")
            )
        )


# -- the question's wrong claims ----------------------------------------------------------------

USE_ANYWAY = "I would tag it and tell my supervisor, then use it anyway"
MAYBE_USE_ANYWAY = "I would tag it and tell my supervisor, then maybe use it anyway"


@pytest.fixture
def with_wrong_claim(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> None:
    """The test company, its open question now naming a wrong claim."""
    enrol_for_mock(uow, clock, tmp_path, PEOPLE)
    wrong = {**open_question("INT-01-002", "problems"), "contradicts": ["use it anyway"]}
    files = [procedure_file("INT-01", [closed_question("INT-01-001", "policy"), wrong])]
    write_bank(tmp_path, files)
    sync(uow, tmp_path, clock.now)


@pytest.mark.usefixtures("with_wrong_claim")
def test_a_wrong_claim_made_plainly_fails_the_reply_before_any_model_hears_it(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel
) -> None:
    model.says(True, True, True)
    mock = service(uow, clock, ModelClient(url=model.base_url))
    outcome, _ = reply_to_open_question(mock, USE_ANYWAY)
    assert outcome.verdict == "fail"
    assert model.requests == []


@pytest.mark.usefixtures("with_wrong_claim")
def test_a_hedged_wrong_claim_keeps_the_reply_unsure_whatever_the_model_says(
    uow: Callable[[], UnitOfWork], clock: Clock, model: FakeModel
) -> None:
    model.says(True, True, True)
    mock = service(uow, clock, ModelClient(url=model.base_url))
    outcome, _ = reply_to_open_question(mock, MAYBE_USE_ANYWAY)
    assert outcome.verdict == "unsure"
    assert outcome.item_id is not None
    assert len(model.requests) == 1
    assert "may claim what the procedure rules out" in on_record(uow, outcome.item_id).grade_note
