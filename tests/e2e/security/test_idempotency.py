"""Double clicks, Slack's redeliveries and racing requests never make a second record."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from bot.sandbox.requests import signed_headers
from storage import models
from tests.e2e.harness import E2E, message_text
from tests.e2e.payloads import retry_headers
from tests.e2e.workspace import AMARA, JONAS

ALREADY = "You had already answered this question; your first answer stands."


def _answers(e2e: E2E) -> list[tuple[int, list[str]]]:
    with e2e.session() as session:
        return [(a.delivery_id, list(a.chosen)) for a in session.scalars(select(models.Answer))]


def test_a_double_click_keeps_the_first_answer(e2e: E2E) -> None:
    dm = e2e.quiz(AMARA)
    right = e2e.correct_keys(dm.delivery_id)
    body = e2e.click_body(dm, right)

    e2e.slack.form(body).raise_for_status()
    e2e.slack.form(body).raise_for_status()
    updates = e2e.updates_of(dm, 2)
    e2e.settle()

    # The two clicks run side by side, so either may show its outcome first.
    texts = sorted((message_text(u) for u in updates), key=lambda t: ALREADY in t)
    assert _answers(e2e) == [(dm.delivery_id, sorted(right))]
    assert "Right." in texts[0] and ALREADY not in texts[0]
    assert "Right." in texts[1] and ALREADY in texts[1]


def test_a_second_click_on_another_option_does_not_change_the_answer(e2e: E2E) -> None:
    dm = e2e.quiz(AMARA)
    right = e2e.correct_keys(dm.delivery_id)
    e2e.answer(dm, correctly=True)

    second = e2e.answer(dm, correctly=False)

    assert _answers(e2e) == [(dm.delivery_id, sorted(right))]
    assert ALREADY in message_text(second)
    assert "Not quite." not in message_text(second)


def test_a_redelivered_request_records_nothing_new(e2e: E2E) -> None:
    dm = e2e.quiz(AMARA)
    body = e2e.click_body(dm, e2e.correct_keys(dm.delivery_id))

    e2e.slack.form(body).raise_for_status()
    e2e.updates_of(dm, 1)
    retried = e2e.slack.form(body, headers=retry_headers(attempt=1))
    assert retried.status_code == 200
    _first, second = e2e.updates_of(dm, 2)
    e2e.settle()

    assert len(_answers(e2e)) == 1
    assert ALREADY in message_text(second)


def test_eight_simultaneous_clicks_make_one_answer(e2e: E2E) -> None:
    dm = e2e.quiz(AMARA)
    body = e2e.click_body(dm, e2e.correct_keys(dm.delivery_id))
    base_url = str(e2e.slack.http.base_url)

    def click(_: int) -> int:
        # Each click signs and sends on its own connection, as Slack's would.
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        headers |= signed_headers(e2e.slack.secret, body)
        with httpx.Client(base_url=base_url, timeout=10) as http:
            return http.post("/slack/events", content=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(click, range(8)))
    updates = e2e.updates_of(dm, 8)
    e2e.settle()

    assert statuses == [200] * 8
    assert len(_answers(e2e)) == 1
    firsts = [u for u in updates if ALREADY not in message_text(u)]
    assert len(firsts) == 1, [message_text(u) for u in updates]


def test_a_click_by_someone_else_is_not_recorded(e2e: E2E) -> None:
    dm = e2e.quiz(AMARA)
    body = e2e.click_body(dm, e2e.correct_keys(dm.delivery_id), user=JONAS)

    e2e.slack.form(body).raise_for_status()
    e2e.settle()

    assert _answers(e2e) == []
    assert e2e.sandbox.calls_to("chat.update") == []
    # The clicker is told in their own DM: the question's DM is not theirs to see.
    notices = [
        c for c in e2e.sandbox.calls_to("chat.postMessage") if c.params["channel"] == JONAS.id
    ]
    assert len(notices) == 1
    assert "someone else" in notices[0].params["text"]
