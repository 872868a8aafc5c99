"""Mock audits over HTTP: the start modal, interview threads, replies, edits and grade buttons."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.sandbox import BOT_USER_ID, RecordedCall, SandboxUser
from bot.sandbox.requests import TEAM_ID, element_action, message_ts
from storage import models
from tests.e2e import payloads
from tests.e2e.harness import E2E, ack_text, block_text, handle
from tests.e2e.payloads import block_actions, event_callback, fixture

# -- mock audits: modal submissions, interview threads, replies and their edits ----------------


@dataclass(frozen=True)
class InterviewThread:
    """A practice interview as its person sees it: the invitation DM and the thread under it."""

    user: SandboxUser
    channel: str
    ts: str  # the invitation's: every question, reply and the thanks go in its thread


def view_submission_body(*, user: SandboxUser, view: dict[str, Any], values: dict[str, Any]) -> str:
    """A form-encoded view_submission of `view` (as the app opened it) with these inputs."""
    return payloads.view_submission(
        user_id=user.id, user_name=handle(user), view=view, values=values
    )


def thread_reply_body(thread: InterviewThread, *, text: str, ts: str) -> str:
    """The message.im event for `thread.user` replying `text` in the interview's thread."""
    return event_callback(
        "message_im_thread_reply.json",
        user=thread.user.id,
        channel=thread.channel,
        thread_ts=thread.ts,
        parent_user_id=BOT_USER_ID,
        ts=ts,
        event_ts=ts,
        text=text,
        team=TEAM_ID,
        user_team=TEAM_ID,
        source_team=TEAM_ID,
    )


def reply_edited_body(thread: InterviewThread, *, ts: str, before: str, after: str) -> str:
    """The message_changed event Slack sends when the person edits their reply `ts`."""
    shape = fixture("message_changed_im.json")["event"]
    edited_ts = message_ts()
    mine = {"user": thread.user.id, "ts": ts, "thread_ts": thread.ts, "parent_user_id": BOT_USER_ID}
    edited = {"user": thread.user.id, "ts": edited_ts}
    return event_callback(
        "message_changed_im.json",
        channel=thread.channel,
        ts=edited_ts,
        event_ts=edited_ts,
        message={**shape["message"], **mine, "text": after, "edited": edited},
        previous_message={**shape["previous_message"], **mine, "text": before},
    )


def thread_messages(e2e: E2E, thread: InterviewThread) -> list[dict[str, Any]]:
    """The bot's messages in the interview's thread as they stand now, oldest first."""
    return [m for m in e2e.sandbox.messages(thread.channel) if m.get("thread_ts") == thread.ts]


def await_thread(e2e: E2E, thread: InterviewThread, count: int) -> list[dict[str, Any]]:
    """Wait for the bot's `count`th message in the thread and for every listener to finish."""
    e2e.sandbox.wait_for(
        "chat.postMessage", count, where=lambda c: c.params.get("thread_ts") == thread.ts
    )
    e2e.settle()
    return thread_messages(e2e, thread)


def interview_threads(
    e2e: E2E, round_id: int, people: Iterable[SandboxUser]
) -> dict[str, list[InterviewThread]]:
    """Each sampled person's interview thread, by department, in the order they were sampled."""
    members = {user.id: user for user in people}
    found: dict[str, list[InterviewThread]] = {}
    with e2e.session() as session:
        interviews = session.scalars(
            select(models.Interview)
            .where(models.Interview.mock_round_id == round_id)
            .options(selectinload(models.Interview.person))
            .order_by(models.Interview.id)
        )
        for interview in interviews:
            assert interview.channel and interview.thread_ts, interview.id
            user = members[interview.person.slack_id]
            thread = InterviewThread(user, interview.channel, interview.thread_ts)
            found.setdefault(interview.department, []).append(thread)
    return found


