"""Carrying a new revision into the procedure's bank file."""

from __future__ import annotations

from pathlib import Path

from questions import bank_writer, limits
from questions.documents.model import ProcedureDocument
from questions.documents.references import numbers_named
from questions.documents.revisions import section_affected
from questions.loader import bank_file_for, load_bank_file
from questions.model import Status


def flag_changed_questions(
    bank_folder: Path, document: ProcedureDocument, changed: tuple[str, ...]
) -> tuple[tuple[str, ...], Path | None]:
    """Bring the bank file's procedure block in line, and flag questions on changed sections.

    Only approved questions are flagged: drafts are unreviewed already. Returns the flagged
    ids and the bank file, or no file when the procedure has none yet.
    """
    path = bank_file_for(bank_folder, document.id)
    if path is None:
        return (), None
    bank_file = load_bank_file(path)
    bank_writer.update_procedure(path, **_procedure_fields(document))
    flagged = tuple(
        question.id
        for question in bank_file.questions
        if question.is_live and _affected(question.section, document, changed)
    )
    for question_id in flagged:
        bank_writer.set_status(path, question_id, Status.NEEDS_REVIEW)
    return flagged, path


def _affected(section: str, document: ProcedureDocument, changed: tuple[str, ...]) -> bool:
    """A question on a changed or removed section, or on a heading this revision lacks."""
    numbers = numbers_named(document, section)
    return numbers is None or section_affected(", ".join(numbers), changed)


def _procedure_fields(document: ProcedureDocument) -> dict[str, str | None]:
    fields: dict[str, str | None] = {"revision": document.revision}
    if document.title and len(document.title) <= limits.PROCEDURE_TITLE:
        fields["title"] = document.title
    if document.original_id and document.original_id != document.id:
        fields["original_id"] = document.original_id
    if document.owner_slack_id:
        fields["owner_slack_id"] = document.owner_slack_id
    return fields
