"""After a round is sent: one reminder to those who haven't answered, then closing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import aliased

from bot.services.quiz.service import QuestionToAsk, to_ask
from storage import models
from storage.db import UnitOfWork, affected

_answered = exists().where(models.Answer.delivery_id == models.Delivery.id)
_other = aliased(models.Delivery)
# A person is reminded once per round: once any of their deliveries in it carries the mark.
_reminded_in_round = (
    exists()
    .where(_other.round_id == models.Delivery.round_id)
    .where(_other.person_id == models.Delivery.person_id)
    .where(_other.reminded_at.is_not(None))
)


@dataclass(frozen=True)
class Reminder:
    round_id: int
    person_id: int
    slack_user: str
    waiting: int
    closes_at: datetime


@dataclass(frozen=True)
class Closure:
    delivery_id: int
    channel: str
    ts: str
    ask: QuestionToAsk


class FollowUpService:
    def __init__(self, *, uow: Callable[[], UnitOfWork], clock: Callable[[], datetime]) -> None:
        self._uow = uow
        self._clock = clock

    def due_reminders(self) -> list[Reminder]:
        """Claim and return one reminder per person and round with questions still unanswered."""
        now = self._clock()
        with self._uow() as work:
            pending = work.session.execute(
                select(models.Round.id, models.Delivery.person_id)
                .join(models.Delivery, models.Delivery.round_id == models.Round.id)
                .where(models.Round.remind_at <= now, models.Round.closes_at > now)
                .where(models.Delivery.message_ts.is_not(None))
                .where(models.Delivery.closed_at.is_(None))
                .where(~_answered)
                .where(~_reminded_in_round)
                .distinct()
            ).all()
            claimed = [
                self._claim(work, round_id, person_id, now) for round_id, person_id in pending
            ]
            work.commit()
        return [r for r in claimed if r is not None]

    def _claim(
        self, work: UnitOfWork, round_id: int, person_id: int, now: datetime
    ) -> Reminder | None:
        won = affected(
            work.session.execute(
                update(models.Delivery)
                .where(models.Delivery.round_id == round_id)
                .where(models.Delivery.person_id == person_id)
                .where(models.Delivery.reminded_at.is_(None))
                .where(~_reminded_in_round)
                .values(reminded_at=now)
                .execution_options(synchronize_session=False)
            )
        )
        if not won:
            return None
        waiting = work.session.scalar(
            select(func.count(models.Delivery.id))
            .where(models.Delivery.round_id == round_id)
            .where(models.Delivery.person_id == person_id)
            .where(models.Delivery.message_ts.is_not(None))
            .where(models.Delivery.closed_at.is_(None))
            .where(~_answered)
        )
        person = work.session.get_one(models.Person, person_id)
        round_ = work.session.get_one(models.Round, round_id)
        assert round_.closes_at is not None
        return Reminder(round_id, person_id, person.slack_id, waiting or 1, round_.closes_at)

    def release_reminder(self, *, round_id: int, person_id: int) -> None:
        """Give a reminder back after Slack throttled or failed it, so a later sweep sends it."""
        with self._uow() as work:
            work.session.execute(
                update(models.Delivery)
                .where(models.Delivery.round_id == round_id)
                .where(models.Delivery.person_id == person_id)
                .values(reminded_at=None)
            )
            work.commit()

    def release_closure(self, *, delivery_id: int) -> None:
        """Give a closure back so a later sweep updates the message."""
        with self._uow() as work:
            work.session.execute(
                update(models.Delivery)
                .where(models.Delivery.id == delivery_id)
                .values(closed_at=None)
            )
            work.commit()

    def due_closures(self) -> list[Closure]:
        """Claim and return deliveries whose answer window has ended unanswered."""
        now = self._clock()
        with self._uow() as work:
            ids = list(
                work.session.scalars(
                    select(models.Delivery.id)
                    .where(models.Delivery.closes_at <= now)
                    .where(models.Delivery.closed_at.is_(None))
                    .where(~_answered)
                )
            )
            closures = [c for c in (self._close(work, i, now) for i in ids) if c is not None]
            work.commit()
        return closures

    def _close(self, work: UnitOfWork, delivery_id: int, now: datetime) -> Closure | None:
        won = affected(
            work.session.execute(
                update(models.Delivery)
                .where(models.Delivery.id == delivery_id, models.Delivery.closed_at.is_(None))
                .values(closed_at=now)
                .execution_options(synchronize_session=False)
            )
        )
        delivery = work.session.get_one(models.Delivery, delivery_id)
        if won != 1 or delivery.message_ts is None or delivery.channel is None:
            return None
        return Closure(delivery.id, delivery.channel, delivery.message_ts, to_ask(delivery))
