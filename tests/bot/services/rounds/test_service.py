"""Opening rounds: each time zone on its own date, people away skipped, every send claimed once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.domain.schedules import Company
from bot.services.access import Access
from bot.services.departments import declare_departments
from bot.services.quiz.service import QuizService
from bot.services.rounds.service import STALE_CLAIM, RoundOpened, RoundService, plan_for_schedule
from bot.services.staff import import_roster, sync_staff
from storage import models
from storage.db import UnitOfWork
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.bot.services.helpers import procedure_file, question, sync, write_bank
from tests.conftest import Clock
from tests.e2e.workspace import (
    DAILY,
    EVERY_DAY,
    HARRY,
    MAYA,
    OLIVIA,
    SAM,
    WEI,
    ZONED_PEOPLE,
    zoned_roster,
)

LONDON, SINGAPORE, NEW_YORK = "Europe/London", "Asia/Singapore", "America/New_York"
WEDNESDAY = date(2026, 11, 4)  # no public holiday in GB, SG or the US
EARLY = DAILY.model_copy(update={"id": "early", "time": "07:30"})


def at_ten(tz: str, day: date) -> datetime:
    """10:00 on `day` in `tz`, as the scheduler would fire DAILY there."""
    return datetime.combine(day, time(10), tzinfo=ZoneInfo(tz))


def stock(uow: Callable[[], UnitOfWork], clock: Clock, folder: Path) -> FakeDirectory:
    """A three-question bank for everyone, and ZONED_PEOPLE synced with their roster rows."""
    directory = FakeDirectory(
        [slack_user(u.id, u.name, email=u.email, tz=u.tz) for u in ZONED_PEOPLE]
    )
    codes = ["QP-08-001", "QP-08-002", "QP-08-003"]
    sync(uow, write_bank(folder, [procedure_file("QP-08", [question(c) for c in codes])]), clock())
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock())
    assert import_roster(
        uow=uow, rows=zoned_roster(), departments=declare_departments(["Production"])
    ).matched == len(ZONED_PEOPLE)
    return directory


@pytest.fixture
def directory(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> FakeDirectory:
    return stock(uow, clock, tmp_path / "bank")


def round_service(uow: Callable[[], UnitOfWork], clock: Clock, **company: object) -> RoundService:
    return RoundService(
        uow=uow,
        clock=clock,
        company=Company.model_validate({"country": "GB", **company}),
        recent_days=14,
        access=Access(uow=uow, admins=[]),
    )


@pytest.fixture
def rounds(uow: Callable[[], UnitOfWork], clock: Clock, directory: FakeDirectory) -> RoundService:
    return round_service(uow, clock)


@pytest.fixture
def quiz(uow: Callable[[], UnitOfWork], clock: Clock, directory: FakeDirectory) -> QuizService:
    return QuizService(uow=uow, directory=directory, clock=clock, recent_days=14)


def open_daily(rounds: RoundService, clock: Clock, tz: str, day: date) -> RoundOpened:
    clock.now = at_ten(tz, day)
    return rounds.open(plan_for_schedule(DAILY, tz=tz, now=clock()))


def recipients(uow: Callable[[], UnitOfWork], round_id: int) -> dict[str, list[str]]:
    """Each person's question codes in a round, by Slack id."""
    found: dict[str, list[str]] = {}
    with uow() as work:
        rows = work.session.execute(
            select(models.Person.slack_id, models.Delivery.question_code)
            .join(models.Delivery, models.Delivery.person_id == models.Person.id)
            .where(models.Delivery.round_id == round_id)
            .order_by(models.Delivery.id)
        )
        for slack_id, code in rows:
            found.setdefault(slack_id, []).append(code)
    return found


def early(tz: str, day: date) -> datetime:
    """07:30 on `day` in `tz`: in Singapore that is still the day before in UTC."""
    return datetime.combine(day, time(7, 30), tzinfo=ZoneInfo(tz)).astimezone(ZoneInfo("UTC"))


