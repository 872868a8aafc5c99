"""Awareness summaries for managers and admins, scoped to what each may see."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage import models
from storage.db import UnitOfWork
from storage.queries import AwarenessCounts, awareness_counts
from storage.reports import Cell


@dataclass(frozen=True)
class Scope:
    """What a viewer may see: None means every department."""

    departments: list[str] | None
    is_admin: bool

    def may_see(self, department: str) -> bool:
        return self.departments is None or department in self.departments


@dataclass(frozen=True)
class AwarenessSummary:
    scope: Scope
    counts: AwarenessCounts
    since: datetime | None


@dataclass(frozen=True)
class NotAllowed:
    """The viewer is not a manager or admin; it carries no data on purpose."""


def scope_for(*, person: models.Person | None, admins: Sequence[str]) -> Scope | None:
    """The departments a verified Slack user may see, or None when they may see nothing."""
    if person is None:
        return None
    if person.is_admin or person.slack_id in admins:
        return Scope(departments=None, is_admin=True)
    if person.is_manager:
        return Scope(departments=sorted(o.department for o in person.oversees), is_admin=False)
    return None


class AwarenessService:
    def __init__(self, *, uow: Callable[[], UnitOfWork], admins: Sequence[str]) -> None:
        self._uow = uow
        self._admins = list(admins)

    def scope_of(self, *, slack_user: str) -> Scope | None:
        """What a verified Slack user may see; None for staff and strangers."""
        with self._uow() as work:
            person = work.session.scalar(
                select(models.Person).where(models.Person.slack_id == slack_user)
            )
            return scope_for(person=person, admins=self._admins)

    def summary_for(
        self, *, slack_user: str, since: datetime | None = None
    ) -> AwarenessSummary | NotAllowed:
        """The summary a verified Slack user may see, or NotAllowed."""
        scope = self.scope_of(slack_user=slack_user)
        if scope is None:
            return NotAllowed()
        with self._uow() as work:
            return _summary(work, scope, since)

    def summary(
        self, *, scope: Scope, since: datetime | None = None, cells: list[Cell] | None = None
    ) -> AwarenessSummary:
        """The summary for a scope already authorised.

        `cells` are the department × procedure cells for the same scope and period, when the
        caller has them already (the gap report does), so they are not read twice.
        """
        with self._uow() as work:
            return _summary(work, scope, since, cells)

    def summary_all(
        self, *, departments: list[str] | None = None, since: datetime | None = None
    ) -> AwarenessSummary:
        """The summary for the command line, which runs with the database owner's rights."""
        with self._uow() as work:
            return _summary(work, Scope(departments=departments, is_admin=True), since)


def _summary(
    work: UnitOfWork, scope: Scope, since: datetime | None, cells: list[Cell] | None = None
) -> AwarenessSummary:
    counts = awareness_counts(work.session, departments=scope.departments, since=since, cells=cells)
    return AwarenessSummary(scope=scope, counts=counts, since=since)
