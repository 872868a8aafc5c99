"""Sending a round's messages through Slack, and its reminders and closures."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import views
from bot.delivery import slack_error_code, slack_failure_logged
from bot.fanout import Outcome, Pacer, Permanent, RateLimited, Transient, fan_out
from bot.services.followup import FollowUpService
from bot.services.quiz import QuizService
from bot.services.rounds import RoundService

log = logging.getLogger(__name__)

# Slack says these accounts can't receive DMs: stop sending them rounds.
GONE = {"user_not_found", "account_inactive", "user_disabled", "channel_not_found"}


@dataclass
class RoundReport:
    sent: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    retry_later: int = 0
    taken_elsewhere: int = 0


@dataclass(frozen=True)
class Sender:
    """Everything a round needs to send; one per process, shared by jobs and commands."""

    client: WebClient
    rounds: RoundService
    quiz: QuizService
    followup: FollowUpService
    pacer: Pacer
    workers: int = 8


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
        response = sender.client.chat_postMessage(
            channel=outgoing.slack_user, **views.question_message(outgoing.ask)
        )
    except SlackApiError as error:
        _classify(sender, error, delivery_id, outgoing.slack_user)
        raise AssertionError("unreachable") from error
    except OSError as error:
        sender.rounds.release(delivery_id=delivery_id)
        raise Transient(type(error).__name__) from error
    sender.quiz.mark_sent(delivery_id=delivery_id, channel=response["channel"], ts=response["ts"])
    report.sent += 1


def _classify(sender: Sender, error: SlackApiError, delivery_id: int, slack_user: str) -> None:
    status = error.response.status_code
    if status == 429:
        retry_after = float(error.response.headers.get("Retry-After", 1))
        sender.rounds.release(delivery_id=delivery_id)
        raise RateLimited(retry_after)
    if status >= 500:
        sender.rounds.release(delivery_id=delivery_id)
        raise Transient(f"http_{status}")
    code = slack_error_code(error)
    sender.quiz.mark_failed(delivery_id=delivery_id, error=code)
    if code in GONE:
        sender.rounds.deactivate(slack_user=slack_user)
    log.warning("round delivery %s to %s failed: %s", delivery_id, slack_user, code)
    raise Permanent(code)


def send_reminders(sender: Sender) -> int:
    """One reminder to each person with unanswered questions in a round past its reminder time."""
    reminders = sender.followup.due_reminders()
    for reminder in reminders:
        closes = _local_time(sender, reminder.slack_user, reminder.closes_at)
        with slack_failure_logged(f"reminding {reminder.slack_user}"):
            sender.pacer.acquire()
            sender.client.chat_postMessage(
                channel=reminder.slack_user,
                text=views.reminder_text(waiting=reminder.waiting, closes=closes),
            )
    return len(reminders)


def _local_time(sender: Sender, slack_user: str, when: datetime) -> str:
    local = when.astimezone(ZoneInfo(sender.quiz.time_zone_of(slack_user=slack_user)))
    return f"{local:%A %H:%M}"


def close_expired(sender: Sender) -> int:
    """Mark unanswered questions past their window as closed, and say so in their message."""
    closures = sender.followup.due_closures()
    for closure in closures:
        with slack_failure_logged(f"closing message {closure.ts}"):
            sender.client.chat_update(
                channel=closure.channel, ts=closure.ts, **views.closed_message(closure.ask)
            )
    return len(closures)
