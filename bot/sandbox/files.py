"""External file uploads: getUploadURLExternal, the upload URL itself, completeUploadExternal."""

from __future__ import annotations

import mimetypes
import time
from typing import Any

from bot.sandbox.errors import SlackError
from bot.sandbox.faults import Reply, text_reply
from bot.sandbox.users import BOT_USER_ID
from bot.sandbox.wire import parse_multipart
from bot.sandbox.workspace import PendingFile, Workspace, dm_channel_id


def get_upload_url(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    filename = params.get("filename")
    try:
        length = int(str(params.get("length")))
    except ValueError as error:
        raise SlackError("invalid_arguments") from error
    if not filename or length < 0:
        raise SlackError("invalid_arguments")
    file_id = ws.next_id("F")
    with ws.lock:
        ws.files[file_id] = PendingFile(file_id=file_id, filename=str(filename), length=length)
    return {"ok": True, "upload_url": f"{ws.public_url}upload/{file_id}", "file_id": file_id}


def receive_upload(ws: Workspace, file_id: str, body: bytes, content_type: str) -> Reply:
    """The upload URL: raw bytes, or multipart/form-data with the bytes in a "file" part."""
    if content_type.lower().startswith("multipart/form-data"):
        body = parse_multipart(body, content_type).get("file", b"")
    with ws.lock:
        pending = ws.files.get(file_id)
        if pending is None:
            return text_reply("file not found", status=404)
        pending.content = body
    return text_reply(f"OK - {len(body)}")


def _target_channel(ws: Workspace, params: dict[str, Any]) -> str | None:
    channel = params.get("channel_id") or str(params.get("channels") or "").split(",")[0]
    if not channel:
        return None
    return dm_channel_id(ws.dm_owner(channel.strip()).id)


def _uploaded(ws: Workspace, params: dict[str, Any]) -> list[tuple[PendingFile, str]]:
    entries = params.get("files")
    if not isinstance(entries, list) or not entries:
        raise SlackError("invalid_arguments")
    found: list[tuple[PendingFile, str]] = []
    for entry in entries:
        pending = ws.files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
        if pending is None or pending.content is None:
            raise SlackError("file_not_found")
        found.append((pending, str(entry.get("title") or pending.filename)))
    return found


def _file_object(pending: PendingFile, title: str, channel: str | None) -> dict[str, Any]:
    mimetype = mimetypes.guess_type(pending.filename)[0] or "application/octet-stream"
    return {
        "id": pending.file_id,
        "created": int(time.time()),
        "name": pending.filename,
        "title": title,
        "mimetype": mimetype,
        "filetype": pending.filename.rpartition(".")[2] if "." in pending.filename else "",
        "user": BOT_USER_ID,
        "size": len(pending.content or b""),
        "url_private": f"https://files.sandbox.invalid/{pending.file_id}/{pending.filename}",
        "permalink": f"https://auditready-sandbox.slack.com/files/{pending.file_id}",
        "channels": [channel] if channel else [],
    }


def complete_upload(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    channel = _target_channel(ws, params)
    with ws.lock:
        completed = _uploaded(ws, params)
        for pending, title in completed:
            ws.uploads.append(
                {
                    "file_id": pending.file_id,
                    "filename": pending.filename,
                    "title": title,
                    "content": pending.content,
                    "channel_id": channel,
                    "initial_comment": params.get("initial_comment"),
                    "thread_ts": params.get("thread_ts"),
                }
            )
            del ws.files[pending.file_id]
    return {"ok": True, "files": [_file_object(p, t, channel) for p, t in completed]}
