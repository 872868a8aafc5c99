"""Listing, pausing and resuming schedules; the pause state lives in the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.domain.schedules import Schedule, SchedulesFile
from bot.services.access import Access, Caller
from storage import models
from storage.db import UnitOfWork


@dataclass(frozen=True)
class ScheduleState:
    schedule: Schedule
    paused: bool


class UnknownSchedule(Exception):
    def __init__(self, key: str, known: list[str]) -> None:
        super().__init__(f"no schedule {key!r}; known: {', '.join(known) or 'none'}")


class ScheduleAdmin:
    def __init__(
        self,
        *,
        uow: Callable[[], UnitOfWork],
        schedules: SchedulesFile,
        clock: Callable[[], datetime],
        access: Access,
    ) -> None:
        self._uow = uow
        self._schedules = schedules
        self._clock = clock
        self._access = access

    def states(self, *, caller: Caller) -> list[ScheduleState]:
        """Every schedule in the file with whether it is paused: admins only."""
        self._access.admin(caller)
        with self._uow() as work:
            paused = set(
                work.session.scalars(
                    select(models.Schedule.key).where(models.Schedule.paused.is_(True))
                )
            )
        return [ScheduleState(s, s.id in paused) for s in self._schedules.schedules]

    def is_paused(self, key: str) -> bool:
        with self._uow() as work:
            return bool(
                work.session.scalar(
                    select(models.Schedule.paused).where(models.Schedule.key == key)
                )
            )

    def set_paused(self, *, caller: Caller, key: str, paused: bool) -> ScheduleState:
        """Pause or resume a schedule (admins only); UnknownSchedule if the file has no such id."""
        self._access.admin(caller)
        by = caller.recorded_as
        schedule = self._schedules.get(key)
        if schedule is None:
            raise UnknownSchedule(key, [s.id for s in self._schedules.schedules])
        with self._uow() as work:
            row = work.session.scalar(select(models.Schedule).where(models.Schedule.key == key))
            if row is None:
                row = models.Schedule(key=key)
                work.session.add(row)
            row.paused, row.changed_by, row.changed_at = paused, by, self._clock()
            work.commit()
        return ScheduleState(schedule, paused)
