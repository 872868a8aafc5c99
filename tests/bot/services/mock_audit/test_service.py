from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.domain.mock_audit.findings import FindingGrade
from bot.services.access import OPERATOR, Access, person
from bot.services.departments import declare_departments
from bot.services.mock_audit.errors import UnknownMockRound
from bot.services.mock_audit.findings import mock_report
from bot.services.mock_audit.results import InterviewQuestion, Invitation, MockPlan, MockStarted
from bot.services.mock_audit.service import MockAuditService
from bot.services.staff import import_roster, sync_staff
from storage import models
from storage.db import UnitOfWork
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.bot.services.helpers import procedure_file, sync, write_bank
from tests.conftest import Clock

NC_POINTS = [
    {"point": "Tag it", "phrasings": ["red tag", "tag it", "label it"]},
    {"point": "Quarantine it", "phrasings": ["quarantine", "put it aside", "separate it"]},
    {"point": "Tell quality", "phrasings": ["tell quality", "tell my supervisor", "raise an ncr"]},
]
GOOD_REPLY = "I would put a red tag on it, move it to quarantine and tell my supervisor"
BAD_REPLY = "I'd just fix it myself and send it on"

ADMIN = OPERATOR


def open_question(code: str, stage: str) -> dict[str, object]:
    return {
        "id": code,
        "kind": "open",
        "stage": stage,
        "prompt": "What do you do?",
        "key_points": NC_POINTS,
        "pass_mark": 2,
        "explanation": "Tag, separate, tell.",
        "section": "4.1",
        "clauses": ["ISO 9001:2015 8.7"],
    }


def closed_question(code: str, stage: str) -> dict[str, object]:
    return {
        "id": code,
        "kind": "single",
        "stage": stage,
        "prompt": "Which?",
        "options": {"a": "Wrong", "b": "Right"},
        "answer": "b",
        "explanation": "B.",
        "section": "2",
        "clauses": ["ISO 9001:2015 7.3"],
    }


PEOPLE = [(f"P{i}", "Production", "operator") for i in range(4)] + [
    (f"W{i}", "Warehouse", "driver") for i in range(4)
]