def test_each_zone_dates_its_round_by_its_own_calendar_not_utcs() -> None:
    monday = date(2026, 11, 2)

    fired = {tz: early(tz, monday) for tz in (LONDON, SINGAPORE, NEW_YORK)}
    plans = {tz: plan_for_schedule(EARLY, tz=tz, now=now) for tz, now in fired.items()}

    assert {tz: now.date() for tz, now in fired.items()} == {
        LONDON: monday,
        SINGAPORE: monday - timedelta(days=1),
        NEW_YORK: monday,
    }
    assert {tz: plan.local_date for tz, plan in plans.items()} == dict.fromkeys(fired, monday)
    plan = plans[SINGAPORE]
    assert (plan.kind, plan.schedule_key, plan.tz, plan.questions_each) == (
        "scheduled",
        "early",
        SINGAPORE,
        2,
    )
    assert (plan.window_hours, plan.reminder_hours) == (48, 24)


@pytest.mark.parametrize(
    ("tz", "people"),
    [(LONDON, [OLIVIA, HARRY]), (SINGAPORE, [WEI]), (NEW_YORK, [MAYA, SAM])],
)
def test_a_round_in_one_zone_reaches_only_the_people_there(
    rounds: RoundService, uow: Callable[[], UnitOfWork], clock: Clock, tz: str, people: list
) -> None:
    opened = open_daily(rounds, clock, tz, WEDNESDAY)

    sent = recipients(uow, opened.round_id)
    assert sorted(sent) == sorted(p.id for p in people)
    assert all(len(set(codes)) == len(codes) == 2 for codes in sent.values()), sent
    assert (opened.created, opened.already, opened.skipped) == (2 * len(people), 0, Counter())
    with uow() as work:
        round_ = work.session.get_one(models.Round, opened.round_id)
        assert (round_.tz, round_.local_date, round_.started_at) == (tz, WEDNESDAY, clock())
        assert round_.remind_at == clock() + timedelta(hours=24)
        assert round_.closes_at == clock() + timedelta(hours=48)


