"""Posting pending questions to their owners' DMs, and showing a decision on every message."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.review.posting import ReviewPosting
from bot.services.review.results import MessageRef, Posting
from bot.slack.messages import slack_error_code, slack_failure_logged, tell
from bot.slack.review import views

log = logging.getLogger(__name__)


@dataclass
class PostReport:
    sent: int = 0
    already: int = 0
    failed: int = 0
    # Procedures whose owner maps to nobody: no owner_slack_id and nobody with the role.
    unowned: set[str] = field(default_factory=set)


def post_pending(
    client: WebClient,
    posting: ReviewPosting,
    postings: list[Posting],
    *,
    on_post: Callable[[], None] = lambda: None,
) -> PostReport:
    """Ask each owner about each pending question once; a Slack failure skips that one post."""
    report = PostReport()
    for item in postings:
        if not item.reviewers:
            report.unowned.add(item.question.procedure)
        for reviewer in item.reviewers:
            _post_one(client, posting, item, reviewer, report)
        on_post()
    return report


def _post_one(
    client: WebClient, posting: ReviewPosting, item: Posting, reviewer: str, report: PostReport
) -> None:
    message_id = posting.claim(question=item.question, slack_user=reviewer)
    if message_id is None:
        report.already += 1
        return
    try:
        response = client.chat_postMessage(channel=reviewer, **views.review_message(item.question))
    except (SlackApiError, OSError) as error:
        code = slack_error_code(error) if isinstance(error, SlackApiError) else type(error).__name__
        log.warning("asking %s to review %s failed: %s", reviewer, item.question.question_id, code)
        posting.failed(message_id=message_id)
        report.failed += 1
        return
    posting.posted(message_id=message_id, channel=str(response["channel"]), ts=str(response["ts"]))
    report.sent += 1


def show(client: WebClient, refs: list[MessageRef], message: dict[str, Any]) -> None:
    """Put `message` in place of each review message; one failing leaves the others."""
    for ref in {(r.channel, r.ts): r for r in refs}.values():
        with slack_failure_logged(f"updating the review message to {ref.slack_user}"):
            client.chat_update(channel=ref.channel, ts=ref.ts, **message)


def whisper(client: WebClient, *, channel: str, user: str, text: str) -> None:
    """A reply only the person who clicked sees; by DM where Slack won't show it there."""
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as error:
        log.warning("replying to %s in %s failed: %s", user, channel, slack_error_code(error))
        tell(client, user=user, text=text)
