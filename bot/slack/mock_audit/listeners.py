"""Mock audits in Slack: the start modal, interview replies and clicks, grading, closing."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services.access import NotAllowed, person
from bot.services.mock_audit.errors import UnknownMockRound
from bot.services.mock_audit.results import MockPlan
from bot.services.registry import Services
from bot.slack.commands import MockAudit
from bot.slack.guard import after_ack
from bot.slack.ids import InterviewAction, MockAuditId
from bot.slack.messages import slack_failure_logged, tell
from bot.slack.mock_audit.export import send_findings
from bot.slack.mock_audit.flow import carry_on, invite_all
from bot.slack.mock_audit.views import (
    ADMINS_ONLY_MOCK,
    answers_messages,
    grade_modal,
    mock_repeated,
    mock_started,
    start_modal,
)
from bot.slack.texts import refused
from questions.text import unescape_mrkdwn

ANSWER = re.compile(rf"^{re.escape(InterviewAction.ANSWER)}\.[a-z]+$")
GRADE = re.compile(rf"^{re.escape(InterviewAction.GRADE)}\.(pass|fail)$")


def mock_audit_command(
    ack: Ack,
    *,
    command: MockAudit,
    client: WebClient,
    services: Services,
    user: str,
    trigger_id: str,
) -> None:
    """`/awareness mock-audit …`: admins run rounds; managers read their departments' findings."""
    try:
        _run(ack, command, client, services, user, trigger_id)
    except NotAllowed as refusal:
        ack(text=refused(refusal, admins_only=ADMINS_ONLY_MOCK))
    except UnknownMockRound as error:
        ack(text=str(error))


def _run(
    ack: Ack,
    command: MockAudit,
    client: WebClient,
    services: Services,
    user: str,
    trigger_id: str,
) -> None:
    mock, caller, round_id = services.mock, person(user), command.round_id
    if command.action == "start":
        departments = mock.departments(caller=caller)
        ack()
        client.views_open(trigger_id=trigger_id, view=start_modal(departments))
        return
    assert round_id is not None
    if command.action == "answers":
        answers = mock.answers(caller=caller, round_id=round_id)
        ack(text=f"Sending the answers of mock audit #{round_id} in a direct message.")
        for message in answers_messages(answers):
            with slack_failure_logged("sending interview answers"):
                client.chat_postMessage(channel=user, **message)
        return
    if command.action == "cancel":
        mock.cancel(caller=caller, round_id=round_id)
        ack(text=f"Mock audit #{round_id} is cancelled; no findings will be written.")
        return
    if command.action == "close":
        silent = mock.close(caller=caller, round_id=round_id)
        report = mock.findings(caller=caller, round_id=round_id)
        ack(text=f"Closing mock audit #{round_id}: {silent} not available for interview.")
    else:
        report = mock.findings(caller=caller, round_id=round_id)
        ack(text=f":page_facing_up: Sending the findings of mock audit #{round_id}.")
    send_findings(client=client, report=report, user=user)


