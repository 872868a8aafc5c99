"""Awareness summaries for managers and admins, scoped to what each may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.services.access import Access, Caller, Scope
from storage.db import UnitOfWork
from storage.queries import AwarenessCounts as AwarenessCounts
from storage.queries import Tally as Tally
from storage.queries import awareness_counts
from storage.reports import Cell
from storage.reports import RevisionSplit as RevisionSplit


@dataclass(frozen=True)
class AwarenessSummary:
    scope: Scope
    counts: AwarenessCounts
    since: datetime | None


class SummaryService:
    def __init__(self, *, uow: Callable[[], UnitOfWork], access: Access) -> None:
        self._uow = uow
        self._access = access

    def summary(
        self,
        *,
        caller: Caller,
        since: datetime | None = None,
        cells: list[Cell] | None = None,
        departments: list[str] | None = None,
    ) -> AwarenessSummary:
        """The summary of what the caller may see, narrowed to `departments` if given.

        `cells` are the department × procedure cells for the same scope and period, when the
        caller has them already (the gap report does), so they are not read twice.
        Raises NotAllowed for staff and strangers.
        """
        scope = self._access.viewer(caller).narrowed(departments)
        with self._uow() as work:
            return _summary(work, scope, since, cells)


def _summary(
    work: UnitOfWork, scope: Scope, since: datetime | None, cells: list[Cell] | None = None
) -> AwarenessSummary:
    counts = awareness_counts(work.session, departments=scope.departments, since=since, cells=cells)
    return AwarenessSummary(scope=scope, counts=counts, since=since)
