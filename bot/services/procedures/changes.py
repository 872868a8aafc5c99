"""What changed in each procedure's latest revision, and what still awaits review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from questions.documents.revisions import Change
from questions.loader import BankError, bank_file_for, load_bank_file
from questions.model import BankFile, Status
from storage import documents
from storage.db import UnitOfWork


@dataclass(frozen=True)
class SectionChange:
    number: str
    heading: str
    change: Change


@dataclass(frozen=True)
class Pending:
    """A question that is not sent until a person reviews it."""

    question_id: str
    section: str
    status: Status


@dataclass(frozen=True)
class ProcedureChanges:
    code: str
    original_id: str
    title: str
    revision: str
    previous_revision: str | None
    imported_at: datetime
    sections: tuple[SectionChange, ...]
    removed: tuple[str, ...]
    pending: tuple[Pending, ...]
    # Set when the bank file can't be read, so its pending questions are unknown.
    bank_problem: str | None = None


def procedure_changes(
    *, uow: Callable[[], UnitOfWork], bank_folder: Path, code: str | None = None
) -> list[ProcedureChanges]:
    """Each imported procedure's latest revision against its previous one, by code."""
    with uow() as work:
        latest = _latest_documents(work.session, code)
        return [_changes(work.session, bank_folder, document) for document in latest]


def _latest_documents(session: Session, code: str | None) -> list[documents.ProcedureDocument]:
    newest = select(func.max(documents.ProcedureDocument.id)).group_by(
        documents.ProcedureDocument.code
    )
    if code is not None:
        newest = newest.where(documents.ProcedureDocument.code == code)
    query = (
        select(documents.ProcedureDocument)
        .where(documents.ProcedureDocument.id.in_(newest))
        .order_by(documents.ProcedureDocument.code)
    )
    return list(session.scalars(query))


def _changes(
    session: Session, bank_folder: Path, document: documents.ProcedureDocument
) -> ProcedureChanges:
    pending, problem = _pending(bank_folder, document.code)
    return ProcedureChanges(
        code=document.code,
        original_id=document.original_id,
        title=document.title,
        revision=document.revision,
        previous_revision=_previous_revision(session, document),
        imported_at=document.imported_at,
        sections=tuple(
            SectionChange(s.number, s.heading, Change(s.change))
            for s in document.sections
            if s.change != Change.UNCHANGED
        ),
        removed=tuple(document.removed_sections),
        pending=pending,
        bank_problem=problem,
    )


def _previous_revision(session: Session, document: documents.ProcedureDocument) -> str | None:
    return session.scalar(
        select(documents.ProcedureDocument.revision)
        .where(documents.ProcedureDocument.code == document.code)
        .where(documents.ProcedureDocument.id < document.id)
        .order_by(documents.ProcedureDocument.id.desc())
        .limit(1)
    )


def _pending(bank_folder: Path, code: str) -> tuple[tuple[Pending, ...], str | None]:
    path = bank_file_for(bank_folder, code)
    if path is None:
        return (), None
    try:
        bank_file: BankFile = load_bank_file(path)
    except BankError as error:
        return (), f"{path.name} has {len(error.problems)} problem(s); run `questions check`"
    return tuple(
        Pending(q.id, q.section, q.status) for q in bank_file.questions if not q.is_live
    ), None
