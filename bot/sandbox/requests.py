"""Requests exactly as Slack sends them to the app, signed: the one builder the demo and the
end-to-end tests share.

Shapes follow Slack's own: slash commands arrive form-encoded, interactions (block_actions,
view_submission) as a form field `payload` holding JSON, events as a JSON envelope. Each builder
starts from a template of Slack's payload (its own by default; the tests pass the recorded
payloads they keep) and fills in the workspace, the person, the message clicked or the view
submitted. Every request is signed with v0=HMAC-SHA256(signing secret, "v0:{timestamp}:{body}")
and can be sent again as Slack's redelivery, with X-Slack-Retry-Num.
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

from bot.sandbox.workspace import dm_channel_id

TEAM_ID = "T0BRIGHT"
TEAM_DOMAIN = "auditready-sandbox"
APP_ID = "A0AUDITRDY"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
PATH = "/slack/events"

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
VIEW_SUBMISSION: dict[str, Any] = {
    "type": "view_submission",
    "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
    "user": {"id": "U0", "username": "someone", "name": "someone", "team_id": TEAM_ID},
    "api_app_id": APP_ID,
    "token": "verification_token",
    "trigger_id": "0.0.trigger",
    "view": {
        "id": "V0",
        "team_id": TEAM_ID,
        "type": "modal",
        "blocks": [],
        "private_metadata": "",
        "callback_id": "",
        "state": {"values": {}},
        "hash": "0.0",
        "clear_on_close": False,
        "notify_on_close": False,
        "previous_view_id": None,
        "root_view_id": "V0",
        "app_id": APP_ID,
        "external_id": "",
        "app_installed_team_id": TEAM_ID,
        "bot_id": "B0",
    },
    "response_urls": [],
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


def message_ts() -> str:
    """A fresh ts for a message a person sends, in Slack's "seconds.micros" form."""
    return f"{int(time.time())}.{next(_ids):06d}"


def _trigger_id() -> str:
    return f"{int(time.time())}.{next(_ids)}.trigger"


def _user(user_id: str, user_name: str) -> dict[str, str]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": TEAM_ID}


def _outside_any_org(team: dict[str, Any]) -> dict[str, Any]:
    """The stand-in is a workspace outside any Enterprise Grid org, as most are."""
    return {k: v for k, v in team.items() if k != "enterprise_id"}


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
        team_domain=TEAM_DOMAIN,
        channel_id=channel_id or dm_channel_id(user_id),
        channel_name="directmessage",
        user_id=user_id,
        user_name=user_name,
        command=command,
        text=text,
        api_app_id=APP_ID,
        trigger_id=_trigger_id(),
    )
    # The stand-in is a workspace outside any Enterprise Grid org, as most are.
    for org_field in ("enterprise_id", "enterprise_name"):
        fields.pop(org_field, None)
    return urlencode(fields)


def element_action(block_id: str, element: Mapping[str, Any]) -> dict[str, Any]:
    """The `actions[0]` entry Slack sends when this button element is clicked."""
    return {
        "action_id": element["action_id"],
        "block_id": block_id,
        "text": element["text"],
        "value": element["value"],
        "type": element["type"],
    }


def checkbox_state(block_id: str, action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """`state.values` of a message whose checkboxes have these options ticked."""
    return {block_id: {action_id: {"type": "checkboxes", "selected_options": options}}}


def block_actions(
    *,
    user_id: str,
    user_name: str,
    message: Mapping[str, Any],
    action: Mapping[str, Any],
    state: dict[str, Any] | None = None,
    channel_id: str | None = None,
    template: Mapping[str, Any] = BLOCK_ACTIONS,
) -> str:
    """A form-encoded block_actions body for a click on a message in the person's DM.

    `message` is the message as the stand-in stores it (its `channel` names the DM)."""
    payload = copy.deepcopy(dict(template))
    channel = channel_id or message.get("channel") or dm_channel_id(user_id)
    payload["user"] = {**payload["user"], **_user(user_id, user_name)}
    payload["api_app_id"] = APP_ID
    payload["team"] = _outside_any_org({**payload["team"], "id": TEAM_ID, "domain": TEAM_DOMAIN})
    payload["container"].update(message_ts=message["ts"], channel_id=channel, is_ephemeral=False)
    payload["channel"] = {"id": channel, "name": "directmessage"}
    payload["message"] = {"type": "message"} | {k: v for k, v in message.items() if k != "channel"}
    payload["state"] = {"values": state or {}}
    payload["trigger_id"] = _trigger_id()
    first = payload["actions"][0]
    payload["actions"] = [{**first, **action, "action_ts": f"{time.time():.6f}"}]
    return urlencode({"payload": json.dumps(payload)})


def view_submission(
    *,
    user_id: str,
    user_name: str,
    view: Mapping[str, Any],
    values: dict[str, Any],
    template: Mapping[str, Any] = VIEW_SUBMISSION,
) -> str:
    """A form-encoded view_submission of `view` (as the app opened it) with these inputs."""
    payload = copy.deepcopy(dict(template))
    payload["team"] = _outside_any_org({**payload["team"], "id": TEAM_ID, "domain": TEAM_DOMAIN})
    payload["user"] = {**payload["user"], **_user(user_id, user_name)}
    payload["api_app_id"] = APP_ID
    payload["trigger_id"] = _trigger_id()
    view_id = f"V0VIEW{next(_ids):05d}"
    payload["view"].update(
        {"private_metadata": "", **view},
        id=view_id,
        root_view_id=view_id,
        team_id=TEAM_ID,
        app_id=APP_ID,
        app_installed_team_id=TEAM_ID,
        state={"values": values},
    )
    return urlencode({"payload": json.dumps(payload)})


def event_callback(envelope: Mapping[str, Any], *, bot_user_id: str, **event: Any) -> str:
    """An Events API envelope with its inner event fields replaced, as a JSON body."""
    filled = copy.deepcopy(dict(envelope))
    filled.update(
        team_id=TEAM_ID,
        api_app_id=APP_ID,
        event_id=f"Ev0AR{next(_ids):07d}",
        event_time=int(time.time()),
    )
    filled.pop("enterprise_id", None)
    filled["event"].update(event)
    for authorization in filled.get("authorizations", []):
        authorization.pop("enterprise_id", None)
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
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Sign `body` (with another secret or at another time, to forge or age it) and post it;
        `headers` go on last, e.g. `retry_headers()` for a redelivery."""
        signing = signed_headers(secret or self.secret, body, timestamp=timestamp)
        return self.http.post(
            PATH,
            content=body.encode(),
            headers={"Content-Type": content_type, **signing, **(headers or {})},
        )

    def form(self, body: str, **options: Any) -> httpx.Response:
        """A slash command or an interaction (`application/x-www-form-urlencoded`)."""
        return self.post(body, content_type=FORM, **options)

    def json(self, body: str, **options: Any) -> httpx.Response:
        """An Events API request (`application/json`)."""
        return self.post(body, content_type=JSON, **options)
