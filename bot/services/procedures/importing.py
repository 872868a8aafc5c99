"""Importing one revision of a procedure document: store it, keep its copy, flag its questions.

The document is the source of truth for the procedure's id, title and revision. A new
revision is compared with the last one imported, section by section; the bank's approved
questions on changed or removed sections become `needs review`, so they are not sent until a
person has looked at them, and the rest carry over untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.procedures.copies import write_copy
from bot.services.procedures.flags import flag_changed_questions
from questions.documents.model import ProcedureDocument
from questions.documents.revisions import SectionChanges, compare_sections
from storage import documents
from storage.db import UnitOfWork


class ImportRefused(Exception):
    """The document can't be imported as it stands; the message says what to do."""


@dataclass(frozen=True)
class Imported:
    """What importing one document did."""

    code: str
    original_id: str
    title: str
    revision: str
    sections: int
    previous_revision: str | None
    new: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    flagged: tuple[str, ...]
    bank_file: str | None
    copy: str
    already_imported: bool = False


def import_document(
    *,
    uow: Callable[[], UnitOfWork],
    bank_folder: Path,
    document: ProcedureDocument,
    now: datetime,
) -> Imported:
    """Store one revision; re-importing the same text of the same revision changes nothing."""
    with uow() as work:
        previous = _latest(work.session, document.id)
        if previous is not None and previous.revision == document.revision:
            return _same_revision(previous, document, bank_folder)
        before = {s.number: s.fingerprint for s in previous.sections} if previous else None
        changes = compare_sections(before, ((s.number, s.fingerprint) for s in document.sections))
        work.session.add(_stored(document, changes, now))
        work.session.flush()
        # The bank file is changed before the commit, so a bank that can't be read leaves
        # the revision unimported, to be imported again once the bank is fixed.
        flagged, bank_file = flag_changed_questions(bank_folder, document, changes.changed)
        copy = write_copy(bank_folder, document)
        work.commit()
    return Imported(
        code=document.id,
        original_id=document.original_id,
        title=document.title,
        revision=document.revision,
        sections=len(document.sections),
        previous_revision=previous.revision if previous else None,
        new=changes.new,
        changed=tuple(n for n in changes.changed if n not in changes.removed),
        removed=changes.removed,
        flagged=flagged,
        bank_file=str(bank_file) if bank_file else None,
        copy=str(copy),
    )


def _latest(session: Session, code: str) -> documents.ProcedureDocument | None:
    return session.scalar(
        select(documents.ProcedureDocument)
        .where(documents.ProcedureDocument.code == code)
        .order_by(documents.ProcedureDocument.id.desc())
        .limit(1)
    )


def _same_revision(
    stored: documents.ProcedureDocument, document: ProcedureDocument, bank_folder: Path
) -> Imported:
    kept = [(s.number, s.fingerprint) for s in stored.sections]
    if kept != [(s.number, s.fingerprint) for s in document.sections]:
        raise ImportRefused(
            f"revision {document.revision} of {document.original_id} was already imported "
            "with different text; a changed document needs a new revision number "
            "(give it with --revision if the document does not say it)"
        )
    return Imported(
        code=document.id,
        original_id=document.original_id,
        title=document.title,
        revision=document.revision,
        sections=len(document.sections),
        previous_revision=document.revision,
        new=(),
        changed=(),
        removed=(),
        flagged=(),
        bank_file=None,
        copy=str(write_copy(bank_folder, document)),
        already_imported=True,
    )


def _stored(
    document: ProcedureDocument, changes: SectionChanges, now: datetime
) -> documents.ProcedureDocument:
    return documents.ProcedureDocument(
        code=document.id,
        original_id=document.original_id,
        title=document.title,
        revision=document.revision,
        owner=document.owner,
        source=document.source,
        imported_at=now,
        removed_sections=list(changes.removed),
        sections=[
            documents.DocumentSection(
                position=position,
                number=section.number,
                heading=section.heading[:300],
                text=section.text,
                fingerprint=section.fingerprint,
                paragraph=section.location.paragraph,
                page=section.location.page,
                change=changes.by_section[section.number].value,
            )
            for position, section in enumerate(document.sections)
        ],
    )
