"""Web API handlers for views: the App Home tab and modals."""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.blockkit import validate_view
from bot.sandbox.calls import INVALID_BLOCKS
from bot.sandbox.chat import APP_ID
from bot.sandbox.errors import SlackError
from bot.sandbox.users import BOT_ID
from bot.sandbox.workspace import Workspace


def _checked_view(params: dict[str, Any], expected: str | None) -> dict[str, Any]:
    view = params.get("view")
    problems = validate_view(view, expected=expected)
    if problems:
        raise SlackError(INVALID_BLOCKS, errors=problems, response_metadata={"messages": problems})
    assert isinstance(view, dict)
    return copy.deepcopy(view)


def _stored_view(
    ws: Workspace, submitted: dict[str, Any], *, view_id: str, root_id: str | None = None
) -> dict[str, Any]:
    """The view object Slack answers with: the submitted view plus its server-side fields."""
    return {
        "callback_id": "",
        "private_metadata": "",
        "external_id": "",
        **submitted,
        "id": view_id,
        "team_id": ws.team_id,
        "state": {"values": {}},
        "hash": ws.next_ts(),
        "root_view_id": root_id or view_id,
        "previous_view_id": None,
        "app_id": APP_ID,
        "bot_id": BOT_ID,
    }


def _check_hash(current: dict[str, Any], params: dict[str, Any]) -> None:
    if params.get("hash") and params["hash"] != current["hash"]:
        raise SlackError("hash_conflict")


def publish(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    submitted = _checked_view(params, "home")
    user = ws.user(params.get("user_id"))
    with ws.lock:
        current = ws.home_views.get(user.id)
        if current is not None:
            _check_hash(current, params)
        view_id = current["id"] if current is not None else ws.next_id("V")
        view = _stored_view(ws, submitted, view_id=view_id)
        ws.home_views[user.id] = view
        ws.views[view_id] = view
        return {"ok": True, "view": copy.deepcopy(view)}


def open_modal(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """views.open, and views.push: the sandbox keeps no view stack, so each modal is a root."""
    if not params.get("trigger_id"):
        raise SlackError("invalid_arguments")
    submitted = _checked_view(params, "modal")
    with ws.lock:
        view_id = ws.next_id("V")
        view = _stored_view(ws, submitted, view_id=view_id)
        ws.views[view_id] = view
        return {"ok": True, "view": copy.deepcopy(view)}


def _find_view(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("view_id"):
        found = ws.views.get(str(params["view_id"]))
    else:
        wanted = params.get("external_id")
        found = next(
            (v for v in ws.views.values() if wanted and v.get("external_id") == wanted), None
        )
    if found is None:
        raise SlackError("not_found")
    return found


def update(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    with ws.lock:
        current = _find_view(ws, params)
        submitted = _checked_view(params, current["type"])
        _check_hash(current, params)
        view = _stored_view(ws, submitted, view_id=current["id"], root_id=current["root_view_id"])
        ws.views[view["id"]] = view
        for user_id, home in list(ws.home_views.items()):
            if home["id"] == view["id"]:
                ws.home_views[user_id] = view
        return {"ok": True, "view": copy.deepcopy(view)}
