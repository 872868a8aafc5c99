"""Requests Slack signed for another workspace (or another Enterprise Grid org) are refused.

A slash command gets a 200 with a polite ephemeral line, so the person sees why nothing
happened; clicks, modal submissions and events get a 403. Nothing reaches Bolt, so nothing is
stored and nothing is posted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest

from bot.sandbox import SlackSandbox
from bot.sandbox.requests import SlackSender
from bot.slack.app import create_app
from bot.slack.server import serve_in_background
from storage import models
from storage.db import make_engine, upgrade
from tests.e2e.conftest import SECRET, make_settings
from tests.e2e.harness import E2E, ack_text, handle
from tests.e2e.payloads import event_callback, slash_command
from tests.e2e.workspace import AMARA

ELSEWHERE = "T0ELSEWHERE"


def _form_with(body: str, **fields: str) -> str:
    return urlencode({**dict(parse_qsl(body, keep_blank_values=True)), **fields})


def _payload_with(body: str, change: Any) -> str:
    payload = json.loads(dict(parse_qsl(body))["payload"])
    change(payload)
    return urlencode({"payload": json.dumps(payload)})


def _quiz_body(user_id: str = AMARA.id) -> str:
    return slash_command(command="/quiz", user_id=user_id, user_name=handle(AMARA))


def _nothing_happened(e2e: E2E) -> None:
    e2e.settle()
    for model in (models.Delivery, models.Answer):
        assert e2e.count(model) == 0, model
    assert e2e.sandbox.calls_to("chat.postMessage") == []
    assert e2e.sandbox.calls_to("views.publish") == []


def test_a_slash_command_from_another_workspace_is_answered_politely_and_does_nothing(
    e2e: E2E,
) -> None:
    response = e2e.slack.form(_form_with(_quiz_body(), team_id=ELSEWHERE))

    assert response.status_code == 200
    assert response.json()["response_type"] == "ephemeral"
    assert "another Slack workspace" in ack_text(response)
    _nothing_happened(e2e)


def test_a_slash_command_from_another_enterprise_is_refused(e2e: E2E) -> None:
    response = e2e.slack.form(_form_with(_quiz_body(), enterprise_id="E0ELSEWHERE"))

    assert response.status_code == 200
    assert "another Slack workspace" in ack_text(response)
    _nothing_happened(e2e)


def test_a_slash_command_naming_no_workspace_is_refused(e2e: E2E) -> None:
    fields = dict(parse_qsl(_quiz_body()))
    del fields["team_id"]

    response = e2e.slack.form(urlencode(fields))

    assert response.status_code == 200
    assert "another Slack workspace" in ack_text(response)
    _nothing_happened(e2e)


@pytest.mark.parametrize("where", ["team", "user", "enterprise"])
def test_a_click_from_another_workspace_records_no_answer(e2e: E2E, where: str) -> None:
    dm = e2e.quiz(AMARA)
    updates_before = len(e2e.sandbox.calls_to("chat.update"))

    def elsewhere(payload: dict[str, Any]) -> None:
        if where == "team":
            payload["team"]["id"] = ELSEWHERE
        elif where == "user":
            payload["user"]["team_id"] = ELSEWHERE
        else:
            payload["enterprise"] = {"id": "E0ELSEWHERE", "name": "Another Org"}

    body = _payload_with(e2e.click_body(dm, e2e.correct_keys(dm.delivery_id)), elsewhere)
    response = e2e.slack.form(body)

    assert response.status_code == 403
    e2e.settle()
    assert e2e.count(models.Answer) == 0
    assert len(e2e.sandbox.calls_to("chat.update")) == updates_before


@pytest.mark.parametrize("where", ["envelope", "authorizations"])
def test_an_event_from_another_workspace_is_refused_with_403(e2e: E2E, where: str) -> None:
    body = json.loads(event_callback("app_home_opened_home_tab.json", user=AMARA.id))
    if where == "envelope":
        body["team_id"] = ELSEWHERE
    else:
        body["authorizations"][0]["team_id"] = ELSEWHERE

    response = e2e.slack.json(json.dumps(body))

    assert response.status_code == 403
    _nothing_happened(e2e)


def test_our_own_workspace_still_gets_through(e2e: E2E) -> None:
    response = e2e.slack.json(event_callback("app_home_opened_home_tab.json", user=AMARA.id))

    assert response.status_code == 200
    e2e.sandbox.wait_for("views.publish")
    e2e.settle()


def test_the_url_verification_handshake_names_no_workspace_and_is_answered(e2e: E2E) -> None:
    response = e2e.slack.json(json.dumps({"type": "url_verification", "challenge": "c0ffee"}))

    assert response.status_code == 200
    assert response.json() == {"challenge": "c0ffee"}


@pytest.fixture
def pinned(sandbox: SlackSandbox, tmp_path: Path) -> Iterator[SlackSender]:
    """The app told its workspace by SLACK_TEAM_ID, which is not the one the stand-in is."""
    folder = tmp_path / "pinned"
    folder.mkdir()
    settings = make_settings(
        api_url=sandbox.base_url, database_url=f"sqlite:///{folder / 'auditready.db'}"
    ).model_copy(update={"slack_team_id": ELSEWHERE})
    engine = make_engine(settings.database_url)
    upgrade(engine)
    runtime = create_app(settings, engine=engine)
    server = serve_in_background(runtime.web)
    try:
        with httpx.Client(base_url=server.base_url, timeout=5) as http:
            yield SlackSender(http, SECRET)
    finally:
        server.stop()
        engine.dispose()


def test_the_slack_team_id_setting_wins_over_what_auth_test_says(pinned: SlackSender) -> None:
    refused = pinned.form(_quiz_body())
    accepted = pinned.form(_form_with(_quiz_body(), team_id=ELSEWHERE))

    assert "another Slack workspace" in ack_text(refused)
    assert accepted.status_code == 200
    assert "another Slack workspace" not in ack_text(accepted)
