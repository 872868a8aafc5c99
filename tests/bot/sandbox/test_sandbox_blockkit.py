"""Block Kit limits: each rule rejects a payload just over the limit and accepts one at it."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox.blockkit import validate_message, validate_view


def plain(n: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": "x" * n}


def mrkdwn(n: int) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": "x" * n}


def section(n: int = 10, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(n), **extra}


def button(**overrides: Any) -> dict[str, Any]:
    return {"type": "button", "text": plain(5), "action_id": "go", **overrides}


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def option(value: str = "v", text: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"text": text or plain(5), "value": value, **extra}


def options(n: int) -> list[dict[str, Any]]:
    return [option(f"v{i}") for i in range(n)]


def choice(kind: str, opts: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return actions({"type": kind, "action_id": "pick", "options": opts, **extra})


def context(n: int) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(3) for _ in range(n)]}


# (rule, blocks at the limit, blocks just over it, fragment of the expected problem)
MESSAGE_RULES: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]], str]] = [
    ("max 50 blocks", [section()] * 50, [section()] * 51, "at most 50 blocks"),
    ("section text 3000", [section(3000)], [section(3001)], "blocks[0].text.text"),
    (
        "section plain text 3000",
        [{"type": "section", "text": plain(3000)}],
        [{"type": "section", "text": plain(3001)}],
        "at most 3000",
    ),
    (
        "section 10 fields",
        [{"type": "section", "fields": [mrkdwn(5)] * 10}],
        [{"type": "section", "fields": [mrkdwn(5)] * 11}],
        "at most 10",
    ),
    (
        "section field 2000",
        [{"type": "section", "fields": [mrkdwn(2000)]}],
        [{"type": "section", "fields": [mrkdwn(2001)]}],
        "fields[0].text",
    ),
    (
        "section needs text or fields",
        [{"type": "section", "text": mrkdwn(1)}],
        [{"type": "section"}],
        "needs text or fields",
    ),
    (
        "section accessory is an element",
        [section(accessory=button(text=plain(75)))],
        [section(accessory=button(text=plain(76)))],
        "accessory.text.text",
    ),
    (
        "header 150 plain_text",
        [{"type": "header", "text": plain(150)}],
        [{"type": "header", "text": plain(151)}],
        "at most 150",
    ),
    (
        "header is plain_text only",
        [{"type": "header", "text": plain(5)}],
        [{"type": "header", "text": mrkdwn(5)}],
        "must be plain_text",
    ),
    ("context max 10", [context(10)], [context(11)], "at most 10"),
    ("context min 1", [context(1)], [context(0)], "at least 1"),
    (
        "actions max 25",
        [actions(*[button(action_id=f"a{i}") for i in range(25)])],
        [actions(*[button(action_id=f"a{i}") for i in range(26)])],
        "at most 25",
    ),
    ("actions min 1", [actions(button())], [actions()], "at least 1"),
    (
        "block_id 255",
        [section(block_id="b" * 255)],
        [section(block_id="b" * 256)],
        "block_id",
    ),
    (
        "block_id unique",
        [section(block_id="a"), section(block_id="b")],
        [section(block_id="a"), section(block_id="a")],
        "block_id 'a' is used more than once",
    ),
    (
        "button text 75",
        [actions(button(text=plain(75)))],
        [actions(button(text=plain(76)))],
        "text.text",
    ),
    (
        "button text is plain_text",
        [actions(button(text=plain(5)))],
        [actions(button(text=mrkdwn(5)))],
        "must be plain_text",
    ),
    (
        "button value 2000",
        [actions(button(value="v" * 2000))],
        [actions(button(value="v" * 2001))],
        ".value",
    ),
    (
        "button url 3000",
        [actions(button(url="u" * 3000))],
        [actions(button(url="u" * 3001))],
        ".url",
    ),
    (
        "action_id 255",
        [actions(button(action_id="a" * 255))],
        [actions(button(action_id="a" * 256))],
        ".action_id",
    ),
    (
        "button style",
        [actions(button(style="danger"), button(action_id="b", style="primary"))],
        [actions(button(style="secondary"))],
        "primary or danger",
    ),
    (
        "action_id unique within a block",
        [actions(button(action_id="a"), button(action_id="b"))],
        [actions(button(action_id="a"), button(action_id="a"))],
        "action_id 'a' is used more than once",
    ),
    (
        "checkboxes max 10",
        [choice("checkboxes", options(10))],
        [choice("checkboxes", options(11))],
        "at most 10",
    ),
    (
        "checkboxes min 1",
        [choice("checkboxes", options(1))],
        [choice("checkboxes", [])],
        "at least 1",
    ),
    (
        "radio_buttons max 10",
        [choice("radio_buttons", options(10))],
        [choice("radio_buttons", options(11))],
        "at most 10",
    ),
    (
        "static_select max 100",
        [choice("static_select", options(100))],
        [choice("static_select", options(101))],
        "at most 100",
    ),
    (
        "static_select min 1",
        [choice("static_select", options(1))],
        [choice("static_select", [])],
        "at least 1",
    ),
    (
        "option text 75",
        [choice("radio_buttons", [option(text=plain(75))])],
        [choice("radio_buttons", [option(text=plain(76))])],
        "options[0].text.text",
    ),
    (
        "checkbox option text may be mrkdwn",
        [choice("checkboxes", [option(text=mrkdwn(75))])],
        [choice("checkboxes", [option(text=mrkdwn(76))])],
        "at most 75",
    ),
    (
        "select option text is plain_text",
        [choice("static_select", [option(text=plain(5))])],
        [choice("static_select", [option(text=mrkdwn(5))])],
        "must be plain_text",
    ),
    (
        "option value 150",
        [choice("checkboxes", [option("v" * 150)])],
        [choice("checkboxes", [option("v" * 151)])],
        "options[0].value",
    ),
    (
        "option description 75",
        [choice("checkboxes", [option(description=plain(75))])],
        [choice("checkboxes", [option(description=plain(76))])],
        "description.text",
    ),
    (
        "option values unique",
        [choice("radio_buttons", [option("a"), option("b")])],
        [choice("radio_buttons", [option("a"), option("a")])],
        "'a' is used more than once",
    ),
    (
        "initial option must be one of the options",
        [choice("radio_buttons", options(2), initial_option=option("v1"))],
        [choice("radio_buttons", options(2), initial_option=option("v9"))],
        "not one of its options",
    ),
    ("known block types", [{"type": "divider"}], [{"type": "banner"}], "unknown block type"),
    (
        "known element types",
        [actions(button())],
        [actions({"type": "slider"})],
        "unknown element type",
    ),
]


@pytest.mark.parametrize(
    ("at_limit", "over_limit", "fragment"),
    [rule[1:] for rule in MESSAGE_RULES],
    ids=[rule[0] for rule in MESSAGE_RULES],
)
def test_message_block_rules(
    at_limit: list[dict[str, Any]], over_limit: list[dict[str, Any]], fragment: str
) -> None:
    assert validate_message("fallback", at_limit) == []
    problems = validate_message("fallback", over_limit)
    assert problems, "expected the over-limit payload to be rejected"
    assert any(fragment in problem for problem in problems), problems


def test_message_text_is_at_most_40000_characters() -> None:
    assert validate_message("x" * 40_000, None) == []
    assert validate_message("x" * 40_001, None) == [
        "text: must be at most 40000 characters (got 40001)"
    ]


def test_blocks_must_be_a_list_of_objects() -> None:
    assert validate_message(None, "not json") == ["blocks: must be a list of blocks"]
    assert validate_message(None, ["section"]) == ["blocks[0]: must be an object"]


def test_every_supported_block_type_is_accepted() -> None:
    blocks = [
        section(),
        actions(button()),
        context(1),
        {"type": "header", "text": plain(5)},
        {"type": "divider"},
        {"type": "input", "label": plain(5), "element": {"type": "plain_text_input"}},
        {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": []}]},
        {"type": "image", "image_url": "https://example.com/a.png", "alt_text": "a"},
    ]
    assert validate_message(None, blocks) == []


def home(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "home", "blocks": blocks}


def modal(blocks: list[dict[str, Any]], title: int = 10, **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": plain(title), "blocks": blocks, **extra}


VIEW_RULES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("home max 100 blocks", home([section()] * 100), home([section()] * 101), "at most 100"),
    ("modal max 100 blocks", modal([section()] * 100), modal([section()] * 101), "at most 100"),
    ("modal title 24", modal([], title=24), modal([], title=25), "view.title.text"),
    ("modal needs a title", modal([]), {"type": "modal", "blocks": []}, "view.title: is required"),
    ("view type", home([]), {"type": "workflow_step", "blocks": []}, "home or modal"),
    (
        "modal with inputs needs submit",
        modal(
            [{"type": "input", "label": plain(3), "element": {"type": "plain_text_input"}}],
            submit=plain(6),
        ),
        modal([{"type": "input", "label": plain(3), "element": {"type": "plain_text_input"}}]),
        "view.submit",
    ),
    (
        "view blocks are validated",
        home([section(3000)]),
        home([section(3001)]),
        "view.blocks[0].text.text",
    ),
    (
        "block_id unique in a view",
        home([section(block_id="a"), section(block_id="b")]),
        home([section(block_id="a"), section(block_id="a")]),
        "used more than once",
    ),
]


@pytest.mark.parametrize(
    ("at_limit", "over_limit", "fragment"),
    [rule[1:] for rule in VIEW_RULES],
    ids=[rule[0] for rule in VIEW_RULES],
)
def test_view_rules(at_limit: dict[str, Any], over_limit: dict[str, Any], fragment: str) -> None:
    assert validate_view(at_limit) == []
    problems = validate_view(over_limit)
    assert problems, "expected the over-limit view to be rejected"
    assert any(fragment in problem for problem in problems), problems


def test_view_type_must_match_the_method() -> None:
    assert validate_view(home([]), expected="home") == []
    assert validate_view(modal([]), expected="home") == [
        "view.type: this method needs a home view (got 'modal')"
    ]
