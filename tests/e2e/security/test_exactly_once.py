"""Repeated requests take effect once, on SQLite and PostgreSQL, even while the first is still
being processed: an interview reply Slack redelivers (F1), five presses of "quiz this
department now" and a start form sent twice (F3), a `/quiz` replayed inside the signature
window. Each test prints what it counted."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from sqlalchemy import func, select

from bot.sandbox.requests import message_ts, signed_headers
from bot.slack.ids import GapAction
from storage import models
from tests.e2e.harness import E2E, handle
from tests.e2e.interviews import (
    await_thread,
    interview_threads,
    open_start_modal,
    start_mock_audit,
    start_values,
    thread_messages,
    thread_reply_body,
    view_submission_body,
)
from tests.e2e.payloads import block_actions, retry_headers, slash_command
from tests.e2e.workspace import AMARA, GRACE, HELEN, MOCK_PRODUCTION, MOCK_SALES

COPIES = 5


def _send_together(e2e: E2E, bodies: list[tuple[str, dict[str, str]]], kind: str) -> list[int]:
    """Send every body at once, each signed on its own connection, as Slack's would be."""
    base_url = str(e2e.slack.http.base_url)
    content_type = "application/json" if kind == "json" else "application/x-www-form-urlencoded"

    def send(item: tuple[str, dict[str, str]]) -> int:
        body, extra = item
        headers = {"Content-Type": content_type} | signed_headers(e2e.slack.secret, body) | extra
        with httpx.Client(base_url=base_url, timeout=10) as http:
            return http.post("/slack/events", content=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, bodies))


def _count(e2e: E2E, model: type[models.Base], *where: Any) -> int:
    with e2e.session() as session:
        statement = select(func.count()).select_from(model)
        return int(session.scalar(statement.where(*where)) or 0)


def test_an_interview_reply_redelivered_while_it_is_processed_is_graded_once(
    mock_company: E2E,
) -> None:
    e2e = mock_company
    number, _modal = start_mock_audit(e2e, HELEN, departments=["Production"], cap=1)
    (thread,) = interview_threads(e2e, number, [*MOCK_PRODUCTION, *MOCK_SALES])["Production"]
    asked = len(await_thread(e2e, thread, 1))
    said = "I stop the line and tell my supervisor."
    body = thread_reply_body(thread, text=said, ts=message_ts())
    copies = [(body, {})] + [(body, retry_headers(attempt=n)) for n in range(1, COPIES)]

    statuses = _send_together(e2e, copies, "json")
    e2e.settle()

    graded = _count(e2e, models.GradeChange)
    replies = _count(e2e, models.InterviewItem, models.InterviewItem.reply_ts.is_not(None))
    posted = len(thread_messages(e2e, thread)) - asked
    print(f"deliveries of one reply: {COPIES}; replies recorded {replies}, grades {graded}, "
          f"thread posts after it {posted}")  # fmt: skip
    assert statuses == [200] * COPIES
    assert (replies, graded) == (1, 1)
    assert posted == 1  # the next question, or the thanks, once


def test_five_presses_of_quiz_this_department_open_one_round(e2e: E2E) -> None:
    dm = e2e.sandbox.dm_channel(GRACE.id)
    message = {"ts": "1793000000.000100", "channel": dm, "text": "Awareness summary"}
    action = {
        "action_id": GapAction.QUIZ.value,
        "block_id": "gaps",
        "type": "button",
        "text": {"type": "plain_text", "text": "Quiz Warehouse now"},
        "value": "Warehouse",
    }
    body = block_actions(user_id=GRACE.id, user_name=handle(GRACE), message=message, action=action)

    statuses = _send_together(e2e, [(body, {})] * COPIES, "form")
    e2e.settle()

    rounds = _count(e2e, models.Round)
    deliveries = _count(e2e, models.Delivery)
    told = [c.params["text"] for c in e2e.posts_to(GRACE)]
    print(f"presses {COPIES}; rounds opened {rounds}, deliveries {deliveries}")
    assert statuses == [200] * COPIES
    assert rounds == 1
    assert deliveries == 2  # Tomasz and Grace, once each
    assert sum("Round to Warehouse" in t for t in told) == 1
    assert sum("haven't opened a second one" in t for t in told) == COPIES - 1


def test_a_start_form_submitted_twice_opens_one_mock_audit(mock_company: E2E) -> None:
    e2e = mock_company
    modal = open_start_modal(e2e, HELEN)
    values = start_values(modal, departments=["Production"], cap=2, hours=24)
    body = view_submission_body(user=HELEN, view=modal, values=values)

    statuses = _send_together(e2e, [(body, {})] * 2, "form")
    e2e.settle()

    opened = _count(e2e, models.MockRound)
    interviews = _count(e2e, models.Interview)
    print(f"submissions 2; mock audits opened {opened}, interviews {interviews}")
    assert statuses == [200, 200]
    assert opened == 1
    assert interviews == 2
    told = [c.params["text"] for c in e2e.posts_to(HELEN)]
    assert sum("has started" in t for t in told) == 1
    assert sum("haven't started a second one" in t for t in told) == 1


def test_a_quiz_command_replayed_inside_the_signature_window_asks_once(e2e: E2E) -> None:
    body = slash_command(command="/quiz", user_id=AMARA.id, user_name=handle(AMARA))

    statuses = _send_together(e2e, [(body, {})] * COPIES, "form")
    e2e.wait_for_post(AMARA, 1)
    e2e.settle()

    deliveries = _count(e2e, models.Delivery)
    questions = [c for c in e2e.posts_to(AMARA) if c.params.get("blocks")]
    print(f"copies of one /quiz {COPIES}; deliveries {deliveries}, questions posted "
          f"{len(questions)}")  # fmt: skip
    assert statuses == [200] * COPIES
    assert deliveries == 1
    assert len(questions) == 1


def test_the_same_reply_message_in_two_events_is_recorded_once(mock_company: E2E) -> None:
    e2e = mock_company
    number, _ = start_mock_audit(e2e, HELEN, departments=["Production"], cap=1)
    (thread,) = interview_threads(e2e, number, [*MOCK_PRODUCTION, *MOCK_SALES])["Production"]
    await_thread(e2e, thread, 1)
    ts = message_ts()
    first = thread_reply_body(thread, text="I stop the line.", ts=ts)
    again = thread_reply_body(thread, text="I stop the line.", ts=ts)  # a new event id

    _send_together(e2e, [(first, {}), (again, {})], "json")
    e2e.settle()

    assert _count(e2e, models.InterviewItem, models.InterviewItem.reply_ts == ts) == 1
    assert _count(e2e, models.GradeChange) == 1
