"""The one builder of signed Slack requests, shared by the demo and the end-to-end tests."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from urllib.parse import parse_qs

import httpx
from slack_sdk.signature import SignatureVerifier

from bot.sandbox.requests import (
    BLOCK_ACTIONS,
    FORM,
    JSON,
    TEAM_DOMAIN,
    TEAM_ID,
    SlackSender,
    block_actions,
    element_action,
    event_callback,
    message_ts,
    retry_headers,
    signed_headers,
    slash_command,
    view_submission,
)

SECRET = "s3cret"
BUTTON = {
    "type": "button",
    "action_id": "quiz.answer.b",
    "text": {"type": "plain_text", "text": "B"},
    "value": "b",
}


def verifies(body: str, headers: Mapping[str, str], secret: str = SECRET) -> bool:
    return SignatureVerifier(secret).is_valid(
        body=body,
        timestamp=headers["X-Slack-Request-Timestamp"],
        signature=headers["X-Slack-Signature"],
    )


def test_a_built_request_verifies_and_a_tampered_or_stale_one_does_not() -> None:
    body = slash_command(command="/quiz", user_id="U1", user_name="ana", text="help")
    headers = signed_headers(SECRET, body)
    assert verifies(body, headers)
    assert not verifies(body.replace("help", "pause"), headers)
    assert not verifies(body, headers, secret="other")
    stale = signed_headers(SECRET, body, timestamp=int(time.time()) - 600)
    assert not verifies(body, stale)


def test_a_slash_command_comes_from_the_persons_dm_in_our_workspace() -> None:
    fields = parse_qs(slash_command(command="/awareness", user_id="U7", user_name="bo", text="x"))
    assert fields["team_id"] == [TEAM_ID] and fields["channel_id"] == ["D7"]
    assert (fields["command"], fields["text"], fields["user_id"]) == (["/awareness"], ["x"], ["U7"])
    second = parse_qs(slash_command(command="/quiz", user_id="U7", user_name="bo"))
    assert second["trigger_id"] != fields["trigger_id"]


def test_a_click_keeps_the_templates_fields_and_names_the_message_and_action() -> None:
    template = {**BLOCK_ACTIONS, "team": {"id": "T111", "enterprise_name": "Sandbox Org"}}
    body = block_actions(
        user_id="U2",
        user_name="cy",
        message={"ts": "123.456", "blocks": []},
        action=element_action("delivery:9", BUTTON),
        template=template,
    )
    payload = json.loads(parse_qs(body)["payload"][0])
    assert payload["team"] == {
        "id": TEAM_ID,
        "domain": TEAM_DOMAIN,
        "enterprise_name": "Sandbox Org",
    }
    assert payload["container"]["message_ts"] == "123.456"
    assert payload["channel"]["id"] == payload["container"]["channel_id"] == "D2"
    (action,) = payload["actions"]
    assert (action["block_id"], action["action_id"], action["value"]) == (
        "delivery:9",
        "quiz.answer.b",
        "b",
    )
    assert template["team"]["id"] == "T111"  # the template itself is left alone


def test_an_event_gets_a_fresh_id_and_a_retry_says_which_attempt() -> None:
    envelope = {"type": "event_callback", "event": {"type": "message"}, "authorizations": [{}]}
    first = json.loads(event_callback(envelope, bot_user_id="UBOT", text="hi"))
    second = json.loads(event_callback(envelope, bot_user_id="UBOT", text="hi"))
    assert first["event_id"] != second["event_id"]
    assert first["event"] == {"type": "message", "text": "hi"}
    assert first["authorizations"] == [{"team_id": TEAM_ID, "user_id": "UBOT"}]
    assert retry_headers(3)["x-slack-retry-num"] == "3"


def test_a_view_submission_carries_the_view_the_app_opened_and_the_inputs() -> None:
    view = {"type": "modal", "callback_id": "mock_audit.start", "blocks": [], "hash": "1.a"}
    values = {"cap": {"value": {"type": "plain_text_input", "value": "3"}}}
    body = view_submission(user_id="U3", user_name="di", view=view, values=values)
    payload = json.loads(parse_qs(body)["payload"][0])
    assert (payload["type"], payload["user"]["id"], payload["team"]["id"]) == (
        "view_submission",
        "U3",
        TEAM_ID,
    )
    assert payload["view"]["callback_id"] == "mock_audit.start"
    assert payload["view"]["state"] == {"values": values}
    assert payload["view"]["id"] == payload["view"]["root_view_id"]
    again = json.loads(
        parse_qs(view_submission(user_id="U3", user_name="di", view=view, values={}))["payload"][0]
    )
    assert again["view"]["id"] != payload["view"]["id"] and view == {
        "type": "modal",
        "callback_id": "mock_audit.start",
        "blocks": [],
        "hash": "1.a",
    }


def test_messages_a_person_sends_get_distinct_ts_in_slacks_form() -> None:
    first, second = message_ts(), message_ts()
    assert first != second
    assert all(part.isdigit() for part in first.split("."))


def test_the_sender_posts_each_body_signed_with_its_content_type() -> None:
    seen: list[httpx.Request] = []

    def slack_app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    transport = httpx.MockTransport(slack_app)
    with httpx.Client(transport=transport, base_url="http://app") as http:
        sender = SlackSender(http, SECRET)
        sender.form("a=1")
        sender.json("{}", headers=retry_headers(2))
        sender.form("a=1", secret="forged")
    form, event, forged = seen
    assert form.url.path == "/slack/events" and form.headers["content-type"] == FORM
    assert event.headers["content-type"] == JSON and event.headers["x-slack-retry-num"] == "2"
    assert verifies(form.content.decode(), form.headers)
    assert verifies(event.content.decode(), event.headers)
    assert not verifies(forged.content.decode(), forged.headers)
