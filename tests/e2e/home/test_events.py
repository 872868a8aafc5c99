"""Events API requests: the URL challenge, the App Home tab and direct messages."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.harness import E2E
from tests.e2e.payloads import event_callback, fixture, retry_headers
from tests.e2e.workspace import AMARA, JONAS


def _home_text(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def test_the_url_verification_challenge_is_answered(e2e: E2E) -> None:
    challenge = fixture("url_verification.json")

    response = e2e.slack.json(json.dumps(challenge))

    assert response.status_code == 200
    assert response.json() == {"challenge": challenge["challenge"]}


def test_opening_the_home_tab_publishes_the_persons_own_progress(e2e: E2E) -> None:
    e2e.answer(e2e.quiz(AMARA), correctly=False)
    body = event_callback(
        "app_home_opened_home_tab.json", user=AMARA.id, channel=e2e.sandbox.dm_channel(AMARA.id)
    )

    response = e2e.slack.json(body)

    assert response.status_code == 200
    (publish,) = e2e.sandbox.wait_for("views.publish")
    e2e.settle()
    assert publish.params["user_id"] == AMARA.id
    home = e2e.sandbox.home_view(AMARA.id)
    assert home is not None and home["type"] == "home"
    shown = _home_text(home)
    assert "You have answered *1* questions, *0%* correctly." in shown
    assert "Worth re-reading" in shown
    assert e2e.sandbox.home_view(JONAS.id) is None


def test_someone_who_never_answered_sees_an_empty_home_tab(e2e: E2E) -> None:
    body = event_callback("app_home_opened_home_tab.json", user=JONAS.id)

    e2e.slack.json(body, headers=retry_headers(attempt=2)).raise_for_status()

    e2e.sandbox.wait_for("views.publish")
    e2e.settle()
    home = e2e.sandbox.home_view(JONAS.id)
    assert home is not None
    assert "You haven't answered any questions yet." in _home_text(home)


def test_opening_the_messages_tab_publishes_nothing(e2e: E2E) -> None:
    body = event_callback("app_home_opened_home_tab.json", user=AMARA.id, tab="messages")

    response = e2e.slack.json(body)

    assert response.status_code == 200
    e2e.settle()
    assert e2e.sandbox.calls_to("views.publish") == []


def test_a_direct_message_is_acknowledged_without_a_reply(e2e: E2E) -> None:
    body = event_callback(
        "message_im.json",
        user=AMARA.id,
        channel=e2e.sandbox.dm_channel(AMARA.id),
        text="what is this bot?",
    )

    response = e2e.slack.json(body)

    assert response.status_code == 200
    e2e.settle()
    assert e2e.sandbox.calls_to("chat.postMessage") == []
