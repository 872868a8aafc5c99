"""Requests shaped and signed the way Slack sends them, built from the fixtures beside us.

The fixture files hold Slack's real payload shapes with placeholder ids; these functions fill
in the ids of the test workspace, the message that was clicked, and the action taken.
"""

from __future__ import annotations

import copy
import itertools
import json
import time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

from bot.sandbox import BOT_USER_ID

FIXTURES = Path(__file__).parent / "fixtures"
TEAM_ID = "T0BRIGHT"
APP_ID = "A0AUDITRDY"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_event_ids = itertools.count(1)


@cache
def _fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture(name: str) -> dict[str, Any]:
    """A fresh, mutable copy of a JSON fixture."""
    loaded: dict[str, Any] = json.loads(_fixture_text(name))
    return copy.deepcopy(loaded)


def retry_headers(attempt: int = 1) -> dict[str, str]:
    """The headers Slack adds to a redelivered request."""
    headers: dict[str, str] = dict(fixture("events_api_retry_http_headers.json")["headers"])
    headers["x-slack-retry-num"] = str(attempt)
    return headers


def signed_headers(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    """X-Slack-Request-Timestamp and X-Slack-Signature for this exact body."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def slash_command(*, command: str, user_id: str, user_name: str, text: str = "") -> str:
    """A form-encoded slash command typed in the user's DM with the bot."""
    fields = dict(parse_qsl(_fixture_text("slash_command.form-urlencoded.txt").strip()))
    fields.update(
        team_id=TEAM_ID,
        channel_id="D" + user_id[1:],
        channel_name="directmessage",
        user_id=user_id,
        user_name=user_name,
        command=command,
        text=text,
        api_app_id=APP_ID,
        trigger_id=f"{int(time.time())}.{next(_event_ids)}.trigger",
    )
    return urlencode(fields)


def element_action(block_id: str, element: dict[str, Any]) -> dict[str, Any]:
    """The `actions[0]` entry Slack sends when this button element is clicked."""
    return {
        "action_id": element["action_id"],
        "block_id": block_id,
        "text": element["text"],
        "value": element["value"],
        "type": element["type"],
    }


def block_actions(
    *,
    user_id: str,
    user_name: str,
    message: dict[str, Any],
    action: dict[str, Any],
    state: dict[str, Any] | None = None,
) -> str:
    """A form-encoded block_actions body for a click on a message in the user's DM."""
    payload = fixture("block_actions_button.json")
    channel = message.get("channel") or "D" + user_id[1:]
    payload["user"].update(id=user_id, username=user_name, name=user_name, team_id=TEAM_ID)
    payload["api_app_id"] = APP_ID
    payload["team"]["id"] = TEAM_ID
    payload["container"].update(message_ts=message["ts"], channel_id=channel, is_ephemeral=False)
    payload["channel"] = {"id": channel, "name": "directmessage"}
    payload["message"] = {k: v for k, v in message.items() if k != "channel"}
    payload["state"] = {"values": state or {}}
    template = payload["actions"][0]
    payload["actions"] = [{**template, **action, "action_ts": f"{time.time():.6f}"}]
    return urlencode({"payload": json.dumps(payload)})


def checkbox_state(block_id: str, action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """`state.values` of a message whose checkboxes have these options ticked."""
    return {block_id: {action_id: {"type": "checkboxes", "selected_options": options}}}


def event_callback(name: str, **event: Any) -> str:
    """An Events API envelope from a fixture, with its inner event fields replaced."""
    envelope = fixture(name)
    envelope.update(
        team_id=TEAM_ID,
        api_app_id=APP_ID,
        event_id=f"Ev0E2E{next(_event_ids):06d}",
        event_time=int(time.time()),
    )
    envelope["event"].update(event)
    for authorization in envelope.get("authorizations", []):
        authorization.update(team_id=TEAM_ID, user_id=BOT_USER_ID)
    return json.dumps(envelope)


class SlackSender:
    """Slack's side of the HTTP conversation: posts signed requests to the app."""

    def __init__(self, http: httpx.Client, secret: str) -> None:
        self.http = http
        self.secret = secret

    def post(
        self,
        body: str,
        *,
        content_type: str,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        signing = signed_headers(secret or self.secret, body, timestamp=timestamp)
        return self.http.post(
            "/slack/events",
            content=body.encode(),
            headers={"Content-Type": content_type, **signing, **(headers or {})},
        )

    def form(self, body: str, **options: Any) -> httpx.Response:
        return self.post(body, content_type=FORM, **options)

    def json(self, body: str, **options: Any) -> httpx.Response:
        return self.post(body, content_type=JSON, **options)
