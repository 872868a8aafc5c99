"""Requests exactly as Slack sends them to the app, signed, for the demo and local sandbox.

Shapes follow Slack's own SDK fixtures: slash commands arrive form-encoded, interactions
as a form field `payload` holding JSON, events as JSON. Every request is signed with
v0=HMAC-SHA256(signing secret, "v0:{timestamp}:{body}").
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

TEAM = {"id": "T0BRIGHT", "domain": "brightwater"}


def signed_headers(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack adds to every request: timestamp and signature."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature or ""}


def slash_command(*, command: str, text: str, user_id: str, user_name: str, channel_id: str) -> str:
    """A form-encoded slash command body."""
    return urlencode(
        {
            "token": "verification_token",
            "team_id": TEAM["id"],
            "team_domain": TEAM["domain"],
            "channel_id": channel_id,
            "channel_name": "directmessage",
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": "A0AUDITRDY",
            "is_enterprise_install": "false",
            "response_url": f"https://hooks.slack.com/commands/{TEAM['id']}/1/x",
            "trigger_id": f"{int(time.time())}.1.trigger",
        }
    )


def block_actions(
    *,
    user_id: str,
    user_name: str,
    message: dict[str, Any],
    channel_id: str,
    action: dict[str, Any],
    state: dict[str, Any] | None = None,
) -> str:
    """A form-encoded block_actions body for a click on a message the bot posted."""
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": TEAM["id"]},
        "api_app_id": "A0AUDITRDY",
        "token": "verification_token",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "trigger_id": f"{int(time.time())}.2.trigger",
        "team": TEAM,
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "directmessage"},
        "message": {"type": "message", **message},
        "state": {"values": state or {}},
        "response_url": f"https://hooks.slack.com/actions/{TEAM['id']}/1/x",
        "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
    }
    return urlencode({"payload": json.dumps(payload)})


def button_action(block_id: str, element: dict[str, Any]) -> dict[str, Any]:
    """The `actions[0]` entry Slack sends for a click on this button element."""
    return {
        "action_id": element["action_id"],
        "block_id": block_id,
        "text": element["text"],
        "value": element["value"],
        "type": "button",
    }


def checkbox_state(block_id: str, action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """`state.values` for a message whose checkboxes have these options ticked."""
    return {block_id: {action_id: {"type": "checkboxes", "selected_options": options}}}