def test_the_same_run_opened_again_adds_nothing_and_the_next_day_is_a_new_round(
    rounds: RoundService, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    first = open_daily(rounds, clock, LONDON, WEDNESDAY)
    clock.advance(hours=3)
    again = rounds.open(plan_for_schedule(DAILY, tz=LONDON, now=clock()))
    tomorrow = open_daily(rounds, clock, LONDON, WEDNESDAY + timedelta(days=1))

    assert again.round_id == first.round_id
    assert (again.created, again.already) == (0, 2)
    assert recipients(uow, first.round_id) == recipients(uow, again.round_id)
    assert tomorrow.round_id != first.round_id
    assert tomorrow.created == 4


@pytest.mark.parametrize(
    ("tz", "day", "skipped", "people"),
    [
        (LONDON, date(2026, 11, 7), {"weekend": 2}, []),  # a Saturday
        (LONDON, date(2026, 12, 25), {"holiday": 2}, []),  # Christmas Day, a Friday
        (NEW_YORK, date(2026, 11, 26), {"holiday": 1}, [SAM]),  # Thanksgiving: Maya is US
        (NEW_YORK, date(2026, 12, 28), {"holiday": 1}, [MAYA]),  # GB's Boxing Day, observed
        (SINGAPORE, date(2026, 11, 9), {"holiday": 1}, []),  # Deepavali, observed in SG
        (LONDON, date(2026, 11, 9), {}, [OLIVIA, HARRY]),  # ... but not in GB
    ],
)
def test_weekends_and_public_holidays_are_skipped_by_each_persons_own_calendar(
    rounds: RoundService,
    uow: Callable[[], UnitOfWork],
    clock: Clock,
    tz: str,
    day: date,
    skipped: dict[str, int],
    people: list,
) -> None:
    opened = open_daily(rounds, clock, tz, day)

    assert opened.skipped == Counter(skipped)
    assert sorted(recipients(uow, opened.round_id)) == sorted(p.id for p in people)
    assert opened.created == 2 * len(people)


def test_a_weekday_run_caught_up_on_saturday_is_fridays_round_not_a_weekend_skip(
    rounds: RoundService, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    weekdays = DAILY.model_copy(update={"id": "weekdays", "days": EVERY_DAY[:5]})
    friday = date(2026, 11, 6)
    clock.now = at_ten(LONDON, friday + timedelta(days=1)) - timedelta(hours=1)

    opened = rounds.open(plan_for_schedule(weekdays, tz=LONDON, now=clock()))

    with uow() as work:
        assert work.session.get_one(models.Round, opened.round_id).local_date == friday
    assert (opened.skipped, opened.created) == (Counter(), 4)


def test_the_company_weekend_comes_from_the_schedules_file(
    uow: Callable[[], UnitOfWork], clock: Clock, directory: FakeDirectory
) -> None:
    rounds = round_service(uow, clock, weekend=["fri", "sat"])

    friday = open_daily(rounds, clock, LONDON, date(2026, 11, 6))
    sunday = open_daily(rounds, clock, LONDON, date(2026, 11, 8))

    assert (friday.skipped, friday.created) == (Counter(weekend=2), 0)
    assert (sunday.skipped, sunday.created) == (Counter(), 4)


def test_a_pause_holds_through_its_last_day_and_rounds_come_back_after_it(
    rounds: RoundService, quiz: QuizService, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz.pause(slack_user=OLIVIA.id, until=WEDNESDAY)

    last_day = open_daily(rounds, clock, LONDON, WEDNESDAY)
    day_after = open_daily(rounds, clock, LONDON, WEDNESDAY + timedelta(days=1))

    assert last_day.skipped == Counter(paused=1)
    assert sorted(recipients(uow, last_day.round_id)) == [HARRY.id]
    assert day_after.skipped == Counter()
    assert sorted(recipients(uow, day_after.round_id)) == sorted([OLIVIA.id, HARRY.id])


def test_resuming_early_brings_rounds_back_at_once(
    rounds: RoundService, quiz: QuizService, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz.pause(slack_user=OLIVIA.id, until=WEDNESDAY + timedelta(days=10))
    paused = open_daily(rounds, clock, LONDON, WEDNESDAY)
    quiz.pause(slack_user=OLIVIA.id, until=None)

    resumed = open_daily(rounds, clock, LONDON, WEDNESDAY + timedelta(days=1))

    assert paused.skipped == Counter(paused=1)
    assert resumed.skipped == Counter()
    assert OLIVIA.id in recipients(uow, resumed.round_id)
    with uow() as work:
        person = work.session.scalars(
            select(models.Person).where(models.Person.slack_id == OLIVIA.id)
        ).one()
        assert person.paused_until is None


def test_a_pause_ends_by_the_persons_own_date_not_the_servers(
    rounds: RoundService, quiz: QuizService, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz.pause(slack_user=WEI.id, until=WEDNESDAY)
    clock.now = early(SINGAPORE, WEDNESDAY + timedelta(days=1))
    assert clock().date() == WEDNESDAY  # in UTC

    opened = rounds.open(plan_for_schedule(EARLY, tz=SINGAPORE, now=clock()))

    assert opened.skipped == Counter()
    assert list(recipients(uow, opened.round_id)) == [WEI.id]


def test_people_deactivated_are_skipped_and_their_zone_dropped(
    rounds: RoundService, clock: Clock
) -> None:
    assert rounds.time_zones() == {LONDON, SINGAPORE, NEW_YORK}
    rounds.deactivate(slack_user=WEI.id)
    rounds.deactivate(slack_user=HARRY.id)

    london = open_daily(rounds, clock, LONDON, WEDNESDAY)

    assert (london.skipped, london.created) == (Counter(inactive=1), 2)
    assert rounds.time_zones() == {LONDON, NEW_YORK}


def test_a_delivery_is_claimed_once_until_released_or_its_claim_goes_stale(
    rounds: RoundService, quiz: QuizService, clock: Clock
) -> None:
    opened = open_daily(rounds, clock, LONDON, WEDNESDAY)
    first, second, third, fourth = rounds.unsent(round_id=opened.round_id)

    claimed = rounds.claim(delivery_id=first)
    assert claimed is not None and claimed.slack_user == OLIVIA.id
    assert rounds.claim(delivery_id=first) is None
    rounds.release(delivery_id=first)
    assert rounds.claim(delivery_id=first) is not None
    clock.advance(seconds=STALE_CLAIM.total_seconds())
    assert rounds.claim(delivery_id=first) is None  # exactly five minutes: still theirs
    clock.advance(seconds=1)
    assert rounds.claim(delivery_id=first) is not None  # the claimer is taken to have died

    quiz.mark_sent(delivery_id=first, channel="D1", ts="1.000001")
    rounds.release(delivery_id=first)
    quiz.mark_failed(delivery_id=second, error="account_inactive")
    assert rounds.claim(delivery_id=first) is None
    assert rounds.claim(delivery_id=second) is None
    assert rounds.unsent(round_id=opened.round_id) == [third, fourth]
    clock.advance(hours=48)
    assert rounds.unsent() == []
