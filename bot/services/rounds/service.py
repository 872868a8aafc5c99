"""Rounds: choosing questions for many people at once, and claiming each send exactly once."""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.schedules import Company, Schedule, latest_occurrence
from bot.services.access import Access, Caller
from bot.services.quiz import history
from bot.services.quiz.service import QuestionToAsk, to_ask
from bot.services.rounds.availability import unavailable_reason
from questions.model import Audience
from questions.policy import Choice
from storage import models, once
from storage.db import UnitOfWork, affected, retry_conflicts

# A claim older than this is taken to belong to a process that died mid-send.
STALE_CLAIM = timedelta(minutes=5)
# Presses of "quiz this department now" (by anyone) this close together open one round.
REPEAT_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class RoundPlan:
    """What a round is: who it is for, how many questions each, and its answer window."""

    kind: str
    audience: Audience
    questions_each: int
    window_hours: int
    reminder_hours: int | None
    schedule_key: str | None = None
    tz: str | None = None
    local_date: date | None = None
    department: str | None = None
    requested_by: str | None = None


@dataclass
class RoundOpened:
    round_id: int
    created: int = 0
    already: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    # Set when this request repeated one that opened the round moments ago (a second press).
    repeat_of: datetime | None = None


@dataclass(frozen=True)
class Outgoing:
    """One claimed delivery, ready to post."""

    delivery_id: int
    slack_user: str
    ask: QuestionToAsk
    # The person's DM with the bot, once opened; None until then.
    dm_channel: str | None = None
    # Set when an earlier attempt may have posted it: look for that message before posting.
    doubt_since: datetime | None = None


def plan_for_schedule(schedule: Schedule, *, tz: str, now: datetime) -> RoundPlan:
    """The round of the schedule's latest occurrence in one time zone, dated in that zone."""
    occurrence = latest_occurrence(schedule, tz, now) or now
    return RoundPlan(
        kind="scheduled",
        audience=schedule.audience,
        questions_each=schedule.questions,
        window_hours=schedule.answer_window_hours,
        reminder_hours=schedule.reminder_after_hours,
        schedule_key=schedule.id,
        tz=tz,
        local_date=occurrence.astimezone(ZoneInfo(tz)).date(),
    )


ADHOC_WINDOW_HOURS = 48
ADHOC_REMINDER_HOURS = 24


