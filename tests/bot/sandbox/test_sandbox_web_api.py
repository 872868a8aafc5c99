"""The sandbox's Web API, driven through slack_sdk's real WebClient."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SandboxUser, SlackSandbox

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*Evidence due*"}}


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> Any:
    return excinfo.value.response["error"]


def raw_call(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_auth_test_names_the_bot(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["ok"] is True
    assert answer["team_id"] == "T0BRIGHT"
    assert answer["user_id"] == "U0BOT0001"
    assert answer["bot_id"]


def test_users_list_paginates_and_includes_slackbot(token: str) -> None:
    people = [SandboxUser(f"U0PAGE{i:03d}", f"Person Number{i}") for i in range(5)]
    with SlackSandbox(users=people, page_size=2) as sandbox:
        client = WebClient(token=token, base_url=sandbox.base_url, retry_handlers=[])
        members: list[dict[str, Any]] = []
        sizes: list[int] = []
        # SlackResponse pagination reuses one object, so read each page as it arrives.
        for page in client.users_list(limit=100):
            members += page["members"]
            sizes.append(len(page["members"]))
            last_cursor = page["response_metadata"]["next_cursor"]
        calls = sandbox.calls_to("users.list")
    assert sizes == [2, 2, 2]
    assert last_cursor == ""
    assert [m["id"] for m in members] == [p.id for p in people] + ["USLACKBOT"]
    slackbot = members[-1]
    assert (slackbot["name"], slackbot["is_bot"], slackbot["deleted"]) == ("slackbot", False, False)
    assert len(calls) == 3 and all(call.ok for call in calls)


def test_users_list_limit_below_page_size_wins(client: WebClient) -> None:
    first = client.users_list(limit=4)
    assert len(first["members"]) == 4
    rest = client.users_list(limit=4, cursor=first["response_metadata"]["next_cursor"])
    assert [m["id"] for m in rest["members"]] == ["U0PROD005", "USLACKBOT"]
    with pytest.raises(SlackApiError) as excinfo:
        client.users_list(cursor="not-a-cursor")
    assert error_of(excinfo) == "invalid_cursor"


def test_users_list_without_slackbot(token: str) -> None:
    with SlackSandbox(users=[SandboxUser("U1", "Solo Person")], include_slackbot=False) as sandbox:
        members = WebClient(token=token, base_url=sandbox.base_url).users_list()["members"]
    assert [m["id"] for m in members] == ["U1"]


def test_users_list_over_http_get_with_query_params(sandbox: SlackSandbox, token: str) -> None:
    answer = raw_call(
        f"{sandbox.base_url}users.list?limit=2", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer["ok"] is True
    assert len(answer["members"]) == 2
    assert sandbox.calls_to("users.list")[0].params == {"limit": "2"}


def test_users_info_and_lookup_by_email(client: WebClient) -> None:
    user = client.users_info(user="U0PROD001")["user"]
    assert user["name"] == "amara.okafor"
    assert user["real_name"] == "Amara Okafor"
    assert user["profile"]["email"] == "amara.okafor@brightfield.example"
    found = client.users_lookupByEmail(email="AMARA.OKAFOR@brightfield.example")["user"]
    assert found["id"] == "U0PROD001"
    guest = client.users_info(user="U0PROD003")["user"]
    assert guest["is_restricted"] is True and "email" not in guest["profile"]
    with pytest.raises(SlackApiError) as missing:
        client.users_info(user="U0NOBODY")
    assert error_of(missing) == "user_not_found"
    with pytest.raises(SlackApiError) as unknown_email:
        client.users_lookupByEmail(email="nobody@brightfield.example")
    assert error_of(unknown_email) == "users_not_found"


def test_added_users_are_visible(sandbox: SlackSandbox, client: WebClient) -> None:
    sandbox.add_user(SandboxUser("U0LATE001", "Late Joiner", email="late@brightfield.example"))
    assert client.users_info(user="U0LATE001")["user"]["name"] == "late.joiner"


def test_conversations_open_gives_the_dm_channel(sandbox: SlackSandbox, client: WebClient) -> None:
    channel = client.conversations_open(users="U0PROD002")["channel"]
    assert channel["id"] == sandbox.dm_channel("U0PROD002") == "D0PROD002"
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_open(users="U0PROD004")
    assert error_of(excinfo) == "user_disabled"


def test_dm_post_and_update_are_visible(sandbox: SlackSandbox, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U0PROD001", text="Evidence due", blocks=[SECTION])
    assert posted["channel"] == "D0PROD001"
    assert posted["message"]["blocks"] == [SECTION]
    reply = client.chat_postMessage(channel="D0PROD001", text="Thanks", thread_ts=posted["ts"])
    assert float(reply["ts"]) > float(posted["ts"])

    done = {"type": "section", "text": {"type": "plain_text", "text": "Done"}}
    updated = client.chat_update(channel="D0PROD001", ts=posted["ts"], text="Done", blocks=[done])
    assert updated["message"]["text"] == "Done"

    first, second = sandbox.messages("D0PROD001")
    assert (first["ts"], first["text"], first["blocks"]) == (posted["ts"], "Done", [done])
    assert first["user"] == "U0BOT0001" and first["channel"] == "D0PROD001"
    assert second["thread_ts"] == posted["ts"] and "thread_ts" not in first
    assert sandbox.message("U0PROD001", posted["ts"]) == first
    with pytest.raises(KeyError):
        sandbox.message("D0PROD001", "1.000000")


def test_update_without_blocks_keeps_them(sandbox: SlackSandbox, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U0PROD002", text="Before", blocks=[SECTION])
    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="After")
    message = sandbox.message("D0PROD002", posted["ts"])
    assert (message["text"], message["blocks"]) == ("After", [SECTION])
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel=posted["channel"], ts="1.000100", text="x")
    assert error_of(excinfo) == "message_not_found"


@pytest.mark.parametrize(
    ("channel", "kwargs", "error"),
    [
        ("U0NOBODY", {"text": "hi"}, "channel_not_found"),
        ("C0GENERAL", {"text": "hi"}, "channel_not_found"),
        ("U0PROD004", {"text": "hi"}, "account_inactive"),
        ("D0PROD004", {"text": "hi"}, "account_inactive"),
        pytest.param(
            "U0PROD001",
            {},
            "no_text",
            marks=pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing"),
        ),
    ],
)
def test_post_message_errors(
    client: WebClient, channel: str, kwargs: dict[str, Any], error: str
) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=channel, **kwargs)
    assert error_of(excinfo) == error


def test_invalid_block_kit_is_rejected_and_listed(sandbox: SlackSandbox, client: WebClient) -> None:
    too_long = {"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="U0PROD001", text="Hi", blocks=[too_long])
    assert error_of(excinfo) == "invalid_blocks"
    assert excinfo.value.response["errors"] == [
        "blocks[0].text.text: must be at most 150 characters (got 151)"
    ]
    assert sandbox.messages("D0PROD001") == []
    [rejected] = sandbox.rejected
    assert (rejected.method, rejected.ok, rejected.error) == (
        "chat.postMessage",
        False,
        "invalid_blocks",
    )
    assert rejected.params["blocks"] == [too_long]


def test_update_and_ephemeral_validate_blocks(sandbox: SlackSandbox, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U0PROD001", text="Hi")
    bad = [{"type": "context", "elements": []}]
    with pytest.raises(SlackApiError):
        client.chat_update(channel=posted["channel"], ts=posted["ts"], text="x", blocks=bad)
    with pytest.raises(SlackApiError):
        client.chat_postEphemeral(channel="D0PROD001", user="U0PROD001", text="x", blocks=bad)
    assert [call.method for call in sandbox.rejected] == ["chat.update", "chat.postEphemeral"]
    assert sandbox.message("D0PROD001", posted["ts"])["text"] == "Hi"


def test_post_ephemeral(client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel="D0PROD001", user="U0PROD001", text="Only you")
    assert answer["message_ts"]
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postEphemeral(channel="D0PROD001", user="U0PROD002", text="Not yours")
    assert error_of(excinfo) == "user_not_in_channel"


def test_form_encoded_blocks_are_decoded(sandbox: SlackSandbox, client: WebClient) -> None:
    client.api_call(
        "chat.postMessage",
        params={"channel": "U0PROD001", "text": "Hi", "blocks": json.dumps([SECTION])},
    )
    [call] = sandbox.calls_to("chat.postMessage")
    assert call.params["blocks"] == [SECTION]
    assert sandbox.messages("D0PROD001")[0]["blocks"] == [SECTION]


def test_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("reactions.add", json={"name": "tada"})
    assert error_of(excinfo) == "unknown_method"


def test_missing_token_is_not_authed(sandbox: SlackSandbox) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(base_url=sandbox.base_url, retry_handlers=[]).auth_test()
    assert error_of(excinfo) == "not_authed"
    assert sandbox.calls[0].token is None


def test_wrong_token_is_invalid_auth(sandbox: SlackSandbox) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(token="xoxb-wrong", base_url=sandbox.base_url, retry_handlers=[]).auth_test()
    assert error_of(excinfo) == "invalid_auth"
    [call] = sandbox.calls
    assert (call.token, call.ok, call.error) == ("xoxb-wrong", False, "invalid_auth")


def test_any_token_works_when_none_is_configured(token: str) -> None:
    with SlackSandbox() as sandbox:
        assert WebClient(token="xoxb-anything", base_url=sandbox.base_url).auth_test()["ok"]


def test_token_may_come_as_a_form_param(sandbox: SlackSandbox, token: str) -> None:
    answer = raw_call(f"{sandbox.base_url}auth.test", data=f"token={token}".encode())
    assert answer["ok"] is True
    [call] = sandbox.calls
    assert call.token == token and "token" not in call.params


def test_base_url_needs_a_running_sandbox() -> None:
    sandbox = SlackSandbox()
    with pytest.raises(RuntimeError):
        _ = sandbox.base_url
    url = sandbox.start()
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api/")
        with pytest.raises(RuntimeError):
            sandbox.start()
    finally:
        sandbox.stop()
    sandbox.stop()
