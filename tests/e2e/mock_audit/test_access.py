"""Mock audits are for admins: staff and managers can't start, end or grade, and a manager
reads only the findings of her own departments, never a person's answers.

Amara is staff; Grace manages Warehouse; Helen is the admin who reviews answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from bot.sandbox import SandboxUser
from bot.sandbox.requests import message_ts
from storage import models
from tests.e2e.harness import E2E, message_text
from tests.e2e.interviews import (
    await_thread,
    click_button,
    close_then_report,
    interview_threads,
    open_start_modal,
    start_mock_audit,
    start_values,
    stored_text,
    thread_reply_body,
    view_submission_body,
)
from tests.e2e.workspace import AMARA, GRACE, HELEN, MOCK_SALES

ADMINS_ONLY = "Only admins can run mock audits and grade interview answers."
NOT_FOR_STAFF = "`/awareness` is for managers and the quality team."
ENDS = ("close", "cancel")  # what only an admin may do to a round once it runs
# The grader can't tell whether this policy answer makes a second point, so it asks Helen.
UNSURE = "Quality mostly, and being careful around the machines and the lorries"


@dataclass(frozen=True)
class Unsure:
    """A Sales interview whose first answer awaits Helen's grade."""

    e2e: E2E
    round_id: int
    item_id: int
    person: SandboxUser  # who gave the answer
    review: dict[str, Any]  # the review request in Helen's DM


@pytest.fixture
def unsure(mock_company: E2E) -> Unsure:
    e2e = mock_company
    round_id, _modal = start_mock_audit(e2e, HELEN, departments=["Sales"], cap=3)
    thread = interview_threads(e2e, round_id, MOCK_SALES)["Sales"][0]
    await_thread(e2e, thread, 1)
    body = thread_reply_body(thread, text=UNSURE, ts=message_ts())
    assert e2e.slack.json(body).status_code == 200
    await_thread(e2e, thread, 2)
    (review,) = [m for m in e2e.sandbox.messages(HELEN.id) if UNSURE in stored_text(m)]
    block = next(b for b in review["blocks"] if b["type"] == "actions")
    item_id = int(block["block_id"].removeprefix("review:"))
    return Unsure(e2e, round_id, item_id, thread.user, review)


def _grades(e2e: E2E, item_id: int) -> list[tuple[str, str]]:
    with e2e.session() as session:
        changes = session.scalars(
            select(models.GradeChange)
            .where(models.GradeChange.item_id == item_id)
            .order_by(models.GradeChange.id)
        )
        return [(c.verdict, c.by) for c in changes]


def _told(e2e: E2E, user: SandboxUser, text: str) -> int:
    """How many DMs to `user` said exactly `text`, once every listener has finished."""
    e2e.settle()
    return sum(
        1
        for c in e2e.sandbox.calls_to("chat.postMessage")
        if c.ok and c.params.get("channel") == user.id and c.params.get("text") == text
    )


def _in_own_dm(message: dict[str, Any], user: SandboxUser) -> dict[str, Any]:
    """The review request as if it sat in `user`'s DM (say, kept from when they were admin)."""
    return {**message, "channel": "D" + user.id[1:]}


def test_staff_and_managers_cannot_start_a_mock_audit(e2e: E2E) -> None:
    e2e.command(AMARA, "/awareness", "mock-audit start").raise_for_status()
    e2e.command(GRACE, "/awareness", "mock-audit start").raise_for_status()
    e2e.settle()

    assert e2e.reply_text(AMARA).startswith(NOT_FOR_STAFF)
    assert e2e.reply_text(GRACE) == ADMINS_ONLY
    assert e2e.sandbox.calls_to("views.open") == []


def test_a_manager_who_submits_the_start_modal_is_refused(e2e: E2E) -> None:
    modal = open_start_modal(e2e, HELEN)
    values = start_values(modal, departments=["Production"], cap=3, hours=72)

    response = e2e.slack.form(view_submission_body(user=GRACE, view=modal, values=values))
    e2e.settle()

    assert response.json() == {"response_action": "errors", "errors": {"cap": ADMINS_ONLY}}
    assert e2e.count(models.MockRound) == 0
    assert e2e.count(models.Interview) == 0


