"""Fuzzed requests, correctly signed, sent to /slack/events: random JSON and form bodies,
Slack's own shapes with wrong types, missing fields and huge strings. None may answer 500,
and none may store a record. (The e2e fixture also fails a test that logged an error: a
listener may not choke on them either, since the edge refuses what Slack would never send.)
"""

from __future__ import annotations

import json
import os
import re
from typing import Any
from urllib.parse import urlencode

import hypothesis.strategies as st
from hypothesis import HealthCheck, Phase, example, given, settings

from bot.sandbox.requests import APP_ID, FORM, JSON, TEAM_ID
from storage import models
from tests.e2e.harness import E2E
from tests.e2e.workspace import AMARA, GRACE

COUNTED = (models.Answer, models.Delivery, models.Person, models.Round)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: slow over HTTP
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values of every JSON type, some of them huge; ids the app knows mixed in, so some requests
# get past the workspace check and into the listeners.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from([TEAM_ID, AMARA.id, GRACE.id, APP_ID, "answer:1", "quiz.answer.a", ""]),
    st.just("x" * 200_000),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
form_values = st.one_of(st.text(max_size=40), st.sampled_from(["/quiz", "/awareness", TEAM_ID]))


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A field that may be right, of the wrong type, or missing (None drops it below)."""
    return st.one_of(value, json_values, st.none())


def _shaped(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


team = _shaped({"id": _maybe(st.just(TEAM_ID)), "domain": _maybe(st.text(max_size=10))})
user = _shaped(
    {"id": _maybe(st.sampled_from([AMARA.id, GRACE.id])), "team_id": _maybe(st.just(TEAM_ID))}
)
action = _shaped(
    {
        "action_id": _maybe(st.sampled_from(["quiz.answer.a", "quiz.submit", "gaps.department"])),
        "block_id": _maybe(st.sampled_from(["answer:1", "answer:x", "gaps"])),
        "value": _maybe(st.text(max_size=20)),
        "type": _maybe(st.sampled_from(["button", "checkboxes"])),
    }
)
interaction = _shaped(
    {
        "type": _maybe(st.sampled_from(["block_actions", "view_submission", "shortcut"])),
        "team": _maybe(team),
        "user": _maybe(user),
        "api_app_id": _maybe(st.just(APP_ID)),
        "actions": _maybe(st.lists(action, max_size=2)),
        "view": _maybe(
            _shaped({"callback_id": _maybe(st.text(max_size=20)), "state": json_values})
        ),
        "container": _maybe(json_values),
        "message": _maybe(json_values),
        "channel": _maybe(json_values),
    }
)
event = _shaped(
    {
        "type": _maybe(st.sampled_from(["app_home_opened", "message", "app_mention"])),
        "user": _maybe(st.sampled_from([AMARA.id, GRACE.id])),
        "channel": _maybe(st.text(max_size=12)),
        "tab": _maybe(st.sampled_from(["home", "messages"])),
        "text": _maybe(st.text(max_size=60)),
        "ts": _maybe(st.text(max_size=20)),
        "thread_ts": _maybe(st.text(max_size=20)),
    }
)
envelope = _shaped(
    {
        "type": _maybe(st.sampled_from(["event_callback", "url_verification"])),
        "team_id": _maybe(st.just(TEAM_ID)),
        "api_app_id": _maybe(st.just(APP_ID)),
        "event_id": _maybe(st.text(max_size=12)),
        "event": _maybe(event),
        "challenge": _maybe(st.text(max_size=12)),
        "authorizations": _maybe(st.lists(_shaped({"team_id": _maybe(st.just(TEAM_ID))}))),
    }
)
command = _shaped(
    {
        "team_id": st.one_of(st.just(TEAM_ID), form_values, st.none()),
        "user_id": st.one_of(st.sampled_from([AMARA.id, GRACE.id]), form_values, st.none()),
        "command": st.one_of(st.sampled_from(["/quiz", "/awareness"]), form_values, st.none()),
        # Nothing that asks for a question, which would rightly store a delivery.
        "text": st.sampled_from(["help", "pause", "department", "schedule x"]),
        "channel_id": st.one_of(form_values, st.none()),
        "trigger_id": st.one_of(form_values, st.none()),
    }
)


def _counts(e2e: E2E) -> dict[str, int]:
    e2e.settle()
    return {model.__name__: e2e.count(model) for model in COUNTED}


def _send(e2e: E2E, body: str, content_type: str) -> None:
    before = _counts(e2e)
    response = e2e.slack.post(body, content_type=content_type)
    assert response.status_code < 500, (response.status_code, response.text, _short(body))
    assert _counts(e2e) == before, _short(body)


def _short(body: str) -> str:
    """The body for a failure message, its huge strings cut down to their length."""
    return re.sub(r"x{100,}", lambda m: f"<x * {len(m.group())}>", body)[:2000]


@FUZZ
@given(body=json_values)
def test_random_json_bodies(e2e: E2E, body: Any) -> None:
    _send(e2e, json.dumps(body), JSON)


@FUZZ
@given(body=st.one_of(envelope, envelope.map(lambda e: {**e, "type": "event_callback"})))
# Found by this test: a "user" that is a number made Bolt's request parsing raise a TypeError.
@example(
    body={
        "type": "url_verification",
        "api_app_id": APP_ID,
        "challenge": "x",
        "event": {"text": "hi", "user": 3194979774},
    }
)
@example(
    body={
        "type": "event_callback",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event_id": "Ev1",
        "event": {"type": "app_home_opened", "user": 7},
    }
)
def test_events_api_envelopes_with_wrong_and_missing_fields(e2e: E2E, body: dict[str, Any]) -> None:
    _send(e2e, json.dumps(body), JSON)


@FUZZ
@given(payload=st.one_of(interaction, json_values))
def test_interaction_payloads_with_wrong_and_missing_fields(e2e: E2E, payload: Any) -> None:
    _send(e2e, urlencode({"payload": json.dumps(payload)}), FORM)


@FUZZ
@given(
    fields=st.one_of(command, st.dictionaries(form_values, form_values, max_size=6)),
    raw=st.one_of(st.none(), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))),
)
def test_form_bodies_and_slash_commands(e2e: E2E, fields: dict[str, str], raw: str | None) -> None:
    _send(e2e, raw if raw is not None else urlencode(fields), FORM)
