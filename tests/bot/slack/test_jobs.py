"""The round job: one zone per run, once per date, whether run twice at once or after a crash."""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select

from bot.domain.schedules import Schedule, SchedulesFile
from bot.sandbox import SlackSandbox
from bot.services.access import OPERATOR
from bot.services.rounds.service import STALE_CLAIM, plan_for_schedule
from bot.slack.jobs import activate, run_scheduled_round, sweep
from bot.slack.rounds.delivery import deliver
from bot.slack.scheduler import round_trigger
from storage import models
from storage.tallies import AnalysisRun
from tests.conftest import Clock
from tests.e2e.rounds_world import RoundWorld
from tests.e2e.workspace import DAILY, EVERY_DAY, HARRY, MAYA, OLIVIA, SAM, WEI

LONDON, SINGAPORE, NEW_YORK = "Europe/London", "Asia/Singapore", "America/New_York"
WEDNESDAY = date(2026, 11, 4)


def local(tz: str, day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def posts_by_person(world: RoundWorld) -> Counter[str]:
    calls = world.sandbox.calls_to("chat.postMessage")
    return Counter(world.user_of(c.params["channel"]) for c in calls if c.ok)


def count(world: RoundWorld, model: type[models.Base]) -> int:
    with world.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_job_run_for_one_zone_sends_only_to_the_people_there(
    world: RoundWorld, clock: Clock
) -> None:
    clock.now = local(SINGAPORE, WEDNESDAY)
    run_scheduled_round("daily", SINGAPORE)
    singapore = posts_by_person(world)
    clock.now = local(NEW_YORK, WEDNESDAY)
    run_scheduled_round("daily", NEW_YORK)

    assert singapore == {WEI.id: 2}
    assert posts_by_person(world) == {WEI.id: 2, MAYA.id: 2, SAM.id: 2}
    with world.session() as session:
        rounds = session.execute(select(models.Round.tz, models.Round.local_date)).all()
    assert sorted(rounds) == sorted([(SINGAPORE, WEDNESDAY), (NEW_YORK, WEDNESDAY)])
    assert all(d.message_ts and d.channel for d in world.deliveries())


def test_a_paused_schedule_sends_nothing_until_it_is_resumed(
    world: RoundWorld, clock: Clock
) -> None:
    admin = world.runtime.services.schedules
    admin.set_paused(caller=OPERATOR, key="daily", paused=True)
    run_scheduled_round("daily", LONDON)
    assert (count(world, models.Round), posts_by_person(world)) == (0, Counter())

    admin.set_paused(caller=OPERATOR, key="daily", paused=False)
    run_scheduled_round("daily", LONDON)

    assert posts_by_person(world) == {OLIVIA.id: 2, HARRY.id: 2}


def test_a_job_left_over_from_a_schedule_since_deleted_does_nothing(world: RoundWorld) -> None:
    run_scheduled_round("retired-schedule", LONDON)

    assert (count(world, models.Round), world.sandbox.calls_to("chat.postMessage")) == (0, [])


def assert_each_question_posted_once(world: RoundWorld, people: int) -> None:
    deliveries = world.deliveries()
    pairs = Counter((d.person_id, d.question_code) for d in deliveries)
    assert len(deliveries) == 2 * people and set(pairs.values()) == {1}
    assert world.posts_per_delivery() == Counter({d.id: 1 for d in deliveries})
    assert all(d.message_ts and d.send_error is None for d in deliveries)


def test_the_same_round_job_run_twice_at_once_sends_each_question_once(
    world: RoundWorld,
) -> None:
    start = threading.Barrier(2)

    def run() -> None:
        start.wait(timeout=10)
        run_scheduled_round("daily", LONDON)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for running in [pool.submit(run), pool.submit(run)]:
            running.result(timeout=60)

    assert count(world, models.Round) == 1
    assert posts_by_person(world) == {OLIVIA.id: 2, HARRY.id: 2}
    assert_each_question_posted_once(world, people=2)


def test_a_process_that_died_mid_round_is_finished_by_the_next_without_repeats(
    world: RoundWorld, clock: Clock
) -> None:
    rounds = world.runtime.services.rounds
    opened = rounds.open(plan_for_schedule(DAILY, tz=LONDON, now=clock()))
    sent, *claimed, _last = rounds.unsent(round_id=opened.round_id)
    assert deliver(world.runtime.sender, [sent]).sent == 1
    assert all(rounds.claim(delivery_id=d) for d in claimed)  # ... and then the process died

    later = Clock(clock() + timedelta(minutes=1))
    restarted = world.restarted(later)
    try:
        restarted.activate()
        run_scheduled_round("daily", LONDON)
        unsent_then = restarted.runtime.services.rounds.unsent()
        later.advance(seconds=STALE_CLAIM.total_seconds())
        sweep()
    finally:
        restarted.runtime.engine.dispose()

    assert unsent_then == claimed  # still claimed by the dead process: left alone
    assert count(world, models.Round) == 1
    assert_each_question_posted_once(world, people=2)


def test_a_round_slack_throttles_past_the_retry_budget_is_finished_by_the_next_sweep(
    world: RoundWorld, clock: Clock
) -> None:
    one_at_a_time = dataclasses.replace(world.runtime.sender, workers=1)
    world.sandbox.fail_next("chat.postMessage", status=429, retry_after=30, times=21)
    rounds = world.runtime.services.rounds
    opened = rounds.open(plan_for_schedule(DAILY, tz=LONDON, now=clock()))

    report = deliver(one_at_a_time, rounds.unsent(round_id=opened.round_id))
    assert (report.sent, report.retry_later) == (3, 1)
    assert world.pacer_time.now >= 21 * 30  # every Retry-After was honoured, on the fake clock

    restarted = world.restarted(Clock(clock() + timedelta(minutes=5)))
    try:
        restarted.activate()
        sweep()
    finally:
        restarted.runtime.engine.dispose()

    assert_each_question_posted_once(world, people=2)


def seven_day_night_shift() -> SchedulesFile:
    night = Schedule(id="night", name="Night shift", days=EVERY_DAY, time="01:30", questions=1)
    return SchedulesFile.model_validate(
        {"company": {"country": "GB", "weekend": []}, "schedules": [night.model_dump()]}
    )


def night_fires(world: RoundWorld, until: date) -> list[datetime]:
    """Every fire of the night-shift job in London from now to the end of `until` there."""
    trigger = round_trigger(world.runtime.schedules.schedules[0], LONDON)
    fires = [trigger.get_next_fire_time(None, world.clock())]
    while fires[-1].astimezone(ZoneInfo(LONDON)).date() <= until:
        fires.append(trigger.get_next_fire_time(fires[-1], fires[-1]))
    return fires[:-1]


def test_the_hour_repeated_when_clocks_go_back_opens_that_nights_round_once(
    engine: Engine, sandbox: SlackSandbox, clock: Clock
) -> None:
    clock.now = datetime(2026, 10, 24, 12, tzinfo=UTC)
    world = RoundWorld.open(sandbox, engine, clock, seven_day_night_shift()).stock()
    fires = night_fires(world, until=date(2026, 10, 26))
    world.activate()
    try:
        for fire in fires:  # APScheduler 3 fires in both 01:30s of the 25th: BST, then GMT
            clock.now = fire
            run_scheduled_round("night", LONDON)
    finally:
        activate(None)

    assert len(fires) == 3
    with world.session() as session:
        dates = sorted(session.scalars(select(models.Round.local_date)))
    assert dates == [date(2026, 10, 25), date(2026, 10, 26)]
    assert posts_by_person(world) == {OLIVIA.id: 2, HARRY.id: 2}
    assert set(world.posts_per_delivery().values()) == {1}


def test_a_run_caught_up_early_next_morning_keeps_its_date_and_that_days_run_still_sends(
    world: RoundWorld, clock: Clock
) -> None:
    # Wednesday's 10:00 New York run was missed; the bot is back on Thursday at 05:30 there.
    clock.now = local(NEW_YORK, WEDNESDAY + timedelta(days=1), hour=5, minute=30)
    run_scheduled_round("daily", NEW_YORK)
    clock.now = local(NEW_YORK, WEDNESDAY + timedelta(days=1))
    run_scheduled_round("daily", NEW_YORK)

    with world.session() as session:
        dates = sorted(session.scalars(select(models.Round.local_date)))
    assert dates == [WEDNESDAY, WEDNESDAY + timedelta(days=1)]
    assert posts_by_person(world) == {MAYA.id: 4, SAM.id: 4}


def analysis_runs(world: RoundWorld) -> list[tuple[datetime, int]]:
    with world.session() as session:
        rows = session.execute(select(AnalysisRun.computed_at, AnalysisRun.last_answer_id))
        return [(at.astimezone(UTC), int(last)) for at, last in rows]


def test_the_sweep_recomputes_the_question_analysis_once_answers_came_in(
    world: RoundWorld, clock: Clock
) -> None:
    services = world.runtime.services
    opened = services.rounds.open(plan_for_schedule(DAILY, tz=LONDON, now=clock()))
    deliver(world.runtime.sender, services.rounds.unsent(round_id=opened.round_id))
    sweep()
    assert analysis_runs(world) == [(clock(), 0)]

    delivery, *_ = world.deliveries()
    services.quiz.record_answer(
        slack_user=delivery.person.slack_id,
        delivery_id=delivery.id,
        chosen=list(delivery.question_version.correct),
    )
    clock.advance(minutes=5)
    sweep()
    assert analysis_runs(world) == [(clock() - timedelta(minutes=5), 0)]  # not yet: too soon

    clock.advance(minutes=15)
    sweep()
    ((computed_at, last_answer),) = analysis_runs(world)
    assert computed_at == clock()
    assert last_answer == delivery_answer_id(world, delivery.id)


def delivery_answer_id(world: RoundWorld, delivery_id: int) -> int:
    with world.session() as session:
        found = session.scalar(
            select(models.Answer.id).where(models.Answer.delivery_id == delivery_id)
        )
        assert found is not None
        return int(found)
