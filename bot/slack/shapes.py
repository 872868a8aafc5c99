"""What a signed Slack request must look like before Bolt or a listener reads it.

Slack's own requests always have these fields, of these types; a body that lacks them is
refused at the edge with a 400, so listeners can read `body["user"]["id"]` without checking.
Only the fields the app reads are checked, and only their types where Slack may leave them
out, so a field Slack adds one day changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl


class Kind(StrEnum):
    COMMAND = "slash command"
    INTERACTION = "interaction"
    EVENT = "event"
    # The Events API's URL check and the slash command SSL check name no workspace.
    HANDSHAKE = "handshake"


@dataclass(frozen=True)
class SlackBody:
    kind: Kind
    fields: dict[str, Any]


def parse(body: bytes, content_type: str) -> SlackBody | None:
    """The request's fields, or None when it is not a Slack payload at all.

    Raises UnicodeDecodeError, ValueError (bad JSON) or RecursionError (absurdly nested JSON).
    """
    text = body.decode("utf-8")
    if content_type.startswith("application/json"):
        envelope = _json(text)
        if not isinstance(envelope, dict):
            return None
        if envelope.get("type") == "url_verification" and "team_id" not in envelope:
            return SlackBody(Kind.HANDSHAKE, envelope)
        return SlackBody(Kind.EVENT, envelope)
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in form:
        payload = _json(form["payload"])
        return SlackBody(Kind.INTERACTION, payload) if isinstance(payload, dict) else None
    if form.get("ssl_check") == "1" and "command" not in form:
        return SlackBody(Kind.HANDSHAKE, form)
    return SlackBody(Kind.COMMAND, form)


def _json(text: str) -> Any:
    value = json.loads(text)
    # JSON's \u escapes can spell half a surrogate pair, which no UTF-8 reply could echo back.
    if SURROGATE_ESCAPE.search(text):
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    return value


SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def problem(body: SlackBody) -> str | None:
    """Why this is not a request Slack would send, or None when it could be."""
    fields = body.fields
    found = _structure(fields)
    if found:
        return found
    match body.kind:
        case Kind.COMMAND:
            return _missing(fields, "command", "user_id", "channel_id", "trigger_id")
        case Kind.INTERACTION:
            return _interaction(fields)
        case Kind.EVENT:
            return _event(fields)
        case Kind.HANDSHAKE:
            return None if "ssl_check" in fields else _missing(fields, "challenge")
    return None


# Where Bolt itself looks (to route a request and fill in its context), and what it expects
# to find there when the field is present.
OBJECTS = ("event", "view", "message", "previous_message", "item", "assistant_thread")
OBJECTS_OR_NULL = ("team", "container", "state")
OBJECTS_OR_STRINGS = ("user", "channel", "enterprise")


def _structure(fields: dict[str, Any]) -> str | None:
    for name in OBJECTS:
        if name in fields and not isinstance(fields[name], dict):
            return f"{name} is not an object"
    for name in OBJECTS_OR_NULL:
        if not isinstance(fields.get(name), dict | None):
            return f"{name} is not an object"
    for name in OBJECTS_OR_STRINGS:
        if not isinstance(fields.get(name), dict | str | None):
            return f"{name} is neither an object nor a string"
    authorizations = fields.get("authorizations")
    if authorizations is not None and (
        not isinstance(authorizations, list) or not all(isinstance(a, dict) for a in authorizations)
    ):
        return "authorizations is not a list of objects"
    if not isinstance(fields.get("is_ext_shared_channel", False), bool):
        return "is_ext_shared_channel is not a boolean"
    event = fields.get("event") or {}
    return _strings(event, "user_team", "team", "user_id")


# Fields of an event the app reads: strings when present.
EVENT_STRINGS = (
    "type",
    "user",
    "channel",
    "channel_type",
    "text",
    "ts",
    "thread_ts",
    "event_ts",
    "tab",
    "subtype",
    "bot_id",
)


def _event(envelope: dict[str, Any]) -> str | None:
    found = _missing(envelope, "type") or _strings(envelope, "event_id")
    if found or envelope["type"] != "event_callback":
        return found  # another kind of envelope (app_rate_limited, say): Bolt's to judge
    event = envelope.get("event")
    if not isinstance(event, dict):
        return "event is not an object"
    found = _missing(event, "type") or _strings(event, *EVENT_STRINGS)
    if found:
        return f"event: {found}"
    if event["type"] == "app_home_opened":
        return _missing(event, "user")
    if event["type"] == "message" and "subtype" not in event:
        return _missing(event, "user", "channel", "ts")
    return None


def _interaction(payload: dict[str, Any]) -> str | None:
    found = _missing(payload, "type") or _strings(payload, "trigger_id", "api_app_id")
    if found:
        return found
    user = payload.get("user")
    if not isinstance(user, dict) or _missing(user, "id"):
        return "user is not an object with an id"
    if not isinstance(payload.get("channel"), dict | None):
        return "channel is not an object"
    if payload["type"] == "block_actions":
        return _block_actions(payload)
    if payload["type"] in ("view_submission", "view_closed"):
        return _view(payload.get("view"))
    return None


def _block_actions(payload: dict[str, Any]) -> str | None:
    actions = payload.get("actions")
    if not isinstance(actions, list) or not actions:
        return "actions is not a list of actions"
    for action in actions:
        if not isinstance(action, dict):
            return "an action is not an object"
        found = _missing(action, "action_id", "type") or _strings(action, "block_id", "value")
        if found:
            return f"action: {found}"
    container = payload.get("container") or {}
    found = _strings(container, "type", "channel_id", "message_ts", "thread_ts")
    if found:
        return f"container: {found}"
    if container.get("type") == "message":
        where = container.get("channel_id") or (payload.get("channel") or {}).get("id")
        when = container.get("message_ts") or (payload.get("message") or {}).get("ts")
        if not isinstance(where, str) or not isinstance(when, str):
            return "a click on a message names no channel or message"
    state = payload.get("state") or {}
    if not isinstance(state.get("values", {}), dict):
        return "state.values is not an object"
    return None


def _view(view: object) -> str | None:
    if not isinstance(view, dict):
        return "view is not an object"
    found = _strings(view, "callback_id", "private_metadata", "id")
    if found:
        return f"view: {found}"
    state = view.get("state")
    if not isinstance(state, dict) or not isinstance(state.get("values"), dict):
        return "view.state.values is not an object"
    return None


def _missing(fields: dict[str, Any], *names: str) -> str | None:
    """The first of `names` that is not a non-empty string."""
    for name in names:
        value = fields.get(name)
        if not isinstance(value, str) or not value:
            return f"{name} is missing or not a string"
    return None


def _strings(fields: dict[str, Any], *names: str) -> str | None:
    """The first of `names` present but not a string."""
    return next((f"{n} is not a string" for n in _present(fields, names)), None)


def _present(fields: dict[str, Any], names: Iterable[str]) -> Iterable[str]:
    return (n for n in names if n in fields and not isinstance(fields[n], str))
