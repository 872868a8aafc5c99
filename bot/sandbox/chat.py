"""Web API handlers for chat.postMessage, chat.update and chat.postEphemeral."""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.blockkit import validate_message
from bot.sandbox.calls import INVALID_BLOCKS
from bot.sandbox.errors import SlackError
from bot.sandbox.users import BOT_ID, BOT_USER_ID
from bot.sandbox.workspace import Workspace, dm_channel_id

APP_ID = "A0SANDBOX"


def check_content(params: dict[str, Any]) -> None:
    """Slack needs text, blocks or attachments, and rejects blocks over its limits."""
    text, blocks = params.get("text"), params.get("blocks")
    if not text and not blocks and not params.get("attachments"):
        raise SlackError("no_text")
    problems = validate_message(text, blocks)
    if problems:
        raise SlackError(INVALID_BLOCKS, errors=problems, response_metadata={"messages": problems})


def _public(message: dict[str, Any]) -> dict[str, Any]:
    # Slack's response echoes the message without the channel it was stored under.
    return {k: copy.deepcopy(v) for k, v in message.items() if k != "channel"}


def post_message(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    check_content(params)
    channel = ws.open_dm(params.get("channel"))
    message: dict[str, Any] = {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "team": ws.team_id,
        "channel": channel,
        "text": params.get("text") or "",
        "blocks": copy.deepcopy(params.get("blocks") or []),
        "ts": ws.next_ts(),
    }
    for optional in ("thread_ts", "metadata"):
        if params.get(optional):
            message[optional] = copy.deepcopy(params[optional])
    ws.add_message(message)
    return {"ok": True, "channel": channel, "ts": message["ts"], "message": _public(message)}


def update(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    check_content(params)
    channel = dm_channel_id(ws.dm_owner(params.get("channel")).id)
    with ws.lock:
        message = ws.find_message(channel, params.get("ts"))
        if "text" in params:
            message["text"] = params.get("text") or ""
        # As in Slack, omitting blocks keeps the old ones; an empty list removes them.
        if "blocks" in params:
            message["blocks"] = copy.deepcopy(params.get("blocks") or [])
        message["edited"] = {"user": BOT_USER_ID, "ts": ws.next_ts()}
        public = _public(message)
    return {
        "ok": True,
        "channel": channel,
        "ts": public["ts"],
        "text": public["text"],
        "message": public,
    }


def post_ephemeral(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    check_content(params)
    owner = ws.dm_owner(params.get("channel"))
    user = ws.user(params.get("user"))
    if user.id != owner.id:
        raise SlackError("user_not_in_channel")
    return {"ok": True, "message_ts": ws.next_ts()}
