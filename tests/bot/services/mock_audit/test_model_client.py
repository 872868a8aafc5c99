from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest

from bot.services.mock_audit.model_client import ModelClient, chat_completions_url
from tests.bot.services.mock_audit.model_server import FakeModel, running_fake_model

QUESTION = "What do you do with a faulty part?"
POINTS = ("Tag it", "Quarantine it", "Tell quality")
REPLY = "I'd red tag it and maybe let my supervisor know"
KEY = "sk-company-model-key"


@pytest.fixture
def model() -> Iterator[FakeModel]:
    with running_fake_model() as running:
        yield running


def ask(client: ModelClient) -> tuple[bool, ...] | None:
    return client.points_said(question=QUESTION, key_points=POINTS, reply=REPLY)


def test_it_posts_the_fixed_prompt_to_the_chat_completions_endpoint(model: FakeModel) -> None:
    model.says(True, False, True)
    assert ask(ModelClient(url=model.base_url, model="llama3.1")) == (True, False, True)
    [request] = model.requests
    assert request.path == "/v1/chat/completions"
    assert request.body["model"] == "llama3.1"
    assert request.body["temperature"] == 0
    assert request.body["response_format"] == {"type": "json_object"}
    system, user = request.body["messages"]
    assert "JSON only" in system["content"]
    for said in (QUESTION, *POINTS, REPLY):
        assert said in user["content"]


def test_without_a_model_name_it_asks_for_the_default_one(model: FakeModel) -> None:
    model.says(True, True, True)
    ask(ModelClient(url=model.base_url))
    assert model.requests[0].body["model"] == "default"


def test_the_full_chat_completions_url_does_as_well(model: FakeModel) -> None:
    model.says(False, False, False)
    assert ask(ModelClient(url=f"{model.base_url}/chat/completions/")) == (False, False, False)
    assert model.requests[0].path == "/v1/chat/completions"


@pytest.mark.parametrize(
    ("setting", "endpoint"),
    [
        ("http://localhost:11434/v1", "http://localhost:11434/v1/chat/completions"),
        ("http://localhost:8000/v1/", "http://localhost:8000/v1/chat/completions"),
        ("http://gpu-box:8080/v1/chat/completions", "http://gpu-box:8080/v1/chat/completions"),
    ],
)
def test_the_setting_may_be_the_base_url_or_the_endpoint(setting: str, endpoint: str) -> None:
    assert chat_completions_url(setting) == endpoint


def test_a_key_goes_as_a_bearer_token_and_none_goes_without_one(model: FakeModel) -> None:
    model.says(True, True, True)
    ask(ModelClient(url=model.base_url, key=KEY))
    ask(ModelClient(url=model.base_url))
    with_key, without = (r.headers for r in model.requests)
    assert with_key["Authorization"] == f"Bearer {KEY}"
    assert "Authorization" not in without


def test_a_fenced_answer_is_read(model: FakeModel) -> None:
    model.says(True, False, False)
    model.content = f"```json\n{model.content}\n```"
    assert ask(ModelClient(url=model.base_url)) == (True, False, False)


def test_a_model_slower_than_the_timeout_gives_no_opinion(
    model: FakeModel, caplog: pytest.LogCaptureFixture
) -> None:
    model.says(True, True, True)
    model.delay = 3.0
    assert ask(ModelClient(url=model.base_url, timeout=0.5)) is None
    assert "no answer within 0.5 s" in caplog.text


@pytest.mark.parametrize(
    ("status", "raw", "content", "logged"),
    [
        (500, None, "{}", "HTTP 500"),
        (404, None, "{}", "HTTP 404"),
        (200, b"<html>Bad gateway</html>", "", "not in the chat-completions shape"),
        (200, b'{"choices": []}', "", "not in the chat-completions shape"),
        (200, None, "Points 1 and 3 are made.", "not the JSON asked for"),
        (200, None, '{"points": [{"point": 1, "said": true}]}', "not the JSON asked for"),
    ],
)
def test_an_error_or_a_malformed_answer_gives_no_opinion(
    model: FakeModel,
    caplog: pytest.LogCaptureFixture,
    status: int,
    raw: bytes | None,
    content: str,
    logged: str,
) -> None:
    model.status, model.raw, model.content = status, raw, content
    assert ask(ModelClient(url=model.base_url)) is None
    assert logged in caplog.text


def test_a_model_that_is_not_running_gives_no_opinion(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert ask(ModelClient(url=f"http://127.0.0.1:{port}/v1", timeout=0.5)) is None
    assert "ConnectError" in caplog.text


def test_the_warning_is_one_line_without_the_reply_or_the_key(
    model: FakeModel, caplog: pytest.LogCaptureFixture
) -> None:
    model.status = 500
    with caplog.at_level(logging.DEBUG, logger="bot.services.mock_audit.model_client"):
        ask(ModelClient(url=model.base_url, key=KEY))
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert "\n" not in message
    assert REPLY not in message and KEY not in message
    assert message.startswith(f"model at 127.0.0.1:{model.port} gave no second opinion: HTTP 500")