def adhoc_plan(
    *,
    department: str,
    requested_by: str | None,
    questions: int = 1,
    window_hours: int = ADHOC_WINDOW_HOURS,
) -> RoundPlan:
    """A round a manager sends a department now; it closes like a scheduled one."""
    return RoundPlan(
        kind="adhoc",
        audience=Audience(),
        questions_each=questions,
        window_hours=window_hours,
        reminder_hours=min(ADHOC_REMINDER_HOURS, window_hours // 2) or None,
        department=department,
        requested_by=requested_by,
    )


class RoundService:
    def __init__(
        self,
        *,
        uow: Callable[[], UnitOfWork],
        clock: Callable[[], datetime],
        company: Company,
        recent_days: int,
        access: Access,
        stale_claim: timedelta = STALE_CLAIM,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._company = company
        self._recent_days = recent_days
        self._access = access
        self._stale_claim = stale_claim

    def open_for_department(
        self, *, caller: Caller, department: str, questions: int = 1, window_hours: int = 0
    ) -> tuple[str, RoundOpened]:
        """A round for one department now, if the caller may see it (named in any case).

        Returns the department as the roster spells it. Raises NotAllowed otherwise.
        """
        name = self._access.department_for(caller, department)
        plan = adhoc_plan(
            department=name,
            requested_by=caller.slack_user,
            questions=questions,
            window_hours=window_hours or ADHOC_WINDOW_HOURS,
        )
        return name, self.open(plan, request_key=f"round:{name.casefold()}")

    def open(self, plan: RoundPlan, *, request_key: str | None = None) -> RoundOpened:
        """Create the round (or find it, if this run already happened) and its deliveries.

        With a `request_key`, a request repeating one that opened a round within
        `REPEAT_WINDOW` opens nothing and returns that round, marked `repeat_of`.
        """
        return retry_conflicts(lambda: self._open(plan, request_key))

    def _open(self, plan: RoundPlan, request_key: str | None) -> RoundOpened:
        now = self._clock()
        with self._uow() as work:
            if request_key is not None:
                claimed = once.claim(work.session, key=request_key, now=now, window=REPEAT_WINDOW)
                if not claimed.first and claimed.result is not None:
                    work.commit()
                    return RoundOpened(round_id=int(claimed.result), repeat_of=claimed.since)
            round_ = _get_or_create_round(work, plan, now)
            if request_key is not None:
                once.remember(work.session, key=request_key, result=str(round_.id))
            opened = RoundOpened(round_id=round_.id)
            people = _audience(work.session, plan)
            self._add_deliveries(work.session, round_, people, opened, now)
            work.commit()
        return opened

    def _add_deliveries(
        self,
        session: Session,
        round_: models.Round,
        people: list[models.Person],
        opened: RoundOpened,
        now: datetime,
    ) -> None:
        histories = history.Histories.load(session, [p.id for p in people])
        versions = history.current_versions(session, [q.code for q in histories.bank])
        started = _people_started(session, round_.id)
        for person in people:
            reason = self._skip_reason(person, round_, now)
            if reason is not None:
                opened.skipped[reason] += 1
                continue
            if person.id in started:
                opened.already += 1
                continue
            choices = histories.choose(
                person,
                now=now,
                count=round_.questions_each,
                seed=zlib.crc32(f"{round_.id}:{person.id}".encode()),
                gap_days=self._recent_days,
            )
            if not choices:
                opened.skipped["no questions"] += 1
                continue
            opened.created += _insert_deliveries(session, round_, person, choices, versions, now)

    def _skip_reason(
        self, person: models.Person, round_: models.Round, now: datetime
    ) -> str | None:
        local_date = round_.local_date or now.astimezone(ZoneInfo(person.tz)).date()
        return unavailable_reason(
            is_active=person.is_active,
            paused_until=person.paused_until,
            local_date=local_date,
            weekend=self._company.weekend,
            country=person.country or self._company.country,
        )

    def claim(self, *, delivery_id: int) -> Outgoing | None:
        """Take one unsent delivery for sending; None if another process has it or it's done."""
        now = self._clock()
        with self._uow() as work:
            claimed = affected(
                work.session.execute(
                    update(models.Delivery)
                    .where(models.Delivery.id == delivery_id)
                    .where(models.Delivery.message_ts.is_(None))
                    .where(models.Delivery.send_error.is_(None))
                    .where(
                        (models.Delivery.claimed_at.is_(None))
                        | (models.Delivery.claimed_at < now - self._stale_claim)
                    )
                    # A stale claim was never given back: its sender may have posted, then died.
                    .values(
                        claimed_at=now,
                        doubt_since=func.coalesce(
                            models.Delivery.doubt_since, models.Delivery.claimed_at
                        ),
                    )
                )
            )
            if claimed != 1:
                return None
            delivery = work.session.get_one(models.Delivery, delivery_id)
            work.session.refresh(delivery)
            person = delivery.person
            outgoing = Outgoing(
                delivery.id, person.slack_id, to_ask(delivery), person.dm_channel,
                delivery.doubt_since,
            )  # fmt: skip
            work.commit()
        return outgoing

    def release(self, *, delivery_id: int, in_doubt: bool = False) -> None:
        """Give a delivery back after a failure, so a later sweep sends it.

        `in_doubt` when the post may have reached Slack (a timeout, a 5xx): the next attempt
        then looks for the message before posting it again.
        """
        values: dict[str, Any] = {"claimed_at": None}
        if in_doubt:
            values["doubt_since"] = func.coalesce(
                models.Delivery.doubt_since, models.Delivery.claimed_at
            )
        with self._uow() as work:
            work.session.execute(
                update(models.Delivery)
                .where(models.Delivery.id == delivery_id, models.Delivery.message_ts.is_(None))
                .values(**values)
            )
            work.commit()

    def forget_old_keys(self) -> int:
        """Drop the record of events and requests older than two days; the sweep calls this."""
        with self._uow() as work:
            dropped = once.forget_before(work.session, moment=self._clock() - timedelta(days=2))
            work.commit()
        return dropped

    def remember_dm(self, *, slack_user: str, channel: str) -> None:
        """Keep the person's DM channel: looking a message up needs it before the first post."""
        with self._uow() as work:
            work.session.execute(
                update(models.Person)
                .where(models.Person.slack_id == slack_user)
                .values(dm_channel=channel)
            )
            work.commit()

    def unsent(self, *, round_id: int | None = None) -> list[int]:
        """Deliveries of open rounds not yet sent or failed, oldest first."""
        now = self._clock()
        with self._uow() as work:
            statement = (
                select(models.Delivery.id)
                .where(models.Delivery.round_id.is_not(None))
                .where(models.Delivery.message_ts.is_(None))
                .where(models.Delivery.send_error.is_(None))
                .where(models.Delivery.closed_at.is_(None))
                .where((models.Delivery.closes_at.is_(None)) | (models.Delivery.closes_at > now))
                .order_by(models.Delivery.id)
            )
            if round_id is not None:
                statement = statement.where(models.Delivery.round_id == round_id)
            return list(work.session.scalars(statement))

    def time_zones(self) -> set[str]:
        """The time zones of everyone active: one round job per schedule and zone."""
        with self._uow() as work:
            return set(
                work.session.scalars(
                    select(models.Person.tz).where(models.Person.is_active.is_(True)).distinct()
                )
            )

    def deactivate(self, *, slack_user: str) -> None:
        """Slack says this account is gone or inactive: stop sending it rounds."""
        with self._uow() as work:
            work.session.execute(
                update(models.Person)
                .where(models.Person.slack_id == slack_user)
                .values(is_active=False)
            )
            work.commit()


def _get_or_create_round(work: UnitOfWork, plan: RoundPlan, now: datetime) -> models.Round:
    session = work.session
    if plan.kind == "scheduled":
        existing = session.scalar(
            select(models.Round).where(
                models.Round.schedule_key == plan.schedule_key,
                models.Round.tz == plan.tz,
                models.Round.local_date == plan.local_date,
            )
        )
        if existing is not None:
            return existing
    round_ = models.Round(
        kind=plan.kind,
        schedule_key=plan.schedule_key,
        tz=plan.tz,
        local_date=plan.local_date,
        department=plan.department,
        requested_by=plan.requested_by,
        questions_each=plan.questions_each,
        started_at=now,
        remind_at=now + timedelta(hours=plan.reminder_hours) if plan.reminder_hours else None,
        closes_at=now + timedelta(hours=plan.window_hours),
    )
    try:
        with session.begin_nested():
            session.add(round_)
    except IntegrityError:
        # Another process opened the same scheduled round first; use theirs.
        return session.scalars(
            select(models.Round).where(
                models.Round.schedule_key == plan.schedule_key,
                models.Round.tz == plan.tz,
                models.Round.local_date == plan.local_date,
            )
        ).one()
    return round_


def _audience(session: Session, plan: RoundPlan) -> list[models.Person]:
    statement = select(models.Person).order_by(models.Person.id)
    if plan.tz is not None:
        statement = statement.where(models.Person.tz == plan.tz)
    if plan.department is not None:
        statement = statement.where(models.Person.department == plan.department)
    return [
        p
        for p in session.scalars(statement)
        if plan.audience.includes(department=p.department, role=p.role)
    ]


def _people_started(session: Session, round_id: int) -> set[int]:
    statement = select(models.Delivery.person_id).where(models.Delivery.round_id == round_id)
    return set(session.scalars(statement))


def _insert_deliveries(
    session: Session,
    round_: models.Round,
    person: models.Person,
    choices: list[Choice],
    versions: dict[str, models.QuestionVersion],
    now: datetime,
) -> int:
    deliveries = [
        models.Delivery(
            round_id=round_.id,
            person_id=person.id,
            question_version_id=versions[c.question_code].id,
            source=round_.kind,
            question_code=c.question_code,
            procedure_code=versions[c.question_code].question.procedure.code,
            department=person.department,
            role=person.role,
            delivered_at=now,
            closes_at=round_.closes_at,
        )
        for c in choices
    ]
    try:
        # One savepoint per person: the unique (round, person, question) key makes a racing
        # run's second attempt fail here, and that person is left to the run that won.
        with session.begin_nested():
            session.add_all(deliveries)
    except IntegrityError:
        return 0
    return len(deliveries)