@pytest.fixture
def mock(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> MockAuditService:
    return enrol_for_mock(uow, clock, tmp_path, PEOPLE)


def enrol_for_mock(
    uow: Callable[[], UnitOfWork],
    clock: Clock,
    tmp_path: Path,
    people: list[tuple[str, str, str]],
) -> MockAuditService:
    """A two-question interview bank, and `people` (slack id, department, role) enrolled."""
    write_bank(
        tmp_path,
        [
            procedure_file(
                "INT-01",
                [
                    closed_question("INT-01-001", "policy"),
                    open_question("INT-01-002", "problems"),
                ],
            )
        ],
    )
    sync(uow, tmp_path, clock.now)
    directory = FakeDirectory([slack_user(s, f"Person {s}") for s, _, _ in people])
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    import_roster(
        uow=uow,
        rows=[
            {
                "email": "",
                "slack_id": s,
                "name": s,
                "department": d,
                "role": r,
                "manager": "no",
                "oversees": "",
                "admin": "no",
            }
            for s, d, r in people
        ],
        departments=declare_departments({d for _, d, _ in people}),
    )
    return MockAuditService(uow=uow, clock=clock, access=Access(uow=uow, admins=["UADMIN"]))


def plan(seed: int = 5) -> MockPlan:
    return MockPlan(["ISO 9001:2015"], None, 6, 72, seed)


def first_question(
    mock: MockAuditService, *, thread_ts: str
) -> tuple[MockStarted, Invitation, InterviewQuestion]:
    """A round started, and its first interview opened in a thread, its first question ready."""
    started = mock.start(caller=ADMIN, plan=plan())
    invitation = started.invitations[0]
    first = mock.opened(interview_id=invitation.interview_id, channel="D1", thread_ts=thread_ts)
    assert first is not None
    return started, invitation, first


def test_the_sample_takes_about_the_square_root_of_each_department(mock: MockAuditService) -> None:
    started = mock.start(caller=ADMIN, plan=plan())
    by_department = sorted(i.department for i in started.invitations)
    assert by_department == ["Production", "Production", "Warehouse", "Warehouse"]
    again = mock.start(caller=ADMIN, plan=plan())
    assert [i.slack_user for i in again.invitations] != [] and started.seed == again.seed


def interview_all(mock: MockAuditService, started: object, replies: dict[str, str]) -> None:
    for number, invitation in enumerate(started.invitations):
        first = mock.opened(
            interview_id=invitation.interview_id, channel="D1", thread_ts=f"100.{number}"
        )
        assert first is not None and first.stage == "policy"
        mock.asked(item_id=first.item_id, ts=f"101.{number}")
        if invitation.slack_user not in replies:
            continue
        outcome = mock.choose(slack_user=invitation.slack_user, item_id=first.item_id, choice=["b"])
        assert outcome.next_question is not None and outcome.next_question.stage == "problems"
        mock.asked(item_id=outcome.next_question.item_id, ts=f"102.{number}")
        reply = mock.reply(
            slack_user=invitation.slack_user,
            thread_ts=f"100.{number}",
            text=replies[invitation.slack_user],
            reply_ts=f"103.{number}",
        )
        assert reply.recorded and reply.finished


def test_a_whole_round_grades_replies_and_writes_findings(
    mock: MockAuditService, uow: Callable[[], UnitOfWork]
) -> None:
    started = mock.start(caller=ADMIN, plan=plan())
    users = [i.slack_user for i in started.invitations]
    production = [u for u in users if u.startswith("P")]
    warehouse = [u for u in users if u.startswith("W")]
    replies = {u: BAD_REPLY for u in production} | {warehouse[0]: GOOD_REPLY}
    interview_all(mock, started, replies)
    assert mock.close(caller=ADMIN, round_id=started.round_id) == 1
    report = mock_report(uow, round_id=started.round_id, departments=None)
    assert (report.interviews, report.completed, report.unavailable) == (4, 3, 1)
    by_clause = {(f.clause, f.grade) for f in report.findings}
    assert ("8.7", FindingGrade.MINOR) in by_clause or ("8.7", FindingGrade.MAJOR) in by_clause
    assert all("Person" not in f.evidence for f in report.findings)


def test_a_retried_or_repeated_reply_records_one_answer(
    mock: MockAuditService, uow: Callable[[], UnitOfWork]
) -> None:
    _started, invitation, first = first_question(mock, thread_ts="1.0")
    mock.asked(item_id=first.item_id, ts="1.1")
    assert (
        mock.reply(
            slack_user=invitation.slack_user, thread_ts="1.0", text="b", reply_ts="1.2"
        ).ignored_because
        == "use the buttons"
    )
    mock.choose(slack_user=invitation.slack_user, item_id=first.item_id, choice=["b"])
    second = mock.choose(slack_user=invitation.slack_user, item_id=first.item_id, choice=["a"])
    assert second.ignored_because == "already recorded"
    with uow() as work:
        changes = work.session.scalar(select(func.count(models.GradeChange.id)))
    assert changes == 1


def test_someone_else_cannot_answer_and_closed_rounds_take_nothing(
    mock: MockAuditService, clock: Clock
) -> None:
    started, invitation, first = first_question(mock, thread_ts="2.0")
    mock.asked(item_id=first.item_id, ts="2.1")
    assert (
        mock.choose(slack_user="U-other", item_id=first.item_id, choice=["b"]).ignored_because
        == "not the person interviewed"
    )
    clock.advance(hours=73)
    assert (
        mock.choose(
            slack_user=invitation.slack_user, item_id=first.item_id, choice=["b"]
        ).ignored_because
        == "the round has closed"
    )
    assert mock.due_to_close() == [started.round_id]


def test_an_admin_override_is_kept_with_who_set_it(
    mock: MockAuditService, uow: Callable[[], UnitOfWork]
) -> None:
    _started, invitation, first = first_question(mock, thread_ts="3.0")
    mock.asked(item_id=first.item_id, ts="3.1")
    mock.choose(slack_user=invitation.slack_user, item_id=first.item_id, choice=["a"])
    mock.override(
        caller=person("UADMIN"), item_id=first.item_id, verdict="pass", note="fair enough"
    )
    with uow() as work:
        item = work.session.get_one(models.InterviewItem, first.item_id)
        graded = (item.verdict, item.graded_by)
        history = work.session.scalars(
            select(models.GradeChange.by).order_by(models.GradeChange.id)
        ).all()
    assert graded == ("pass", "UADMIN")
    assert history == ["grader", "UADMIN"]


def test_unknown_rounds_are_a_clear_error(
    mock: MockAuditService, uow: Callable[[], UnitOfWork]
) -> None:
    with pytest.raises(UnknownMockRound, match="no mock audit #99"):
        mock.close(caller=ADMIN, round_id=99)
    with pytest.raises(UnknownMockRound):
        mock_report(uow, round_id=99, departments=None)


def test_a_managers_report_covers_only_their_departments(
    mock: MockAuditService, uow: Callable[[], UnitOfWork]
) -> None:
    started = mock.start(caller=ADMIN, plan=plan())
    users = [i.slack_user for i in started.invitations]
    interview_all(mock, started, {u: BAD_REPLY for u in users})
    mock.close(caller=ADMIN, round_id=started.round_id)
    # Two people were sampled in Warehouse: shown only when the smallest group shown is 2.
    warehouse = mock_report(uow, round_id=started.round_id, departments=["Warehouse"], min_people=2)
    assert warehouse.interviews == 2
    assert {d for d, _ in warehouse.sampled} == {"Warehouse"}
    assert all("Production" not in f.evidence for f in warehouse.findings)


def test_admins_can_list_every_answer_with_who_graded_it(mock: MockAuditService) -> None:
    from bot.sandbox.blockkit import validate_message
    from bot.slack.mock_audit.views import answers_messages

    started = mock.start(caller=ADMIN, plan=plan())
    interview_all(mock, started, {i.slack_user: GOOD_REPLY for i in started.invitations})
    answers = mock.answers(caller=ADMIN, round_id=started.round_id)
    assert len(answers) == 8
    assert {a.graded_by for a in answers} == {"grader"}
    for message in answers_messages(answers * 3):
        assert validate_message(message["text"], message["blocks"]) == []


class RecordingClient:
    """Just the Web API calls that sending findings makes."""

    def __init__(self) -> None:
        self.posted: list[str] = []
        self.messages: list[dict[str, object]] = []  # what was posted, as sent
        self.uploads: list[str] = []
        self.contents: list[str] = []  # the files uploaded

    def chat_postMessage(self, *, channel: str, **message: object) -> dict[str, str]:
        self.posted.append(channel)
        self.messages.append(message)
        return {"channel": f"D{channel}", "ts": "1.0"}

    def conversations_open(self, *, users: str) -> dict[str, dict[str, str]]:
        return {"channel": {"id": f"D{users}"}}

    def files_upload_v2(self, *, file_uploads: list[dict[str, str]], channel: str) -> None:
        self.uploads += [f["filename"] for f in file_uploads]
        self.contents += [f["content"] for f in file_uploads]


def test_the_sweep_closes_rounds_whose_window_ended_and_tells_the_admins(
    mock: MockAuditService, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    from types import SimpleNamespace

    from bot.slack.jobs import close_due_mock_audits

    started = mock.start(caller=ADMIN, plan=plan())
    client = RecordingClient()
    services = SimpleNamespace(mock=mock, access=Access(uow=uow, admins=["UADMIN"]))
    sender = SimpleNamespace(client=client)
    close_due_mock_audits(services, sender)
    assert client.posted == []
    clock.advance(hours=73)
    close_due_mock_audits(services, sender)
    close_due_mock_audits(services, sender)
    assert client.posted == ["UADMIN"]
    assert client.uploads == [f"mock-audit-{started.round_id}.html"]
    report = mock_report(uow, round_id=started.round_id, departments=None)
    assert (report.status, report.unavailable) == ("closed", 4)


def test_only_the_question_being_asked_can_be_answered(
    mock: MockAuditService, uow: Callable[[], UnitOfWork]
) -> None:
    # Issue 12, F10: a click naming a question not asked yet must not be graded.
    _started, invitation, first = first_question(mock, thread_ts="3.0")
    with uow() as work:
        later = [
            item.id
            for item in work.session.get_one(models.Interview, invitation.interview_id).items
            if item.id != first.item_id
        ]
    assert later
    before = mock.choose(slack_user=invitation.slack_user, item_id=first.item_id, choice=["a"])
    assert (before.recorded, before.ignored_because) == (False, "not the question being asked")
    mock.asked(item_id=first.item_id, ts="3.1")
    ahead = mock.choose(slack_user=invitation.slack_user, item_id=later[-1], choice=["a"])
    assert (ahead.recorded, ahead.ignored_because) == (False, "not the question being asked")
    with uow() as work:
        items = work.session.get_one(models.Interview, invitation.interview_id).items
        assert all(item.reply is None for item in items)
    now = mock.choose(slack_user=invitation.slack_user, item_id=first.item_id, choice=["a"])
    assert now.recorded
