"""Holding practice interviews in Slack threads: invite, ask, take replies, ask for review."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.access import scheduled
from bot.services.mock_audit.results import InterviewQuestion, MockStarted, ReplyOutcome
from bot.services.mock_audit.service import MockAuditService
from bot.slack.messages import slack_error_code, slack_failure_logged, tell
from bot.slack.mock_audit import interview_views

log = logging.getLogger(__name__)


def invite_all(
    *, client: WebClient, mock: MockAuditService, started: MockStarted, closes_at: datetime
) -> int:
    """DM every sampled person an invitation and post their first question in its thread."""
    invited = 0
    for invitation in started.invitations:
        tz = mock.time_zone_of(slack_user=invitation.slack_user)
        closes = f"{closes_at.astimezone(ZoneInfo(tz)):%A %d %B, %H:%M}"
        questions = mock.question_count(interview_id=invitation.interview_id)
        try:
            posted = client.chat_postMessage(
                channel=invitation.slack_user,
                **interview_views.invitation(questions=questions, closes=closes),
            )
        except SlackApiError as error:
            log.warning("could not invite %s: %s", invitation.slack_user, slack_error_code(error))
            continue
        first = mock.opened(
            interview_id=invitation.interview_id, channel=posted["channel"], thread_ts=posted["ts"]
        )
        if first is not None:
            ask_in_thread(
                client=client,
                mock=mock,
                channel=posted["channel"],
                thread_ts=posted["ts"],
                question=first,
            )
        invited += 1
    return invited


def ask_in_thread(
    *,
    client: WebClient,
    mock: MockAuditService,
    channel: str,
    thread_ts: str,
    question: InterviewQuestion,
) -> None:
    """Post one interview question in the interview's thread and remember where it went."""
    with slack_failure_logged(f"asking interview question {question.item_id}"):
        posted = client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, **interview_views.interview_question(question)
        )
        mock.asked(item_id=question.item_id, ts=posted["ts"])


def carry_on(
    *,
    client: WebClient,
    mock: MockAuditService,
    outcome: ReplyOutcome,
    channel: str,
    thread_ts: str,
    admins: Sequence[str],
) -> None:
    """After a reply: ask an admin where the grader is unsure, then the next question or thanks."""
    if not outcome.recorded:
        return
    if outcome.verdict == "unsure" and outcome.item_id is not None:
        request_review(client=client, mock=mock, item_id=outcome.item_id, admins=admins)
    if outcome.next_question is not None:
        ask_in_thread(
            client=client,
            mock=mock,
            channel=channel,
            thread_ts=thread_ts,
            question=outcome.next_question,
        )
    elif outcome.finished:
        with slack_failure_logged("thanking an interviewee"):
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, **interview_views.thanks()
            )


def request_review(
    *, client: WebClient, mock: MockAuditService, item_id: int, admins: Sequence[str]
) -> None:
    """Send an answer the grader is unsure about to the admins, who confirm it."""
    # The app itself shows the answer, and only to admins.
    item = mock.item_for_review(caller=scheduled("grader"), item_id=item_id)
    message = interview_views.review_request(
        item_id=item_id, question=item.question, reply=item.reply, reason=item.reason
    )
    for admin in admins:
        with slack_failure_logged(f"asking {admin} to review item {item_id}"):
            client.chat_postMessage(channel=admin, **message)


def tell_admin(client: WebClient, admin: str, text: str) -> None:
    tell(client, user=admin, text=text)
