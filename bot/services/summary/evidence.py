"""Every answer as evidence of competence (clause 7.2), for the quality manager's file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from bot.services.access import Access, Caller
from storage.db import UnitOfWork
from storage.evidence import EvidenceRow as EvidenceRow
from storage.evidence import evidence_rows


class EvidenceService:
    def __init__(self, *, uow: Callable[[], UnitOfWork], access: Access) -> None:
        self._uow = uow
        self._access = access

    def rows(
        self, *, caller: Caller, since: datetime | None, departments: list[str] | None
    ) -> Iterator[EvidenceRow]:
        """Each answer with who gave it: it names people, so admins only. Streamed, not held."""
        scope = self._access.admin(caller).narrowed(departments)
        with self._uow() as work:
            yield from evidence_rows(work.session, since=since, departments=scope.departments)