def click_button(
    e2e: E2E, user: SandboxUser, message: dict[str, Any], action_id: str
) -> httpx.Response:
    """`user` clicks the button `action_id` on `message` (which names its channel)."""
    block, button = next(
        (block, element)
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    )
    body = block_actions(
        user_id=user.id,
        user_name=handle(user),
        message=message,
        action=element_action(block["block_id"], button),
    )
    response = e2e.slack.form(body)
    assert response.status_code == 200, response.text
    return response


def open_start_modal(e2e: E2E, admin: SandboxUser) -> dict[str, Any]:
    """`/awareness mock-audit start`, and the modal the app opened for it."""
    before = len([c for c in e2e.sandbox.calls_to("views.open") if c.ok])
    response = e2e.command(admin, "/awareness", "mock-audit start")
    assert response.status_code == 200 and ack_text(response) == "", response.text
    view: dict[str, Any] = e2e.sandbox.wait_for("views.open", before + 1)[-1].params["view"]
    return view


def start_values(
    modal: dict[str, Any], *, departments: list[str], cap: int, hours: int
) -> dict[str, Any]:
    """The start modal's `state.values`: every standard ticked, these departments chosen."""
    elements = {block["block_id"]: block["element"] for block in modal["blocks"]}
    chosen = [o for o in elements["departments"]["options"] if o["value"] in departments]
    assert len(chosen) == len(departments), (departments, elements["departments"]["options"])
    return {
        "standards": {
            "value": {"type": "checkboxes", "selected_options": elements["standards"]["options"]}
        },
        "departments": {"value": {"type": "multi_static_select", "selected_options": chosen}},
        "cap": {"value": {"type": "plain_text_input", "value": str(cap)}},
        "hours": {"value": {"type": "plain_text_input", "value": str(hours)}},
    }


def start_mock_audit(
    e2e: E2E, admin: SandboxUser, *, departments: list[str], cap: int, hours: int = 72
) -> tuple[int, dict[str, Any]]:
    """Open the start modal and submit it; the round's number once every invitation is out,
    and the modal as the app opened it."""

    def started(call: RecordedCall) -> bool:
        text = str(call.params.get("text") or "")
        return call.params.get("channel") == admin.id and "has started" in text

    before = len([c for c in e2e.sandbox.calls_to("chat.postMessage") if c.ok and started(c)])
    modal = open_start_modal(e2e, admin)
    values = start_values(modal, departments=departments, cap=cap, hours=hours)
    response = e2e.slack.form(view_submission_body(user=admin, view=modal, values=values))
    assert response.status_code == 200 and response.text == "", response.text
    told = e2e.sandbox.wait_for("chat.postMessage", before + 1, where=started)[-1]
    e2e.settle()
    number = re.search(r"Mock audit #(\d+) has started", told.params["text"])
    assert number is not None, told.params["text"]
    return int(number.group(1)), modal


def close_then_report(e2e: E2E, number: int, *, admin: SandboxUser, reader: SandboxUser) -> None:
    """The admin closes the mock audit (its findings go to the admin), then `reader` asks for
    the report with `/awareness mock-audit report N`; returns once both files are uploaded."""
    e2e.command(admin, "/awareness", f"mock-audit close {number}").raise_for_status()
    e2e.sandbox.wait_for("files.completeUploadExternal")
    e2e.command(reader, "/awareness", f"mock-audit report {number}").raise_for_status()
    e2e.sandbox.wait_for("files.completeUploadExternal", 2)
    e2e.settle()


def stored_text(message: dict[str, Any]) -> str:
    """Everything a person reads in a message as the sandbox stores it: text and every block."""
    return "\n".join([str(message.get("text") or ""), block_text(message.get("blocks") or [])])


def await_grade_notice(e2e: E2E, admin: SandboxUser, verdict: str) -> None:
    """Wait for the DM telling an admin the grade they gave, and for its work to settle."""
    e2e.sandbox.wait_for(
        "chat.postMessage",
        where=lambda c: (
            c.params.get("channel") == admin.id
            and f"Graded *{verdict}*" in str(c.params.get("text"))
        ),
    )
    e2e.settle()
