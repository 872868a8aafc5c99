"""Drafting questions from an imported procedure into its bank file, for review.

Drafts are written with `status: draft`, so `questions sync` leaves them out of every round
until a reviewer approves them. Drafts a reviewer rejected before, and questions the file
already asks, are not proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from bot.services.procedures.copies import copy_path, read_copy
from questions import bank_writer
from questions.documents.clause_references import clause_references
from questions.documents.model import ProcedureDocument
from questions.drafting import draft_questions
from questions.loader import BankError, bank_file_for, load_bank_file
from questions.model import Procedure, Question


class DraftingRefused(Exception):
    """Drafting can't go ahead; the message says what to do."""


@dataclass(frozen=True)
class Drafted:
    code: str
    bank_file: Path
    created: bool
    drafted: tuple[str, ...]
    by_kind: dict[str, int]


@dataclass(frozen=True)
class NewProcedure:
    """What a bank file needs that a document may not say: its owner and clauses."""

    owner: str | None = None
    clauses: tuple[str, ...] = ()


def draft_into_bank(bank_folder: Path, code: str, new: NewProcedure | None = None) -> Drafted:
    """Draft questions for one imported procedure and append them to its bank file."""
    document = read_copy(bank_folder, code)
    if document is None:
        raise DraftingRefused(
            f"{code} has not been imported; run `auditready procedures import FILE` first"
        )
    path = bank_file_for(bank_folder, code)
    if path is None:
        return _first_drafts(bank_folder, document, new or NewProcedure())
    try:
        bank_file = load_bank_file(path)
    except BankError as error:
        problems = "; ".join(str(p) for p in error.problems[:3])
        raise DraftingRefused(f"{path.name} has problems; fix them first: {problems}") from None
    drafts = draft_questions(
        document,
        taken_ids={q.id for q in bank_file.questions},
        rejected_prompts=[r.prompt for r in bank_file.rejected],
        existing_prompts=[q.prompt for q in bank_file.questions],
    )
    bank_writer.add_questions(path, drafts)
    return _drafted(code, path, drafts, created=False)


def _first_drafts(bank_folder: Path, document: ProcedureDocument, new: NewProcedure) -> Drafted:
    procedure = _procedure(bank_folder, document, new)
    drafts = draft_questions(document)
    path = bank_folder / f"{document.id.lower()}.yaml"
    bank_writer.new_bank_file(path, procedure, drafts)
    return _drafted(document.id, path, drafts, created=True)


def _procedure(bank_folder: Path, document: ProcedureDocument, new: NewProcedure) -> Procedure:
    owner = new.owner or document.owner
    clauses = list(new.clauses) or clause_references(document)
    if not owner:
        raise DraftingRefused(
            f"{document.original_id} names no owner; give the reviewing role with --owner "
            '(for example --owner "Quality Manager")'
        )
    if not clauses:
        raise DraftingRefused(
            f"{document.original_id} names no ISO clause; give one or more with --clause "
            '(for example --clause "ISO 9001:2015 8.7")'
        )
    fields = {
        "id": document.id,
        "original_id": document.original_id if document.original_id != document.id else None,
        "title": document.title,
        "revision": document.revision,
        "owner": owner,
        "owner_slack_id": document.owner_slack_id,
        "clauses": clauses,
        "document": str(copy_path(bank_folder, document.id).relative_to(bank_folder)),
    }
    try:
        return Procedure.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as error:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise DraftingRefused(f"{document.original_id} can't start a bank file: {detail}") from None


def _drafted(code: str, path: Path, drafts: list[Question], *, created: bool) -> Drafted:
    by_kind: dict[str, int] = {}
    for draft in drafts:
        by_kind[draft.kind.value] = by_kind.get(draft.kind.value, 0) + 1
    return Drafted(code, path, created, tuple(d.id for d in drafts), by_kind)
