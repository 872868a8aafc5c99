"""The schedules file: when rounds go out, to whom, and how long answers stay open."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from datetime import time as clock_time
from functools import cache
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import holidays
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from questions.model import Audience

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@cache
def supported_countries() -> dict[str, list[str]]:
    """Country codes with their subdivision codes."""
    return dict(holidays.list_supported_countries())


def check_country(value: str | None) -> str | None:
    """An ISO 3166 code the holidays calendar knows, optionally with a subdivision (GB-ENG)."""
    if value is None or value == "":
        return None
    code = value.strip().upper()
    country, _, subdivision = code.partition("-")
    known = supported_countries()
    if country not in known:
        raise ValueError(f"country {value!r} has no holiday calendar; use a code such as GB or US")
    if subdivision and subdivision not in known[country]:
        raise ValueError(
            f"{country} has no subdivision {subdivision!r}; known: {', '.join(known[country])}"
        )
    return code


def _check_days(value: list[str]) -> list[str]:
    days = [d.strip().lower()[:3] for d in value]
    unknown = [d for d in days if d not in DAYS]
    if unknown:
        raise ValueError(f"unknown day(s) {unknown}; use mon, tue, wed, thu, fri, sat, sun")
    return sorted(set(days), key=DAYS.index)


class Company(_Strict):
    country: str | None = None
    weekend: list[str] = Field(default_factory=lambda: ["sat", "sun"])

    _country = field_validator("country")(classmethod(lambda cls, v: check_country(v)))
    _weekend = field_validator("weekend")(classmethod(lambda cls, v: _check_days(v)))


class Schedule(_Strict):
    """A cadence in each person's own local time, an audience and a round's size and window."""

    id: str
    name: Annotated[str, Field(min_length=1, max_length=80)]
    days: Annotated[list[str], Field(min_length=1)]
    time: str
    audience: Audience = Field(default_factory=Audience)
    questions: Annotated[int, Field(ge=1, le=3)] = 1
    answer_window_hours: Annotated[int, Field(ge=1, le=24 * 14)] = 48
    reminder_after_hours: Annotated[int, Field(ge=1)] | None = 24

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not KEY_PATTERN.match(value):
            raise ValueError(f"id {value!r}: use lower-case letters, digits and hyphens")
        return value

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        return _check_days(value)

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        if not TIME_PATTERN.match(value):
            raise ValueError(f"time {value!r}: write it as HH:MM, 24-hour, like '10:00'")
        return value

    @model_validator(mode="after")
    def _reminder_inside_window(self) -> Schedule:
        reminder = self.reminder_after_hours
        if reminder is not None and reminder >= self.answer_window_hours:
            raise ValueError("reminder_after_hours must be less than answer_window_hours")
        return self

    @property
    def local_time(self) -> clock_time:
        hour, minute = self.time.split(":")
        return clock_time(int(hour), int(minute))


class SchedulesFile(_Strict):
    company: Company = Field(default_factory=Company)
    schedules: list[Schedule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> SchedulesFile:
        ids = [s.id for s in self.schedules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"schedule id(s) used twice: {', '.join(duplicates)}")
        return self

    def get(self, key: str) -> Schedule | None:
        return next((s for s in self.schedules if s.id == key), None)


class SchedulesError(Exception):
    """The schedules file is missing or wrong; the message says where and what."""


def load_schedules(path: Path) -> SchedulesFile:
    """Read and validate the schedules file; SchedulesError lists every problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as error:
        raise SchedulesError(f"{path}: cannot be read: {error}") from error
    except yaml.YAMLError as error:
        raise SchedulesError(f"{path}: not valid YAML: {str(error).splitlines()[0]}") from error
    try:
        return SchedulesFile.model_validate(raw)
    except ValidationError as error:
        problems = [
            f"{path}: {'.'.join(str(p) for p in e['loc']) or 'file'}: "
            f"{str(e['msg']).removeprefix('Value error, ')}"
            for e in error.errors()
        ]
        raise SchedulesError("\n".join(problems)) from error


def latest_occurrence(schedule: Schedule, tz: str, now: datetime) -> datetime | None:
    """The most recent scheduled time at or before `now` in that zone (None if over a week).

    A run the scheduler fires late (after downtime) serves this occurrence, so its round
    carries the day it was meant for, not the day it was caught up.
    """
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    for back in range(8):
        day = local_now.date() - timedelta(days=back)
        if DAYS[day.weekday()] not in schedule.days:
            continue
        at = datetime.combine(day, schedule.local_time, zone)
        if at <= now:
            return at
    return None
