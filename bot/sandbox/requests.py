"""Requests exactly as Slack sends them to the app, signed: the one builder the demo and the
end-to-end tests share.

Shapes follow Slack's own: slash commands arrive form-encoded, interactions as a form field
`payload` holding JSON, events as a JSON envelope. Each builder starts from a template of
Slack's payload (its own by default; the tests pass the recorded payloads they keep) and
fills in the workspace, the person, the message clicked and the action taken. Every request
is signed with v0=HMAC-SHA256(signing secret, "v0:{timestamp}:{body}").
"""

from __future__ import annotations

import copy
import itertools
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

TEAM_ID = "T0BRIGHT"
TEAM_DOMAIN = "brightwater"
APP_ID = "A0AUDITRDY"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

SLASH_COMMAND: dict[str, str] = {
    "token": "verification_token",
    "team_id": TEAM_ID,
    "team_domain": TEAM_DOMAIN,
    "channel_id": "D0",
    "channel_name": "directmessage",
    "user_id": "U0",
    "user_name": "someone",
    "command": "/quiz",
    "text": "",
    "api_app_id": APP_ID,
    "is_enterprise_install": "false",
    "response_url": f"https://hooks.slack.com/commands/{TEAM_ID}/1/x",
    "trigger_id": "0.0.trigger",
}
BLOCK_ACTIONS: dict[str, Any] = {
    "type": "block_actions",
    "user": {"id": "U0", "username": "someone", "name": "someone", "team_id": TEAM_ID},
    "api_app_id": APP_ID,
    "token": "verification_token",
    "container": {"type": "message", "message_ts": "0.0", "channel_id": "D0"},
    "trigger_id": "0.0.trigger",
    "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
    "enterprise": None,
    "is_enterprise_install": False,
    "channel": {"id": "D0", "name": "directmessage"},
    "response_url": f"https://hooks.slack.com/actions/{TEAM_ID}/1/x",
    "actions": [{"type": "button"}],
}
RETRY_HEADERS = {"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}

_ids = itertools.count(1)


def signed_headers(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    """X-Slack-Request-Timestamp and X-Slack-Signature for this exact body."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature or ""}


def retry_headers(attempt: int = 1, template: Mapping[str, str] = RETRY_HEADERS) -> dict[str, str]:
    """The headers Slack adds when it delivers a request again."""
    return {**template, "x-slack-retry-num": str(attempt)}


def dm_channel_of(user_id: str) -> str:
    """The id of a person's DM with the bot, as the stand-in names it."""
    return "D" + user_id[1:]


def slash_command(
    *,
    command: str,
    user_id: str,
    user_name: str,
    text: str = "",
    channel_id: str | None = None,
    template: Mapping[str, str] = SLASH_COMMAND,
) -> str:
    """A form-encoded slash command typed in the person's DM with the bot."""
    fields = dict(template)
    fields.update(
        team_id=TEAM_ID,
        channel_id=channel_id or dm_channel_of(user_id),
        channel_name="directmessage",
        user_id=user_id,
        user_name=user_name,
        command=command,
        text=text,
        api_app_id=APP_ID,
        trigger_id=f"{int(time.time())}.{next(_ids)}.trigger",
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
    channel_id: str | None = None,
    template: Mapping[str, Any] = BLOCK_ACTIONS,
) -> str:
    """A form-encoded block_actions body for a click on a message in the person's DM."""
    payload = copy.deepcopy(dict(template))
    channel = channel_id or message.get("channel") or dm_channel_of(user_id)
    payload["user"].update(id=user_id, username=user_name, name=user_name, team_id=TEAM_ID)
    payload["api_app_id"] = APP_ID
    payload["team"]["id"] = TEAM_ID
    payload["container"].update(message_ts=message["ts"], channel_id=channel, is_ephemeral=False)
    payload["channel"] = {"id": channel, "name": "directmessage"}
    payload["message"] = {"type": "message"} | {k: v for k, v in message.items() if k != "channel"}
    payload["state"] = {"values": state or {}}
    payload["trigger_id"] = f"{int(time.time())}.{next(_ids)}.trigger"
    first = payload["actions"][0]
    payload["actions"] = [{**first, **action, "action_ts": f"{time.time():.6f}"}]
    return urlencode({"payload": json.dumps(payload)})


def checkbox_state(block_id: str, action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """`state.values` of a message whose checkboxes have these options ticked."""
    return {block_id: {action_id: {"type": "checkboxes", "selected_options": options}}}


def event_callback(envelope: Mapping[str, Any], *, bot_user_id: str, **event: Any) -> str:
    """An Events API envelope with its inner event fields replaced, as a JSON body."""
    filled = copy.deepcopy(dict(envelope))
    filled.update(
        team_id=TEAM_ID,
        api_app_id=APP_ID,
        event_id=f"Ev0AR{next(_ids):07d}",
        event_time=int(time.time()),
    )
    filled["event"].update(event)
    for authorization in filled.get("authorizations", []):
        authorization.update(team_id=TEAM_ID, user_id=bot_user_id)
    return json.dumps(filled)


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
