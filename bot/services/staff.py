"""Staff: who works here, from Slack's directory and the company's roster."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.schedules import check_country
from bot.services.departments import Departments, unsafe_text
from storage import models
from storage.db import UnitOfWork

ROSTER_COLUMNS = ("email", "slack_id", "name", "department", "role", "manager", "oversees", "admin")
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}
# The header is line 1, so the first row is line 2 of the file.
_FIRST_LINE = 2


class SlackDirectory(Protocol):
    """The part of Slack's Web API that tells who people are."""

    def list_users(self) -> Iterable[Mapping[str, Any]]: ...

    def user_info(self, slack_id: str) -> Mapping[str, Any] | None: ...


@dataclass
class StaffSyncReport:
    added: list[str] = field(default_factory=list)
    updated: int = 0
    deactivated: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass
class RosterReport:
    matched: int = 0
    unmatched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class RosterError(Exception):
    """The roster file cannot be read as a whole; nothing was changed."""


def skip_reason(user: Mapping[str, Any], *, include_guests: bool) -> str | None:
    """Why a Slack user is not staff to quiz, or None when they are."""
    if user.get("id") == "USLACKBOT":
        return "Slackbot"
    if user.get("is_bot") or user.get("is_app_user"):
        return "bots"
    if user.get("deleted"):
        return "deleted"
    if not include_guests and (user.get("is_restricted") or user.get("is_ultra_restricted")):
        return "guests"
    return None


def sync_staff(
    *,
    uow: Callable[[], UnitOfWork],
    directory: SlackDirectory,
    include_guests: bool,
    now: datetime,
) -> StaffSyncReport:
    """Store Slack id, name, email and time zone of every person in the workspace."""
    report = StaffSyncReport()
    with uow() as work:
        people = {p.slack_id: p for p in work.session.scalars(select(models.Person))}
        for user in directory.list_users():
            reason = skip_reason(user, include_guests=include_guests)
            person = people.get(str(user.get("id")))
            if reason is not None:
                report.skipped[reason] = report.skipped.get(reason, 0) + 1
                if reason == "deleted" and person is not None and person.is_active:
                    person.is_active = False
                    report.deactivated.append(person.name)
                continue
            if person is None:
                person = _new_person(work.session, user, now)
                report.added.append(person.name)
            else:
                _apply_profile(person, user, now)
                report.updated += 1
        work.commit()
    return report


class NotInWorkspace(Exception):
    """A Slack id that users.info does not know as a member of this workspace."""


def ensure_person(
    *, session: Session, slack_id: str, directory: SlackDirectory, now: datetime
) -> models.Person:
    """The person behind a verified Slack id, looked up with users.info if not synced yet."""
    person = session.scalar(select(models.Person).where(models.Person.slack_id == slack_id))
    if person is not None:
        return person
    user = directory.user_info(slack_id)
    # Someone Slack doesn't know (or a bot, or a deactivated account) is nobody to record.
    if user is None or user.get("deleted") or user.get("is_bot"):
        raise NotInWorkspace(slack_id)
    return _new_person(session, user, now)


def _new_person(session: Session, user: Mapping[str, Any], now: datetime) -> models.Person:
    person = models.Person(slack_id=str(user["id"]), is_manager=False, is_admin=False)
    _apply_profile(person, user, now)
    session.add(person)
    session.flush()
    return person


def _apply_profile(person: models.Person, user: Mapping[str, Any], now: datetime) -> None:
    profile = user.get("profile") or {}
    person.name = str(
        user.get("real_name") or profile.get("real_name") or user.get("name") or user["id"]
    )
    person.email = profile.get("email") or person.email
    person.tz = str(user.get("tz") or person.tz or "UTC")
    person.is_active = not user.get("deleted", False)
    person.synced_at = now


