"""Putting a chosen question in front of a person, and settling their click."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.quiz.service import (
    AnswerRefused,
    NothingToAsk,
    QuestionToAsk,
    QuizService,
    Refusal,
)
from bot.slack import questions as views
from bot.slack.messages import slack_error_code, slack_failure_logged, tell
from bot.slack.posted import post_once

log = logging.getLogger(__name__)


def send_question(
    *, client: WebClient, quiz: QuizService, slack_user: str, request_key: str | None = None
) -> QuestionToAsk | None:
    """Choose, record and DM one question; a Slack failure is kept on the delivery."""
    ask = quiz.start_delivery(slack_user=slack_user, request_key=request_key)
    if isinstance(ask, NothingToAsk):
        if not ask.repeat:
            tell(client, user=slack_user, text=ask.reason)
        return None
    try:
        channel, ts = post_once(
            client,
            slack_user=slack_user,
            delivery_id=ask.delivery_id,
            message=views.question_message(ask),
        )
    except (SlackApiError, OSError) as error:
        reason = slack_error_code(error) if isinstance(error, SlackApiError) else "unreachable"
        log.warning("could not DM delivery %s to %s: %s", ask.delivery_id, slack_user, reason)
        quiz.mark_failed(delivery_id=ask.delivery_id, error=reason)
        return None
    quiz.mark_sent(delivery_id=ask.delivery_id, channel=channel, ts=ts)
    return ask


def settle_answer(
    *,
    client: WebClient,
    quiz: QuizService,
    slack_user: str,
    delivery_id: int | None,
    chosen: list[str],
    channel: str,
    ts: str,
) -> None:
    """Record the click and show the outcome in place of the question."""
    outcome = quiz.record_answer(slack_user=slack_user, delivery_id=delivery_id, chosen=chosen)
    if isinstance(outcome, AnswerRefused) and outcome.reason is Refusal.NOT_YOURS:
        # The question sits in someone else's DM, where an ephemeral note can't reach this person.
        tell(client, user=slack_user, text=views.refusal_text(outcome.reason))
        return
    if isinstance(outcome, AnswerRefused) and outcome.reason is Refusal.NOTHING_CHOSEN:
        with slack_failure_logged("asking to tick an answer"):
            client.chat_postEphemeral(
                channel=channel, user=slack_user, text=views.refusal_text(outcome.reason)
            )
        return
    if isinstance(outcome, AnswerRefused):
        payload = views.refused_message(outcome.reason)
    else:
        payload = views.answered_message(outcome)
    with slack_failure_logged(f"updating message {ts}"):
        client.chat_update(channel=channel, ts=ts, **payload)