def register_mock_audit(app: App, services: Services) -> None:
    """The modal submissions, the interview thread replies and the grade buttons."""

    @app.view(MockAuditId.START)
    @after_ack
    def on_start(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        plan, errors = _plan_from(view["state"]["values"])
        if errors or plan is None:
            ack(response_action="errors", errors=errors)
            return
        try:
            started = services.mock.start(
                caller=person(user), plan=plan, request_key=f"mock-start:{view['id']}"
            )
        except NotAllowed:
            ack(response_action="errors", errors={MockAuditId.CAP: ADMINS_ONLY_MOCK})
            return
        ack()
        if started.repeat_of is not None:
            tell(client, user=user, text=mock_repeated(started.round_id))
            return
        closes_at = services.mock.closes_at(round_id=started.round_id)
        invited = invite_all(
            client=client, mock=services.mock, started=started, closes_at=closes_at
        )
        tell(client, user=user, text=mock_started(started.round_id, invited, started.seed))

    @app.event("message")
    @after_ack
    def on_dm(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        # Edits, deletions and the bot's own messages carry a subtype or a bot id: never a new
        # answer. Only replies in a DM thread can be interview answers.
        if event.get("subtype") or event.get("bot_id") or not event.get("thread_ts"):
            return
        if event.get("channel_type") != "im":
            return
        outcome = services.mock.reply(
            slack_user=event["user"],
            thread_ts=event["thread_ts"],
            text=unescape_mrkdwn(event.get("text", "")),
            reply_ts=event["ts"],
            event_id=body.get("event_id"),
        )
        carry_on(
            client=client,
            mock=services.mock,
            outcome=outcome,
            channel=event["channel"],
            thread_ts=event["thread_ts"],
            admins=services.access.admin_ids(),
        )

    @app.action(ANSWER)
    @after_ack
    def on_interview_answer(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        action = body["actions"][0]
        item_id = int(action["block_id"].split(":")[1])
        outcome = services.mock.choose(
            slack_user=body["user"]["id"], item_id=item_id, choice=[action["value"]]
        )
        container = body.get("container", {})
        thread_ts = body.get("message", {}).get("thread_ts") or container.get("thread_ts")
        carry_on(
            client=client,
            mock=services.mock,
            outcome=outcome,
            channel=container.get("channel_id") or body["channel"]["id"],
            thread_ts=thread_ts,
            admins=services.access.admin_ids(),
        )

    @app.action(GRADE)
    @after_ack
    def on_grade(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user, action = body["user"]["id"], body["actions"][0]
        verdict = action["action_id"].rsplit(".", 1)[1]
        _override(services, client, user, int(action["value"]), verdict, None)

    @app.action(MockAuditId.CHANGE_GRADE)
    @after_ack
    def on_change_grade(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user, item_id = body["user"]["id"], int(body["actions"][0]["value"])
        try:
            # The modal shows the person's answer: the service lets only admins see it.
            item = services.mock.item_for_review(caller=person(user), item_id=item_id)
        except NotAllowed:
            tell(client, user=user, text=ADMINS_ONLY_MOCK)
            return
        view = grade_modal(item_id=item_id, question=item.question, reply=item.reply)
        with slack_failure_logged("opening the grade modal"):
            client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(MockAuditId.GRADE)
    @after_ack
    def on_grade_modal(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        values = view["state"]["values"]
        choice = (values[MockAuditId.VERDICT]["value"].get("selected_option") or {}).get("value")
        if choice not in ("pass", "fail"):
            ack(response_action="errors", errors={MockAuditId.VERDICT: "Choose pass or fail."})
            return
        ack()
        note = values.get(MockAuditId.NOTE, {}).get("value", {}).get("value")
        user = body["user"]["id"]
        _override(services, client, user, int(view["private_metadata"]), choice, note)


def _override(
    services: Services, client: WebClient, user: str, item_id: int, verdict: str, note: str | None
) -> None:
    try:
        services.mock.override(caller=person(user), item_id=item_id, verdict=verdict, note=note)
    except NotAllowed:
        tell(client, user=user, text=ADMINS_ONLY_MOCK)
        return
    tell(client, user=user, text=f"Graded *{verdict}*; the grade records that you set it.")


def _plan_from(values: dict[str, Any]) -> tuple[MockPlan | None, dict[str, str]]:
    errors: dict[str, str] = {}
    standards = [
        o["value"] for o in values[MockAuditId.STANDARDS]["value"].get("selected_options") or []
    ]
    departments = [
        o["value"]
        for o in (
            values.get(MockAuditId.DEPARTMENTS, {}).get("value", {}).get("selected_options") or []
        )
    ]
    cap = _number(values, MockAuditId.CAP, 1, 50, errors)
    hours = _number(values, MockAuditId.HOURS, 1, 24 * 14, errors)
    if not standards:
        errors[MockAuditId.STANDARDS] = "Choose at least one standard."
    if errors or cap is None or hours is None:
        return None, errors
    return MockPlan(standards, departments or None, cap, hours), errors


def _number(
    values: dict[str, Any], block: str, low: int, high: int, errors: dict[str, str]
) -> int | None:
    text = str(values[block]["value"].get("value") or "").strip()
    if not text.isdigit() or not low <= int(text) <= high:
        errors[block] = f"Write a whole number from {low} to {high}."
        return None
    return int(text)
