"""Fault injection, the workspace rate limit, latency and wait_for."""

from __future__ import annotations

import threading
import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from bot.sandbox import SandboxUser, SlackSandbox

AMARA = SandboxUser("U0PROD001", "Amara Okafor")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_fail_next_429_sends_retry_after(sandbox: SlackSandbox, client: WebClient) -> None:
    sandbox.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="U0PROD001", text="Hi")
    response = excinfo.value.response
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response["error"] == "ratelimited"
    assert client.chat_postMessage(channel="U0PROD001", text="Hi again")["ok"]
    failed, succeeded = sandbox.calls_to("chat.postMessage")
    assert (failed.ok, failed.error, succeeded.ok) == (False, "ratelimited", True)
    assert [m["text"] for m in sandbox.messages("D0PROD001")] == ["Hi again"]


def test_fail_next_500_answers_plain_internal_error(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    sandbox.fail_next("users.info", status=500, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.users_info(user="U0PROD001")
        assert excinfo.value.response.status_code == 500
        assert "internal error" in str(excinfo.value)
    assert client.users_info(user="U0PROD001")["ok"]
    assert [c.error for c in sandbox.calls_to("users.info")] == ["http_500", "http_500", None]


def test_a_500_is_retried_by_slack_sdks_server_error_handler(sandbox: SlackSandbox) -> None:
    handler = ServerErrorRetryHandler(
        max_retry_count=1, interval_calculator=FixedValueRetryIntervalCalculator(0.0)
    )
    client = WebClient(token="xoxb-sandbox-test", base_url=sandbox.base_url)
    client.retry_handlers = [handler]
    sandbox.fail_next("chat.postMessage", status=503)
    assert client.chat_postMessage(channel="U0PROD001", text="Hi")["ok"]
    assert [c.ok for c in sandbox.calls_to("chat.postMessage")] == [False, True]


@pytest.mark.parametrize("error", ["user_not_found", "account_inactive", "channel_not_found"])
def test_fail_next_with_an_error_string(
    sandbox: SlackSandbox, client: WebClient, error: str
) -> None:
    sandbox.fail_next("chat.postMessage", status=200, error=error)
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="U0PROD001", text="Hi")
    assert excinfo.value.response.status_code == 200
    assert excinfo.value.response.data == {"ok": False, "error": error}
    assert sandbox.calls[-1].error == error


def test_faults_only_hit_their_method(sandbox: SlackSandbox, client: WebClient) -> None:
    sandbox.fail_next("users.list", status=500)
    assert client.chat_postMessage(channel="U0PROD001", text="Hi")["ok"]
    with pytest.raises(SlackApiError):
        client.users_list()


def test_post_message_rate_limit_uses_a_sliding_window(token: str) -> None:
    clock = FakeClock()
    with SlackSandbox(users=[AMARA], post_message_per_minute=3, clock=clock) as sandbox:
        client = WebClient(token=token, base_url=sandbox.base_url, retry_handlers=[])
        for second in (0, 10, 20):
            clock.now = 1000.0 + second
            client.chat_postMessage(channel="U0PROD001", text=f"at {second}")
        clock.now = 1030.5
        with pytest.raises(SlackApiError) as excinfo:
            client.chat_postMessage(channel="U0PROD001", text="too soon")
        assert excinfo.value.response.status_code == 429
        assert excinfo.value.response.headers["Retry-After"] == "30"
        assert client.users_list()["ok"], "only chat.postMessage is limited"
        clock.now = 1060.0
        assert client.chat_postMessage(channel="U0PROD001", text="slot freed")["ok"]
        clock.now = 1069.9
        with pytest.raises(SlackApiError) as again:
            client.chat_postMessage(channel="U0PROD001", text="still full")
        assert again.value.response.headers["Retry-After"] == "1"
        calls = sandbox.calls_to("chat.postMessage")
    assert [c.error for c in calls] == [None, None, None, "ratelimited", None, "ratelimited"]
    assert calls[3].at == 1030.5
    assert len(sandbox.messages("D0PROD001")) == 4


def test_rate_limit_must_allow_something() -> None:
    with pytest.raises(ValueError):
        SlackSandbox(post_message_per_minute=0)


def test_wait_for_returns_calls_made_by_another_thread(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    def post_three() -> None:
        for text in ("one", "two", "three"):
            client.chat_postMessage(channel="U0PROD001", text=text)

    worker = threading.Thread(target=post_three)
    worker.start()
    calls = sandbox.wait_for("chat.postMessage", 3, timeout=10)
    worker.join()
    assert [c.params["text"] for c in calls] == ["one", "two", "three"]
    [two] = sandbox.wait_for("chat.postMessage", where=lambda c: c.params["text"] == "two")
    assert two.ok


def test_wait_for_ignores_failures_and_explains_timeouts(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    sandbox.fail_next("chat.postMessage", status=429)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="U0PROD001", text="Hi")
    client.auth_test()
    with pytest.raises(TimeoutError) as excinfo:
        sandbox.wait_for("chat.postMessage", timeout=0.05)
    message = str(excinfo.value)
    assert "1 successful chat.postMessage" in message and "got 0" in message
    assert "auth.test x1" in message and "chat.postMessage (failed: ratelimited) x1" in message


def test_latency_is_added_to_every_call(token: str) -> None:
    with SlackSandbox(latency=0.05) as sandbox:
        client = WebClient(token=token, base_url=sandbox.base_url)
        started = time.monotonic()
        client.auth_test()
        assert time.monotonic() - started >= 0.05
