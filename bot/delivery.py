"""Putting a chosen question in front of a person, and settling their click."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import views
from bot.services.quiz import AnswerRefused, NothingToAsk, QuestionToAsk, QuizService, Refusal

log = logging.getLogger(__name__)


def send_question(*, client: WebClient, quiz: QuizService, slack_user: str) -> QuestionToAsk | None:
    """Choose, record and DM one question; a Slack failure is kept on the delivery."""
    ask = quiz.start_delivery(slack_user=slack_user)
    if isinstance(ask, NothingToAsk):
        _post_quietly(client, channel=slack_user, text=ask.reason)
        return None
    try:
        response = client.chat_postMessage(channel=slack_user, **views.question_message(ask))
    except SlackApiError as error:
        reason = str(error.response.get("error", "unknown"))
        log.warning("could not DM delivery %s to %s: %s", ask.delivery_id, slack_user, reason)
        quiz.mark_failed(delivery_id=ask.delivery_id, error=reason)
        return None
    quiz.mark_sent(delivery_id=ask.delivery_id, channel=response["channel"], ts=response["ts"])
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
    if isinstance(outcome, AnswerRefused):
        if outcome.reason in (Refusal.NOTHING_CHOSEN, Refusal.NOT_YOURS):
            text = views.refusal_text(outcome.reason)
            _post_quietly(client, channel=channel, user=slack_user, text=text, ephemeral=True)
            return
        payload = views.refused_message(outcome.reason)
    else:
        payload = views.answered_message(outcome)
    client.chat_update(channel=channel, ts=ts, **payload)


def _post_quietly(client: WebClient, *, ephemeral: bool = False, **kwargs: Any) -> None:
    try:
        if ephemeral:
            client.chat_postEphemeral(**kwargs)
        else:
            client.chat_postMessage(**kwargs)
    except SlackApiError as error:
        log.warning("could not tell %s: %s", kwargs.get("channel"), error.response.get("error"))
