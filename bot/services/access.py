"""Who is asking, and what they may see and do: every authorisation decision starts here.

Services take a `Caller` and ask `Access` before they read or change anything, so each entry
point (Slack, the command line, a scheduled job, a future web page) gets the same answer
without having to remember the rules. Entry points only render a `NotAllowed`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from storage import models
from storage.db import UnitOfWork
from storage.queries import roster_departments


@dataclass(frozen=True)
class Caller:
    """Whoever a request comes from.

    `slack_user` is only ever taken from a request whose signature was verified. None is the
    operator at the command line or a scheduled job, who act with the database owner's rights;
    `on_behalf` is what the records then say did it.
    """

    slack_user: str | None
    on_behalf: str = "cli"

    @property
    def recorded_as(self) -> str:
        return self.slack_user or self.on_behalf


OPERATOR = Caller(slack_user=None)


def person(slack_user: str) -> Caller:
    return Caller(slack_user=slack_user)


def scheduled(job: str) -> Caller:
    return Caller(slack_user=None, on_behalf=job)


@dataclass(frozen=True)
class Scope:
    """What a viewer may see: None means every department."""

    departments: list[str] | None
    is_admin: bool

    def may_see(self, department: str) -> bool:
        if self.departments is None:
            return True
        return department.casefold() in {d.casefold() for d in self.departments}

    def narrowed(self, departments: Sequence[str] | None) -> Scope:
        """This scope limited to `departments` too (None leaves it as it is)."""
        if departments is None:
            return self
        wanted = [d for d in departments if self.may_see(d)]
        return Scope(departments=sorted(set(wanted)), is_admin=self.is_admin)


EVERYTHING = Scope(departments=None, is_admin=True)


class Denied(StrEnum):
    NOT_A_VIEWER = "summaries are for managers and admins"
    ADMINS_ONLY = "only admins may do this"
    # Unknown and not-yours read the same, so a manager can't probe other departments' names.
    NOT_YOUR_DEPARTMENT = "not one of the caller's departments"


class NotAllowed(PermissionError):
    """A service's refusal; `subject` names what was asked for, when the refusal is about it."""

    def __init__(self, denied: Denied, subject: str | None = None) -> None:
        super().__init__(denied.value)
        self.denied = denied
        self.subject = subject


def scope_for(
    *, person: models.Person | None, admins: Sequence[str], known: Sequence[str] = ()
) -> Scope | None:
    """The departments a verified Slack user may see, or None when they may see nothing.

    A roster's `oversees` may spell a department in any case; the scope uses the spelling the
    department's staff have (`known`), so the SQL filters built from it match their rows.
    """
    if person is None:
        return None
    if person.is_admin or person.slack_id in admins:
        return EVERYTHING
    if person.is_manager:
        spelled = {d.casefold(): d for d in known}
        overseen = {spelled.get(o.department.casefold(), o.department) for o in person.oversees}
        return Scope(departments=sorted(overseen), is_admin=False)
    return None


class Access:
    def __init__(self, *, uow: Callable[[], UnitOfWork], admins: Sequence[str]) -> None:
        self._uow = uow
        self._admins = list(admins)

    def scope_of(self, caller: Caller) -> Scope | None:
        """What the caller may see; None for staff and strangers."""
        if caller.slack_user is None or caller.slack_user in self._admins:
            return EVERYTHING
        with self._uow() as work:
            found = work.session.scalar(
                select(models.Person).where(models.Person.slack_id == caller.slack_user)
            )
            known = roster_departments(work.session) if found and found.is_manager else []
            return scope_for(person=found, admins=self._admins, known=known)

    def viewer(self, caller: Caller) -> Scope:
        """The caller's scope, if they may read summaries at all."""
        scope = self.scope_of(caller)
        if scope is None:
            raise NotAllowed(Denied.NOT_A_VIEWER)
        return scope

    def admin(self, caller: Caller) -> Scope:
        scope = self.viewer(caller)
        if not scope.is_admin:
            raise NotAllowed(Denied.ADMINS_ONLY)
        return scope

    def department_for(self, caller: Caller, name: str) -> str:
        """The department as the roster spells it (any case), if the caller may see it."""
        scope = self.viewer(caller)
        with self._uow() as work:
            known = roster_departments(work.session)
        found = next((d for d in known if d.casefold() == name.casefold()), None)
        if found is None or not scope.may_see(found):
            raise NotAllowed(Denied.NOT_YOUR_DEPARTMENT, subject=name)
        return found

    def admin_ids(self) -> list[str]:
        """Who reviews interview answers and receives mock findings: setting and roster."""
        with self._uow() as work:
            roster = work.session.scalars(
                select(models.Person.slack_id).where(models.Person.is_admin.is_(True))
            )
            return sorted(set(self._admins) | set(roster))
