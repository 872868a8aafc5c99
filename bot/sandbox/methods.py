"""Web API method handlers: auth, users and conversations, plus the method registry."""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable
from typing import Any

from bot.sandbox import chat, files, surfaces
from bot.sandbox.errors import SlackError
from bot.sandbox.users import BOT_ID, BOT_USER_ID
from bot.sandbox.workspace import Workspace, dm_channel_id

Handler = Callable[[Workspace, dict[str, Any]], dict[str, Any]]

BOT_HANDLE = "auditready"


def auth_test(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "ok": True,
        "url": "https://auditready-sandbox.slack.com/",
        "team": "AuditReady Sandbox",
        "user": BOT_HANDLE,
        "team_id": ws.team_id,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def _int_param(params: dict[str, Any], name: str, default: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except (TypeError, ValueError) as error:
        raise SlackError("invalid_arguments") from error


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _decode_cursor(cursor: object) -> int:
    if not cursor:
        return 0
    try:
        kind, _, offset = base64.urlsafe_b64decode(str(cursor)).decode().partition(":")
        if kind == "offset" and int(offset) >= 0:
            return int(offset)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise SlackError("invalid_cursor")


def users_list(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    limit = _int_param(params, "limit", 0)
    size = min(limit, ws.page_size) if limit > 0 else ws.page_size
    start = _decode_cursor(params.get("cursor"))
    with ws.lock:
        everyone = list(ws.users.values())
    page = everyone[start : start + size]
    end = start + len(page)
    return {
        "ok": True,
        "members": [user.to_slack(ws.team_id) for user in page],
        "cache_ts": int(time.time()),
        "response_metadata": {"next_cursor": _encode_cursor(end) if end < len(everyone) else ""},
    }


def users_info(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "user": ws.user(params.get("user")).to_slack(ws.team_id)}


def users_lookup_by_email(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "user": ws.user_by_email(params.get("email")).to_slack(ws.team_id)}


def conversations_open(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("channel"):
        return {"ok": True, "channel": {"id": dm_channel_id(ws.dm_owner(params["channel"]).id)}}
    users = [u.strip() for u in str(params.get("users") or "").split(",") if u.strip()]
    if not users:
        raise SlackError("users_list_not_supplied")
    if len(users) > 1:
        raise SlackError("not_supported_by_sandbox", detail="only one-to-one DMs are simulated")
    user = ws.user(users[0])
    if user.deleted:
        raise SlackError("user_disabled")
    return {"ok": True, "channel": {"id": dm_channel_id(user.id)}}


def conversations_history(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """A DM's messages, newest first, after `oldest`; metadata only with include_all_metadata."""
    channel = dm_channel_id(ws.dm_owner(params.get("channel")).id)
    oldest = float(params.get("oldest") or 0)
    size = min(_int_param(params, "limit", 100), 1000) or 100
    start = _decode_cursor(params.get("cursor"))
    with_metadata = str(params.get("include_all_metadata")).lower() in ("true", "1")
    messages = [m for m in ws.channel_messages(channel) if float(m["ts"]) > oldest]
    messages.sort(key=lambda m: float(m["ts"]), reverse=True)
    page = messages[start : start + size]
    if not with_metadata:
        page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
    more = start + size < len(messages)
    return {
        "ok": True,
        "messages": page,
        "has_more": more,
        "response_metadata": {"next_cursor": _encode_cursor(start + size) if more else ""},
    }


METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "users.list": users_list,
    "users.info": users_info,
    "users.lookupByEmail": users_lookup_by_email,
    "conversations.open": conversations_open,
    "conversations.history": conversations_history,
    "chat.postMessage": chat.post_message,
    "chat.update": chat.update,
    "chat.postEphemeral": chat.post_ephemeral,
    "views.publish": surfaces.publish,
    "views.open": surfaces.open_modal,
    "views.push": surfaces.open_modal,
    "views.update": surfaces.update,
    "files.getUploadURLExternal": files.get_upload_url,
    "files.completeUploadExternal": files.complete_upload,
}
