"""Slack's documented Block Kit limits for messages and views, as pure functions.

Every function returns a list of human-readable problems; an empty list means Slack would
accept the payload.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.sandbox.elements import (
    PLAIN,
    Checker,
    check_count,
    check_string,
    check_text,
    validate_element,
)

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
MAX_MODAL_TITLE = 24


def _section(block: dict[str, Any], path: str) -> list[str]:
    text, fields = block.get("text"), block.get("fields")
    problems: list[str] = []
    if text is None and fields is None:
        problems.append(f"{path}: needs text or fields")
    problems += check_text(text, f"{path}.text", 3000, required=False)
    if fields is not None:
        problems += check_count(fields, f"{path}.fields", 1, 10)
        for i, field in enumerate(fields if isinstance(fields, list) else []):
            problems += check_text(field, f"{path}.fields[{i}]", 2000)
    if "accessory" in block:
        problems += validate_element(block["accessory"], f"{path}.accessory")
    return problems


def _header(block: dict[str, Any], path: str) -> list[str]:
    return check_text(block.get("text"), f"{path}.text", 150, types=PLAIN)


def _context(block: dict[str, Any], path: str) -> list[str]:
    elements = block.get("elements")
    problems = check_count(elements, f"{path}.elements", 1, 10)
    for i, element in enumerate(elements if isinstance(elements, list) else []):
        where = f"{path}.elements[{i}]"
        if isinstance(element, dict) and element.get("type") == "image":
            problems += validate_element(element, where)
        else:
            problems += check_text(element, where, None)
    return problems


def _actions(block: dict[str, Any], path: str) -> list[str]:
    elements = block.get("elements")
    problems = check_count(elements, f"{path}.elements", 1, 25)
    if not isinstance(elements, list):
        return problems
    for i, element in enumerate(elements):
        problems += validate_element(element, f"{path}.elements[{i}]")
    action_ids = Counter(
        e["action_id"] for e in elements if isinstance(e, dict) and "action_id" in e
    )
    return problems + [
        f"{path}: action_id {action_id!r} is used more than once"
        for action_id, n in sorted(action_ids.items(), key=str)
        if n > 1
    ]


def _input(block: dict[str, Any], path: str) -> list[str]:
    return [
        *check_text(block.get("label"), f"{path}.label", 2000, types=PLAIN),
        *check_text(block.get("hint"), f"{path}.hint", 2000, types=PLAIN, required=False),
        *validate_element(block.get("element"), f"{path}.element"),
    ]


def _rich_text(block: dict[str, Any], path: str) -> list[str]:
    return check_count(block.get("elements"), f"{path}.elements", 1, 10_000)


def _image(block: dict[str, Any], path: str) -> list[str]:
    return [
        *validate_element({**block, "type": "image"}, path),
        *check_text(block.get("title"), f"{path}.title", 2000, types=PLAIN, required=False),
    ]


def _divider(block: dict[str, Any], path: str) -> list[str]:
    return []


_BLOCKS: dict[str, Checker] = {
    "section": _section,
    "actions": _actions,
    "context": _context,
    "header": _header,
    "divider": _divider,
    "input": _input,
    "rich_text": _rich_text,
    "image": _image,
}


def validate_block(block: object, path: str) -> list[str]:
    if not isinstance(block, dict):
        return [f"{path}: must be an object"]
    checker = _BLOCKS.get(str(block.get("type")))
    if checker is None:
        return [f"{path}.type: unknown block type {block.get('type')!r}"]
    return check_string(block.get("block_id"), f"{path}.block_id", 255) + checker(block, path)


def validate_blocks(blocks: object, *, max_blocks: int, path: str = "blocks") -> list[str]:
    """A list of blocks: each valid, at most `max_blocks`, block_ids unique."""
    if not isinstance(blocks, list):
        return [f"{path}: must be a list of blocks"]
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"{path}: must have at most {max_blocks} blocks (got {len(blocks)})")
    for i, block in enumerate(blocks):
        problems += validate_block(block, f"{path}[{i}]")
    block_ids = Counter(b["block_id"] for b in blocks if isinstance(b, dict) and "block_id" in b)
    return problems + [
        f"{path}: block_id {block_id!r} is used more than once"
        for block_id, n in sorted(block_ids.items(), key=str)
        if n > 1
    ]


def validate_message(text: object, blocks: object) -> list[str]:
    """The text and blocks of chat.postMessage / chat.update / chat.postEphemeral."""
    problems = check_string(text, "text", MAX_MESSAGE_TEXT)
    if blocks is not None:
        problems += validate_blocks(blocks, max_blocks=MAX_MESSAGE_BLOCKS)
    return problems


def _modal(view: dict[str, Any]) -> list[str]:
    problems = [
        *check_text(view.get("title"), "view.title", MAX_MODAL_TITLE, types=PLAIN),
        *check_text(view.get("submit"), "view.submit", 24, types=PLAIN, required=False),
        *check_text(view.get("close"), "view.close", 24, types=PLAIN, required=False),
    ]
    blocks = view.get("blocks")
    has_input = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if has_input and view.get("submit") is None:
        problems.append("view.submit: is required when the modal has input blocks")
    return problems


def validate_view(view: object, *, expected: str | None = None) -> list[str]:
    """A home tab or modal view; `expected` pins the type the API method accepts."""
    if not isinstance(view, dict):
        return ["view: must be an object"]
    kind = view.get("type")
    if kind not in ("home", "modal"):
        return [f"view.type: must be home or modal (got {kind!r})"]
    problems: list[str] = []
    if expected is not None and kind != expected:
        problems.append(f"view.type: this method needs a {expected} view (got {kind!r})")
    problems += validate_blocks(view.get("blocks"), max_blocks=MAX_VIEW_BLOCKS, path="view.blocks")
    problems += check_string(view.get("callback_id"), "view.callback_id", 255)
    problems += check_string(view.get("private_metadata"), "view.private_metadata", 3000)
    problems += check_string(view.get("external_id"), "view.external_id", 255)
    return problems + (_modal(view) if kind == "modal" else [])