def read_roster(path: Path) -> list[dict[str, str]]:
    """The roster's rows; RosterError names the file and what is wrong with it."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ROSTER_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise RosterError(f"{path}: missing column(s) {', '.join(missing)}")
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise RosterError(f"{path}: cannot be read: {error}") from error


def import_roster(
    *, uow: Callable[[], UnitOfWork], rows: list[dict[str, str]], departments: Departments
) -> RosterReport:
    """Set department, role, manager and admin flags; rows match by email or Slack id.

    A row is skipped, with its line number, when it names an undeclared department, repeats
    another row's email or Slack id, or holds Slack markup or control characters.
    """
    report = RosterReport()
    repeated = _repeated(rows)
    with uow() as work:
        people = list(work.session.scalars(select(models.Person)))
        by_slack = {p.slack_id: p for p in people}
        by_email = {p.email.casefold(): p for p in people if p.email}
        for index, row in enumerate(rows):
            line = index + _FIRST_LINE
            problems = _row_problems(row, departments) + repeated.get(index, [])
            if problems:
                report.problems += [f"line {line}: {p}" for p in problems]
                continue
            person = by_slack.get(row["slack_id"]) or by_email.get(row["email"].casefold())
            if person is None:
                report.unmatched.append(f"line {line}: {row['email'] or row['slack_id']}")
                continue
            _apply_row(person, row, departments)
            report.matched += 1
        work.commit()
    return report


def _repeated(rows: list[dict[str, str]]) -> dict[int, list[str]]:
    """Problems of rows sharing an email or Slack id: neither can be trusted over the other."""
    problems: dict[int, list[str]] = {}
    for column, key in (("email", str.casefold), ("slack_id", str)):
        seen: dict[str, list[int]] = {}
        for index, row in enumerate(rows):
            if row[column]:
                seen.setdefault(key(row[column]), []).append(index)
        for indexes in seen.values():
            for index in indexes if len(indexes) > 1 else []:
                others = ", ".join(str(i + _FIRST_LINE) for i in indexes if i != index)
                problems.setdefault(index, []).append(
                    f"{column} {rows[index][column]!r} is also on line {others}"
                )
    return dict(sorted(problems.items()))


def _row_problems(row: dict[str, str], departments: Departments) -> list[str]:
    problems = []
    unsafe = [column for column, value in row.items() if unsafe_text(value)]
    problems += [
        f"{c} {row[c]!r} holds Slack markup or control characters (< > or invisible ones)"
        for c in unsafe
    ]
    if not row["email"] and not row["slack_id"]:
        problems.append("give an email or a slack_id to match the person")
    for column in ("manager", "admin"):
        if column not in unsafe and row[column].casefold() not in _YES | _NO:
            problems.append(f"{column} is {row[column]!r}; write yes or no")
    named = [("department", row["department"])] if row["department"] else []
    named += [("oversees", name) for name in _oversees(row)]
    problems += [
        f"{column} {name!r} is not declared in {departments.source}"
        for column, name in named
        if column not in unsafe and departments.declared(name) is None
    ]
    try:
        check_country(row.get("country"))
    except ValueError as error:
        problems.append(str(error))
    if row.get("started") and _started(row) is None:
        problems.append(f"started is {row['started']!r}; write the date as YYYY-MM-DD")
    return problems


def _oversees(row: dict[str, str]) -> list[str]:
    return [d.strip() for d in row["oversees"].split(";") if d.strip()]


def _started(row: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(row.get("started") or "")
    except ValueError:
        return None


def _apply_row(person: models.Person, row: dict[str, str], departments: Departments) -> None:
    # _row_problems has checked every name is declared; store the declared spelling.
    person.department = departments.declared(row["department"]) if row["department"] else None
    person.role = row["role"].casefold() or None
    person.is_manager = row["manager"].casefold() in _YES
    person.is_admin = row["admin"].casefold() in _YES
    person.country = check_country(row.get("country"))
    person.started_on = _started(row)
    oversees = [d for d in map(departments.declared, _oversees(row)) if d is not None]
    if person.is_manager and not oversees and person.department:
        oversees = [person.department]
    _set_oversight(person, list(dict.fromkeys(oversees)))


def _set_oversight(person: models.Person, departments: list[str]) -> None:
    # Keep the rows that stay: replacing them would insert before deleting and trip
    # the (person, department) unique key.
    for row in list(person.oversees):
        if row.department not in departments:
            person.oversees.remove(row)
    kept = {row.department for row in person.oversees}
    person.oversees += [models.Oversight(department=d) for d in departments if d not in kept]
