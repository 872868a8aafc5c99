"""Sending a round's messages through Slack, and its reminders and closures."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.quiz.service import QuizService
from bot.services.rounds.followup import Closure, FollowUpService, Reminder
from bot.services.rounds.service import RoundService
from bot.slack import questions as views
from bot.slack.messages import slack_error_code
from bot.slack.posted import delivery_metadata, find_posted
from bot.slack.rounds.fanout import (
    Outcome,
    Pacer,
    Permanent,
    RateLimited,
    Transient,
    default_backoff,
    fan_out,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

# Slack says these accounts can't receive DMs: stop sending them rounds.
GONE = {"user_not_found", "account_inactive", "user_disabled", "channel_not_found"}


@dataclass
class RoundReport:
    sent: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    retry_later: int = 0
    taken_elsewhere: int = 0
    # Found already posted by an attempt whose outcome was unknown, and not posted again.
    reconciled: int = 0


@dataclass(frozen=True)
class Sender:
    """Everything a round needs to send; one per process, shared by jobs and commands."""

    client: WebClient
    rounds: RoundService
    quiz: QuizService
    followup: FollowUpService
    pacer: Pacer
    workers: int = 8
    backoff: Callable[[int], float] = default_backoff
    sleep: Callable[[float], None] = time.sleep


def deliver(
    sender: Sender,
    delivery_ids: list[int],
    *,
    on_outcome: Callable[[Outcome[int]], None] | None = None,
) -> RoundReport:
    """Post every delivery once, paced; failures are recorded per person and never stop it."""
    report = RoundReport()

    def send(delivery_id: int) -> None:
        _send_one(sender, delivery_id, report)

    outcomes = fan_out(
        delivery_ids,
        send,
        pacer=sender.pacer,
        workers=sender.workers,
        backoff=sender.backoff,
        sleep=sender.sleep,
        on_outcome=on_outcome,
    )
    for outcome in outcomes:
        if outcome.ok:
            continue
        if outcome.error and outcome.error.startswith("gave_up"):
            sender.rounds.release(delivery_id=outcome.item)
            report.retry_later += 1
        else:
            report.failed[outcome.error or "unknown"] += 1
    return report


def _send_one(sender: Sender, delivery_id: int, report: RoundReport) -> None:
    outgoing = sender.rounds.claim(delivery_id=delivery_id)
    if outgoing is None:
        report.taken_elsewhere += 1
        return
    try:
        channel = outgoing.dm_channel or _open_dm(sender, outgoing.slack_user)
        found = None
        if outgoing.doubt_since is not None:
            found = find_posted(sender.client, channel, delivery_id, since=outgoing.doubt_since)
        if found is None:
            response = sender.client.chat_postMessage(
                channel=channel,
                metadata=delivery_metadata(delivery_id),
                **views.question_message(outgoing.ask),
            )
            found = str(response["ts"])
        else:
            report.reconciled += 1
    except SlackApiError as error:
        _classify(sender, error, delivery_id, outgoing.slack_user)
        raise AssertionError("unreachable") from error
    except OSError as error:
        # A timeout may come after Slack posted the message: look before posting again.
        sender.rounds.release(delivery_id=delivery_id, in_doubt=True)
        raise Transient(type(error).__name__) from error
    sender.quiz.mark_sent(delivery_id=delivery_id, channel=channel, ts=found)
    report.sent += 1


def _open_dm(sender: Sender, slack_user: str) -> str:
    channel = str(sender.client.conversations_open(users=slack_user)["channel"]["id"])
    sender.rounds.remember_dm(slack_user=slack_user, channel=channel)
    return channel


def _classify(sender: Sender, error: SlackApiError, delivery_id: int, slack_user: str) -> None:
    status = error.response.status_code
    if status == 429:
        retry_after = float(error.response.headers.get("Retry-After", 1))
        sender.rounds.release(delivery_id=delivery_id)
        raise RateLimited(retry_after)
    if status >= 500:
        sender.rounds.release(delivery_id=delivery_id, in_doubt=True)
        raise Transient(f"http_{status}")
    code = slack_error_code(error)
    sender.quiz.mark_failed(delivery_id=delivery_id, error=code)
    if code in GONE:
        sender.rounds.deactivate(slack_user=slack_user)
    log.warning("round delivery %s to %s failed: %s", delivery_id, slack_user, code)
    raise Permanent(code)


def send_reminders(sender: Sender) -> int:
    """One reminder to each person with unanswered questions in a round past its reminder time.

    Paced and retried like a round; one that Slack keeps refusing is given back for the next
    sweep rather than lost.
    """
    reminders = sender.followup.due_reminders()

    def send(reminder: Reminder) -> None:
        closes = _local_time(sender, reminder.slack_user, reminder.closes_at)
        text = views.reminder_text(waiting=reminder.waiting, closes=closes)
        _call(lambda: sender.client.chat_postMessage(channel=reminder.slack_user, text=text))

    outcomes = _fan_out(sender, reminders, send)
    for outcome in outcomes:
        if not outcome.ok and _retry_later(outcome):
            sender.followup.release_reminder(
                round_id=outcome.item.round_id, person_id=outcome.item.person_id
            )
    return sum(1 for o in outcomes if o.ok)


def close_expired(sender: Sender) -> int:
    """Mark unanswered questions past their window as closed, and say so in their message."""
    closures = sender.followup.due_closures()

    def send(closure: Closure) -> None:
        payload = views.closed_message(closure.ask)
        _call(lambda: sender.client.chat_update(channel=closure.channel, ts=closure.ts, **payload))

    outcomes = _fan_out(sender, closures, send)
    for outcome in outcomes:
        if not outcome.ok and _retry_later(outcome):
            sender.followup.release_closure(delivery_id=outcome.item.delivery_id)
    return sum(1 for o in outcomes if o.ok)


def _fan_out(sender: Sender, items: list[T], send: Callable[[T], None]) -> list[Outcome[T]]:
    return fan_out(
        items,
        send,
        pacer=sender.pacer,
        workers=sender.workers,
        backoff=sender.backoff,
        sleep=sender.sleep,
    )


def _call(request: Callable[[], object]) -> None:
    """Run one Web API call, turning Slack's answer into fan-out's retry classes."""
    try:
        request()
    except SlackApiError as error:
        status = error.response.status_code
        if status == 429:
            raise RateLimited(float(error.response.headers.get("Retry-After", 1))) from error
        if status >= 500:
            raise Transient(f"http_{status}") from error
        raise Permanent(slack_error_code(error)) from error
    except OSError as error:
        raise Transient(type(error).__name__) from error


def _retry_later(outcome: Outcome[T]) -> bool:
    return bool(outcome.error and outcome.error.startswith("gave_up"))


def _local_time(sender: Sender, slack_user: str, when: datetime) -> str:
    local = when.astimezone(ZoneInfo(sender.quiz.time_zone_of(slack_user=slack_user)))
    return f"{local:%A %H:%M}"
