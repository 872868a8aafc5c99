"""Turning an HTTP request into Web API params, the way Slack reads them."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from bot.sandbox.errors import SlackError

# Form-encoded clients send these as JSON strings; handlers always see Python values.
JSON_PARAMS = ("blocks", "view", "files", "attachments")


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def parse_params(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """Merge the query string with a form, multipart or JSON body (the body wins)."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/json":
        params.update(_json_object(body))
    elif media_type == "multipart/form-data":
        form = parse_multipart(body, content_type)
        params.update({k: v.decode("utf-8", "replace") for k, v in form.items()})
    elif body:
        params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    for name in JSON_PARAMS:
        if isinstance(params.get(name), str):
            params[name] = _maybe_json(params[name])
    return params


def _json_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        decoded = json.loads(body)
    except ValueError as error:
        raise SlackError("invalid_json") from error
    if not isinstance(decoded, dict):
        raise SlackError("invalid_json")
    return decoded


def _maybe_json(value: str) -> Any:
    # Left as a string on failure so Block Kit validation reports it instead of crashing.
    try:
        return json.loads(value)
    except ValueError:
        return value


def multipart_boundary(content_type: str) -> bytes | None:
    for piece in content_type.split(";")[1:]:
        key, _, value = piece.strip().partition("=")
        if key.lower() == "boundary":
            return value.strip('"').encode("latin-1")
    return None


def parse_multipart(body: bytes, content_type: str) -> dict[str, bytes]:
    """Part name -> raw bytes of a multipart/form-data body (byte-exact, binary-safe)."""
    boundary = multipart_boundary(content_type)
    if boundary is None:
        return {}
    fields: dict[str, bytes] = {}
    for chunk in body.split(b"--" + boundary)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.partition(b"\r\n\r\n")
        name = _part_name(head.decode("utf-8", "replace"))
        if name is not None:
            fields[name] = content.removesuffix(b"\r\n")
    return fields


def _part_name(head: str) -> str | None:
    for line in head.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() != "content-disposition":
            continue
        for piece in value.split(";"):
            attribute, _, raw = piece.strip().partition("=")
            if attribute.lower() == "name":
                return raw.strip('"')
    return None
