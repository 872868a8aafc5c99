"""Slack listeners: acknowledge, pull out plain values, call a service, render."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import views
from bot.awareness_views import NOT_ALLOWED, awareness_message
from bot.delivery import send_question, settle_answer, slack_failure_logged, tell
from bot.ids import ANSWER_ACTION, ActionId, delivery_from_block_id
from bot.services.awareness import NotAllowed
from bot.services.registry import Services

log = logging.getLogger(__name__)

QUIZ_HELP = (
    "`/quiz` sends you one question from your own procedures in a direct message. "
    "Answer with one click and see the right answer straight away."
)
AWARENESS_HELP = "`/awareness` sends you, privately, the awareness summary of your departments."
SORRY = "Sorry, something went wrong on my side and nothing was changed. Please try again shortly."

Listener = TypeVar("Listener", bound=Callable[..., None])


def after_ack(listener: Listener) -> Listener:
    """Log any failure after the ack instead of letting it escape.

    An exception escaping a listener makes Bolt withdraw the ack it already gave, so Slack
    would see the request fail and retry it. What was recorded before the failure stays.
    """

    @functools.wraps(listener)
    def guarded(*args: Any, **kwargs: Any) -> None:
        try:
            listener(*args, **kwargs)
        except Exception:
            log.exception("%s failed after acknowledging", listener.__name__)
            user = _user_of(kwargs)
            client = kwargs.get("client")
            if user and isinstance(client, WebClient):
                tell(client, user=user, text=SORRY)

    return guarded  # type: ignore[return-value]


def _user_of(kwargs: dict[str, Any]) -> str | None:
    if "command" in kwargs:
        return str(kwargs["command"]["user_id"])
    if "body" in kwargs:
        return str(kwargs["body"]["user"]["id"])
    return None


def register(app: App, services: Services) -> None:
    """Attach every listener to the Bolt app."""
    _register_quiz(app, services)
    _register_answers(app, services)
    _register_awareness(app, services)
    _register_events(app, services)

    @app.error
    def on_error(error: Exception) -> None:
        log.error("listener failed: %s", error.__class__.__name__, exc_info=error)


def _register_quiz(app: App, services: Services) -> None:
    @app.command("/quiz")
    @after_ack
    def on_quiz(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        if command.get("text", "").strip():
            ack(text=QUIZ_HELP)
            return
        ack(text=":incoming_envelope: I'm sending you a question in a direct message.")
        send_question(client=client, quiz=services.quiz, slack_user=command["user_id"])


def _register_awareness(app: App, services: Services) -> None:
    @app.command("/awareness")
    @after_ack
    def on_awareness(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        user = command["user_id"]
        summary = services.awareness.summary_for(slack_user=user)
        if isinstance(summary, NotAllowed):
            ack(text=NOT_ALLOWED)
            return
        if command.get("text", "").strip():
            ack(text=AWARENESS_HELP)
            return
        ack(text=":bar_chart: I'm sending your awareness summary in a direct message.")
        with slack_failure_logged("sending the awareness summary"):
            client.chat_postMessage(channel=user, **awareness_message(summary))


def _register_answers(app: App, services: Services) -> None:
    @app.action(ANSWER_ACTION)
    @after_ack
    def on_answer(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        action = body["actions"][0]
        _settle(body, client, services, action["block_id"], [action["value"]])

    @app.action(ActionId.PICK)
    def on_pick(ack: Ack) -> None:
        ack()

    @app.action(ActionId.SUBMIT)
    @after_ack
    def on_submit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        block_id = body["actions"][0]["block_id"]
        state = body.get("state", {}).get("values", {}).get(block_id, {})
        picked = (state.get(ActionId.PICK) or {}).get("selected_options") or []
        _settle(body, client, services, block_id, [o["value"] for o in picked])


def _register_events(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    @after_ack
    def on_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") != "home":
            return
        progress = services.quiz.progress_for(slack_user=event["user"])
        with slack_failure_logged("publishing the Home tab"):
            client.views_publish(user_id=event["user"], view=views.home_view(progress))

    @app.event("message")
    def on_message() -> None:
        """Direct messages are acknowledged; conversation with the bot comes later."""


def _settle(
    body: dict[str, Any], client: WebClient, services: Services, block_id: str, chosen: list[str]
) -> None:
    container = body.get("container", {})
    settle_answer(
        client=client,
        quiz=services.quiz,
        slack_user=body["user"]["id"],
        delivery_id=delivery_from_block_id(block_id),
        chosen=chosen,
        channel=container.get("channel_id") or body["channel"]["id"],
        ts=container.get("message_ts") or body["message"]["ts"],
    )
