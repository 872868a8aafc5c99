"""Review in Slack: Approve, Edit and Reject on the owner's message, and the two modals."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services.access import person
from bot.services.review.edits import EditedFields
from bot.services.review.results import (
    AlreadyDecided,
    ChangedSinceSent,
    Decided,
    NotAReviewer,
    ReviewRefused,
    UnknownQuestion,
)
from bot.services.review.service import ReviewService
from bot.slack.guard import after_ack
from bot.slack.messages import slack_failure_logged
from bot.slack.review import views
from bot.slack.review.delivery import show, whisper
from bot.slack.review.ids import EDIT_FIELDS, ReviewId
from bot.slack.review.views import Where


def register_review(app: App, review: ReviewService) -> None:
    """The three buttons on a review message and the modals two of them open."""

    @app.action(ReviewId.APPROVE)
    @after_ack
    def on_approve(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        where, user = _clicked(body), body["user"]["id"]
        with _answered(client, user, where):
            decided = review.approve(
                caller=person(user), question_id=where.question_id, seen=where.seen
            )
            _show_decided(client, decided)

    @app.action(ReviewId.EDIT)
    @app.action(ReviewId.REJECT)
    @after_ack
    def on_open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        where, user = _clicked(body), body["user"]["id"]
        editing = body["actions"][0]["action_id"] == ReviewId.EDIT
        with _answered(client, user, where):
            question = review.for_review(
                caller=person(user), question_id=where.question_id, seen=where.seen
            )
            modal = views.edit_modal if editing else views.reject_modal
            with slack_failure_logged("opening the review modal"):
                client.views_open(trigger_id=body["trigger_id"], view=modal(question, where))

    @app.view(ReviewId.REJECT_MODAL)
    @after_ack
    def on_reject(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        where, user = Where.from_metadata(view["private_metadata"]), body["user"]["id"]
        reason = _value(view, ReviewId.REASON)
        decide = functools.partial(
            review.reject,
            caller=person(user),
            question_id=where.question_id,
            reason=reason,
            seen=where.seen,
        )
        _submitted(ack, client, user, where, decide, fields=(ReviewId.REASON,))

    @app.view(ReviewId.EDIT_MODAL)
    @after_ack
    def on_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        where, user = Where.from_metadata(view["private_metadata"]), body["user"]["id"]
        fields = EditedFields(
            prompt=_value(view, ReviewId.PROMPT),
            explanation=_value(view, ReviewId.EXPLANATION),
            section=_value(view, ReviewId.SECTION),
            options=_value(view, ReviewId.OPTIONS, absent=None),
            answer=_value(view, ReviewId.ANSWER, absent=None),
        )
        decide = functools.partial(
            review.edit_fields,
            caller=person(user),
            question_id=where.question_id,
            fields=fields,
            seen=where.seen,
        )
        _submitted(ack, client, user, where, decide)


# Refusals the person who clicked is told of; a modal's own problems go back into the modal.
TOLD = (NotAReviewer, AlreadyDecided, ChangedSinceSent, UnknownQuestion)


def _submitted(
    ack: Ack,
    client: WebClient,
    user: str,
    where: Where,
    decide: Callable[[], Decided],
    fields: tuple[str, ...] = EDIT_FIELDS,
) -> None:
    try:
        decided = decide()
    except ReviewRefused as refused:
        ack(response_action="errors", errors=views.modal_errors(refused.problems, fields))
        return
    except TOLD as error:
        ack()
        _tell(client, user, where, error)
        return
    ack()
    _show_decided(client, decided)


def _show_decided(client: WebClient, decided: Decided) -> None:
    if decided.question is not None and decided.question.status != "approved":
        note = f":pencil2: Edited by {views.who(decided.reviewer)}; approve it when it reads right."
        show(client, decided.messages, views.review_message(decided.question, note=note))
        return
    message = views.decided_message(
        decided.question,
        question_id=decided.question_id,
        decision=decided.decision,
        reviewer=decided.reviewer,
        reason=decided.reason,
    )
    show(client, decided.messages, message)


@contextmanager
def _answered(client: WebClient, user: str, where: Where) -> Iterator[None]:
    """The service's refusals, told to the person who clicked."""
    try:
        yield
    except (*TOLD, ReviewRefused) as error:
        _tell(client, user, where, error)


def _tell(client: WebClient, user: str, where: Where, error: Exception) -> None:
    """Say why nothing was decided; a message that is out of date is brought up to date."""
    clicked = where.ref(user)
    match error:
        case NotAReviewer(procedure=procedure, owner=owner):
            text = views.not_a_reviewer(procedure, owner)
        case AlreadyDecided(question_id=question_id, decision=decision, reviewer=reviewer):
            text = views.already_decided(question_id, decision, reviewer)
            message = views.decided_message(
                None, question_id=question_id, decision=decision, reviewer=reviewer
            )
            show(client, [*error.messages, clicked], message)
        case ChangedSinceSent(current=current):
            text = views.changed_since(current.question_id)
            show(client, [*error.messages, clicked], views.review_message(current))
        case ReviewRefused(question_id=question_id, problems=problems):
            text = views.cannot_approve(question_id, problems)
        case UnknownQuestion(question_id=question_id):
            text = views.gone(question_id)
        case _:
            raise error
    whisper(client, channel=where.channel, user=user, text=text)


def _clicked(body: dict[str, Any]) -> Where:
    question_id, seen = views.from_button_value(body["actions"][0]["value"])
    container = body.get("container") or {}
    channel = container.get("channel_id") or body["channel"]["id"]
    ts = container.get("message_ts") or body["message"]["ts"]
    return Where(question_id, seen, channel, ts)


def _value(view: dict[str, Any], block: str, absent: str | None = "") -> Any:
    """An input's text; `absent` when the modal has no such input."""
    state = view["state"]["values"].get(block)
    if state is None:
        return absent
    return state.get(ReviewId.VALUE, {}).get("value") or ""
