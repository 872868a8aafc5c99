"""Slack's documented limits for Block Kit text objects, options and elements.

Each check is a pure function returning human-readable problems; an empty list means valid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

PLAIN = ("plain_text",)
ANY_TEXT = ("plain_text", "mrkdwn")
BUTTON_STYLES = ("primary", "danger")

Checker = Callable[[dict[str, Any], str], list[str]]

ELEMENT_TYPES = frozenset(
    {
        "button",
        "checkboxes",
        "radio_buttons",
        "static_select",
        "multi_static_select",
        "overflow",
        "datepicker",
        "datetimepicker",
        "timepicker",
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
        "file_input",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
        "external_select",
        "multi_external_select",
        "image",
        "workflow_button",
    }
)


def check_string(
    value: object, path: str, limit: int | None, *, required: bool = False
) -> list[str]:
    """A string of at most `limit` characters (None: no limit); required ones must be non-empty."""
    if value is None:
        return [f"{path}: is required"] if required else []
    if not isinstance(value, str):
        return [f"{path}: must be a string"]
    if required and not value:
        return [f"{path}: must not be empty"]
    if limit is not None and len(value) > limit:
        return [f"{path}: must be at most {limit} characters (got {len(value)})"]
    return []


def check_text(
    obj: object,
    path: str,
    limit: int | None,
    *,
    types: Sequence[str] = ANY_TEXT,
    required: bool = True,
) -> list[str]:
    """A text object {"type": ..., "text": ...} of one of `types`."""
    if obj is None:
        return [f"{path}: is required"] if required else []
    if not isinstance(obj, dict):
        return [f"{path}: must be a text object"]
    if obj.get("type") not in types:
        return [f"{path}.type: must be {' or '.join(types)} (got {obj.get('type')!r})"]
    return check_string(obj.get("text"), f"{path}.text", limit, required=True)


def check_count(items: object, path: str, low: int, high: int) -> list[str]:
    """A list holding between `low` and `high` items."""
    if not isinstance(items, list):
        return [f"{path}: must be a list"]
    if len(items) < low:
        return [f"{path}: must have at least {low} item(s) (got {len(items)})"]
    if len(items) > high:
        return [f"{path}: must have at most {high} item(s) (got {len(items)})"]
    return []


def check_option(option: object, path: str, text_types: Sequence[str]) -> list[str]:
    if not isinstance(option, dict):
        return [f"{path}: must be an object"]
    return [
        *check_text(option.get("text"), f"{path}.text", 75, types=text_types),
        *check_string(option.get("value"), f"{path}.value", 150, required=True),
        *check_text(
            option.get("description"), f"{path}.description", 75, types=text_types, required=False
        ),
        *check_string(option.get("url"), f"{path}.url", 3000),
    ]


def check_options(
    options: object, path: str, low: int, high: int, text_types: Sequence[str]
) -> list[str]:
    problems = check_count(options, path, low, high)
    if not isinstance(options, list):
        return problems
    for i, option in enumerate(options):
        problems += check_option(option, f"{path}[{i}]", text_types)
    return problems + check_unique_values(options, path)


def check_unique_values(options: list[Any], path: str) -> list[str]:
    values = [o.get("value") for o in options if isinstance(o, dict) and "value" in o]
    duplicates = sorted({str(v) for v in values if values.count(v) > 1})
    return [f"{path}: option value {v!r} is used more than once" for v in duplicates]


def _option_key(option: object) -> tuple[object, object]:
    if not isinstance(option, dict):
        return (None, None)
    text = option.get("text")
    return (option.get("value"), text.get("text") if isinstance(text, dict) else None)


def check_initial(element: dict[str, Any], options: list[Any], path: str) -> list[str]:
    """Slack rejects initial options that are not exactly one of the element's options."""
    known = {_option_key(o) for o in options}
    chosen = element.get("initial_options", [])
    if "initial_option" in element:
        chosen = [element["initial_option"]]
    if not isinstance(chosen, list):
        return [f"{path}.initial_options: must be a list"]
    return [
        f"{path}: initial option {_option_key(o)[0]!r} is not one of its options"
        for o in chosen
        if _option_key(o) not in known
    ]


def _button(element: dict[str, Any], path: str) -> list[str]:
    problems = [
        *check_text(element.get("text"), f"{path}.text", 75, types=PLAIN),
        *check_string(element.get("value"), f"{path}.value", 2000),
        *check_string(element.get("url"), f"{path}.url", 3000),
    ]
    style = element.get("style")
    if style is not None and style not in BUTTON_STYLES:
        problems.append(f"{path}.style: must be primary or danger (got {style!r})")
    return problems


def _choices(low: int, high: int, text_types: Sequence[str]) -> Checker:
    def check(element: dict[str, Any], path: str) -> list[str]:
        options = element.get("options")
        problems = check_options(options, f"{path}.options", low, high, text_types)
        if isinstance(options, list):
            problems += check_initial(element, options, path)
        return problems

    return check


def _grouped_options(element: dict[str, Any], path: str) -> list[str]:
    groups = element.get("option_groups")
    problems = check_count(groups, f"{path}.option_groups", 1, 100)
    if not isinstance(groups, list):
        return problems
    every: list[Any] = []
    for i, group in enumerate(groups):
        where = f"{path}.option_groups[{i}]"
        if not isinstance(group, dict):
            problems.append(f"{where}: must be an object")
            continue
        problems += check_text(group.get("label"), f"{where}.label", 75, types=PLAIN)
        options = group.get("options")
        problems += check_options(options, f"{where}.options", 1, 100, PLAIN)
        every += options if isinstance(options, list) else []
    return (
        problems
        + check_unique_values(every, f"{path}.option_groups")
        + check_initial(element, every, path)
    )


def _static_select(element: dict[str, Any], path: str) -> list[str]:
    problems = check_text(
        element.get("placeholder"), f"{path}.placeholder", 150, types=PLAIN, required=False
    )
    if "option_groups" in element and "options" not in element:
        return problems + _grouped_options(element, path)
    return problems + _choices(1, 100, PLAIN)(element, path)


def _image(element: dict[str, Any], path: str) -> list[str]:
    problems = check_string(element.get("alt_text"), f"{path}.alt_text", 2000, required=True)
    if "image_url" not in element and "slack_file" not in element:
        problems.append(f"{path}: needs image_url or slack_file")
    return problems + check_string(element.get("image_url"), f"{path}.image_url", 3000)


_CHECKERS: dict[str, Checker] = {
    "button": _button,
    "checkboxes": _choices(1, 10, ANY_TEXT),
    "radio_buttons": _choices(1, 10, ANY_TEXT),
    "static_select": _static_select,
    "multi_static_select": _static_select,
    "overflow": _choices(2, 5, PLAIN),
    "image": _image,
}


def validate_element(element: object, path: str) -> list[str]:
    """An interactive or image element, as used in actions, input and section accessories."""
    if not isinstance(element, dict):
        return [f"{path}: must be an object"]
    kind = element.get("type")
    if kind not in ELEMENT_TYPES:
        return [f"{path}.type: unknown element type {kind!r}"]
    problems = check_string(element.get("action_id"), f"{path}.action_id", 255)
    checker = _CHECKERS.get(str(kind))
    return problems + (checker(element, path) if checker else [])
