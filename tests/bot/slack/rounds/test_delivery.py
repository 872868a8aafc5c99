"""Sending a round through Slack: throttling and outages retried, lost accounts set aside,
one reminder to those who haven't answered, and closing what is left unanswered."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.sandbox import RecordedCall
from bot.services.quiz.service import AnswerOutcome, AnswerRefused, Refusal
from bot.services.rounds.service import RoundOpened, plan_for_schedule
from bot.slack.jobs import run_scheduled_round, sweep
from bot.slack.rounds.delivery import close_expired, deliver, send_reminders
from storage import models
from tests.conftest import Clock
from tests.e2e.harness import message_text
from tests.e2e.rounds_world import RoundWorld
from tests.e2e.workspace import DAILY, HARRY, OLIVIA, WEI

LONDON, SINGAPORE = "Europe/London", "Asia/Singapore"
WEDNESDAY = date(2026, 11, 4)
CLOSED = "This question has closed, so answers are no longer taken."


def ten_am(tz: str, day: date = WEDNESDAY) -> datetime:
    return datetime.combine(day, time(10), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def open_round(world: RoundWorld, tz: str = LONDON) -> tuple[RoundOpened, list[int]]:
    rounds = world.runtime.services.rounds
    opened = rounds.open(plan_for_schedule(DAILY, tz=tz, now=world.clock()))
    return opened, rounds.unsent(round_id=opened.round_id)


def posts_to(world: RoundWorld, user_id: str) -> list[RecordedCall]:
    calls = world.sandbox.calls_to("chat.postMessage")
    return [c for c in calls if c.ok and world.user_of(c.params["channel"]) == user_id]


def answer_all(world: RoundWorld, user_id: str) -> None:
    """The person clicks the first option of each of their questions."""
    quiz = world.runtime.services.quiz
    for delivery in world.deliveries():
        if delivery.person.slack_id == user_id:
            key = delivery.question_version.options[0][0]
            outcome = quiz.record_answer(slack_user=user_id, delivery_id=delivery.id, chosen=[key])
            assert isinstance(outcome, AnswerOutcome)


def test_throttling_and_outages_are_retried_until_each_question_lands_once(
    world: RoundWorld,
) -> None:
    world.sandbox.fail_next("chat.postMessage", status=429, retry_after=30, times=2)
    world.sandbox.fail_next("chat.postMessage", status=500)
    _opened, pending = open_round(world)

    report = deliver(world.runtime.sender, pending)

    assert (report.sent, report.failed, report.retry_later) == (4, Counter(), 0)
    attempts = world.sandbox.calls_to("chat.postMessage")
    assert Counter(c.error for c in attempts if not c.ok) == {"ratelimited": 2, "http_500": 1}
    assert world.posts_per_delivery() == Counter({d: 1 for d in pending})
    assert all(d.message_ts for d in world.deliveries())
    assert world.pacer_time.now >= 30  # everyone waited out the Retry-After, on the fake clock


@pytest.mark.parametrize(
    ("error", "deactivated"),
    [("account_inactive", True), ("user_not_found", True), ("restricted_action", False)],
)
def test_a_person_slack_refuses_is_recorded_and_the_rest_still_get_theirs(
    world: RoundWorld, error: str, deactivated: bool
) -> None:
    world.sandbox.fail_next("chat.postMessage", status=200, error=error)
    _opened, pending = open_round(world)
    one_at_a_time = dataclasses.replace(world.runtime.sender, workers=1)

    report = deliver(one_at_a_time, pending)
    sweep()

    assert (report.sent, report.failed) == (3, Counter({error: 1}))
    failed, *delivered = world.deliveries()
    assert (failed.person.slack_id, failed.send_error, failed.message_ts) == (
        OLIVIA.id,
        error,
        None,
    )
    assert all(d.message_ts and d.send_error is None for d in delivered)
    assert world.posts_per_delivery() == Counter({d.id: 1 for d in delivered})
    with world.session() as session:
        active = session.scalar(select(models.Person.is_active).filter_by(slack_id=OLIVIA.id))
    assert active is not deactivated


def test_someone_gone_from_slack_is_skipped_by_later_rounds(
    world: RoundWorld, clock: Clock
) -> None:
    world.sandbox.fail_next("chat.postMessage", status=200, error="account_inactive")
    deliver(dataclasses.replace(world.runtime.sender, workers=1), open_round(world)[1])
    clock.now = ten_am(LONDON, WEDNESDAY + timedelta(days=1))

    opened, pending = open_round(world)

    assert opened.skipped == Counter(inactive=1)
    assert {d.person.slack_id for d in world.deliveries() if d.id in pending} == {HARRY.id}


def test_one_reminder_goes_only_to_people_who_have_not_answered(
    world: RoundWorld, clock: Clock
) -> None:
    run_scheduled_round("daily", LONDON)
    answer_all(world, OLIVIA.id)
    clock.advance(hours=23)
    assert send_reminders(world.runtime.sender) == 0

    clock.advance(hours=1)
    reminded = send_reminders(world.runtime.sender)
    clock.advance(hours=6)
    again = send_reminders(world.runtime.sender)
    sweep()

    assert (reminded, again) == (1, 0)
    assert len(posts_to(world, OLIVIA.id)) == 2  # her two questions, and no reminder
    *questions, reminder = posts_to(world, HARRY.id)
    assert len(questions) == 2
    assert reminder.params["text"].startswith(":alarm_clock: Reminder: 2 questions from")
    assert reminder.params["text"].endswith("Answers close Friday 10:00.")


def test_a_reminder_gives_the_closing_time_in_the_persons_own_zone(
    world: RoundWorld, clock: Clock
) -> None:
    clock.now = ten_am(SINGAPORE)
    run_scheduled_round("daily", SINGAPORE)
    clock.advance(hours=24)

    send_reminders(world.runtime.sender)

    *questions, reminder = posts_to(world, WEI.id)
    assert len(questions) == 2
    assert reminder.params["text"].endswith("Answers close Friday 10:00.")


def test_an_unanswered_question_is_closed_in_place_after_its_window(
    world: RoundWorld, clock: Clock
) -> None:
    run_scheduled_round("daily", LONDON)
    answer_all(world, OLIVIA.id)
    clock.advance(hours=48)

    closed = close_expired(world.runtime.sender)
    sweep()

    harry = [d for d in world.deliveries() if d.person.slack_id == HARRY.id]
    updates = world.sandbox.calls_to("chat.update")
    assert closed == 2
    assert sorted(u.params["ts"] for u in updates) == sorted(d.message_ts for d in harry)
    for update in updates:
        assert update.ok and update.params["text"].startswith("Closed: ")
        assert CLOSED in message_text(update)
        message = world.sandbox.message(update.params["channel"], update.params["ts"])
        assert "actions" not in [b["type"] for b in message["blocks"]]
    assert all(d.closed_at == clock() for d in harry)


def test_a_click_after_the_window_is_refused_and_the_question_stays_unanswered(
    world: RoundWorld, clock: Clock
) -> None:
    run_scheduled_round("daily", LONDON)
    clock.advance(hours=48)
    close_expired(world.runtime.sender)
    late = world.deliveries()[0]

    outcome = world.runtime.services.quiz.record_answer(
        slack_user=late.person.slack_id,
        delivery_id=late.id,
        chosen=[late.question_version.options[0][0]],
    )

    assert outcome == AnswerRefused(Refusal.CLOSED)
    with world.session() as session:
        assert session.scalar(select(func.count()).select_from(models.Answer)) == 0
    deliveries = world.deliveries()
    assert len(deliveries) == 4
    assert all(d.closed_at is not None and d.answer is None for d in deliveries)


def test_a_reminder_slack_throttles_is_sent_later_not_lost(world: RoundWorld, clock: Clock) -> None:
    run_scheduled_round("daily", LONDON)
    answer_all(world, OLIVIA.id)
    clock.advance(hours=24)
    world.sandbox.fail_next("chat.postMessage", status=429, retry_after=30)

    send_reminders(world.runtime.sender)
    clock.advance(minutes=5)
    sweep()

    *questions, reminder = posts_to(world, HARRY.id)
    assert len(questions) == 2
    assert reminder.params["text"].startswith(":alarm_clock: Reminder:")