@pytest.mark.parametrize("who", [AMARA, GRACE], ids=["staff", "manager"])
def test_only_an_admin_grades_an_answer(unsure: Unsure, who: SandboxUser) -> None:
    e2e, item_id = unsure.e2e, unsure.item_id
    for verdict in ("pass", "fail"):
        click_button(e2e, who, _in_own_dm(unsure.review, who), f"interview.grade.{verdict}")
    grade_modal = {"callback_id": "mock_audit.grade", "private_metadata": str(item_id)}
    forged = {"verdict": {"value": {"type": "radio_buttons", "selected_option": _pass()}}}
    e2e.slack.form(view_submission_body(user=who, view=grade_modal, values=forged))

    assert _told(e2e, who, ADMINS_ONLY) == 3
    assert _grades(e2e, item_id) == [("unsure", "grader")]

    click_button(e2e, HELEN, unsure.review, "interview.grade.fail")
    assert _told(e2e, HELEN, "Graded *fail*; the grade records that you set it.") == 1
    assert _grades(e2e, item_id) == [("unsure", "grader"), ("fail", HELEN.id)]


def _pass() -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": "pass"}, "value": "pass"}


def test_a_manager_sees_no_individual_answers(unsure: Unsure) -> None:
    e2e, number = unsure.e2e, unsure.round_id
    ends = []
    for end in ("close", "cancel"):
        e2e.command(GRACE, "/awareness", f"mock-audit {end} {number}").raise_for_status()
        ends.append(e2e.reply_text(GRACE))
    e2e.command(GRACE, "/awareness", f"mock-audit report {number}").raise_for_status()
    report = e2e.reply_text(GRACE)
    e2e.command(GRACE, "/awareness").raise_for_status()  # her own awareness summary
    e2e.sandbox.wait_for("files.completeUploadExternal")
    e2e.settle()

    assert ends == [ADMINS_ONLY] * 2
    assert report == f":page_facing_up: Sending the findings of mock audit #{number}."
    seen = [c for c in e2e.sandbox.calls if c.ok and c.params.get("channel") == GRACE.id]
    findings = next(c for c in seen if c.params.get("text") == f"Mock audit #{number} findings")
    # She oversees Warehouse; the round sampled only Sales, so she sees nothing of it.
    assert "0 sampled, 0 completed" in message_text(findings)
    assert "_No findings._" in message_text(findings)
    (upload,) = e2e.sandbox.uploads()
    pages = [bytes(upload["content"]).decode("utf-8"), *(message_text(c) for c in seen)]
    for page in pages:
        assert UNSURE not in page and "Sales" not in page
        assert unsure.person.name not in page and unsure.person.id not in page
    with e2e.session() as session:
        assert session.get_one(models.MockRound, number).status == "open"


def test_a_manager_cannot_open_an_answer_in_the_grade_modal(unsure: Unsure) -> None:
    e2e = unsure.e2e
    before = len(e2e.sandbox.calls_to("views.open"))

    click_button(e2e, GRACE, _in_own_dm(unsure.review, GRACE), "mock_audit.change_grade")
    e2e.settle()

    opened = e2e.sandbox.calls_to("views.open")[before:]
    assert all(UNSURE not in str(c.params) for c in opened)


def _findings_sent(e2e: E2E, user: SandboxUser, number: int) -> tuple[str, str]:
    """The findings summary in `user`'s DM and the HTML report uploaded there."""
    (summary,) = [
        c
        for c in e2e.sandbox.calls_to("chat.postMessage")
        if c.ok
        and c.params.get("channel") == user.id
        and c.params.get("text") == f"Mock audit #{number} findings"
    ]
    (upload,) = [
        u for u in e2e.sandbox.uploads() if u["channel_id"] == e2e.sandbox.dm_channel(user.id)
    ]
    return message_text(summary), bytes(upload["content"]).decode("utf-8")


def test_a_manager_reads_no_counts_of_a_department_where_two_were_sampled(
    mock_company: E2E,
) -> None:
    # Warehouse is Tomasz (operator) and Grace (supervisor), who manages it: both are sampled
    # and neither replies. Counts of a group of two would single one of them out.
    e2e = mock_company
    number, _modal = start_mock_audit(e2e, HELEN, departments=["Warehouse"], cap=3)
    close_then_report(e2e, number, admin=HELEN, reader=GRACE)

    withheld = "Warehouse: fewer than 3 people interviewed; details withheld."
    for text in _findings_sent(e2e, GRACE, number):
        assert withheld in text
        assert "not available to be interviewed" not in text and "operator" not in text
    for text in _findings_sent(e2e, HELEN, number):
        assert "withheld" not in text
        assert "Of 2 people sampled in Warehouse (1 operator, 1 supervisor), 2 were not" in text
