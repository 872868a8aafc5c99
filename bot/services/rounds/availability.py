"""Whether a person should get a round today: pure rules over plain values."""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

from bot.domain.schedules import DAYS


@cache
def _calendar(country: str, year: int) -> holidays.HolidayBase:
    code, _, subdivision = country.partition("-")
    return holidays.country_holidays(code, subdiv=subdivision or None, years=year)


def holiday_name(country: str | None, day: date) -> str | None:
    """The public holiday on that day in that country, or None."""
    if not country:
        return None
    name = _calendar(country, day.year).get(day)
    return str(name) if name else None


def unavailable_reason(
    *,
    is_active: bool,
    paused_until: date | None,
    local_date: date,
    weekend: list[str],
    country: str | None,
) -> str | None:
    """Why a person is skipped on their local date (inactive, paused, weekend, holiday)."""
    if not is_active:
        return "inactive"
    if paused_until is not None and local_date <= paused_until:
        return "paused"
    if DAYS[local_date.weekday()] in weekend:
        return "weekend"
    if holiday_name(country, local_date):
        return "holiday"
    return None
