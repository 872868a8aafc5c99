"""Importing revisions of a procedure: stored, copied for git, and carried into the bank."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.services.procedures.changes import procedure_changes
from bot.services.procedures.importing import Imported, ImportRefused, import_document
from questions.documents.reading import read_document
from questions.documents.revisions import Change
from questions.loader import load_bank_file
from questions.model import Status
from storage import documents
from storage.db import UnitOfWork
from tests.bot.services.procedures.documents import REVISION_3, REVISION_4, write

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _question(code: str, section: str, **extra: object) -> dict[str, object]:
    return {
        "id": code,
        "kind": "true_false",
        "prompt": f"A statement about section {section}.",
        "answer": True,
        "explanation": f"See QP-20 section {section}.",
        "section": section,
        **extra,
    }


def _bank_folder(tmp_path: Path, questions: list[dict[str, object]]) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir()
    data = {
        "procedure": {
            "id": "QP-20",
            "title": "Control of nonconforming product",
            "revision": "3",
            "owner": "Quality Manager",
            "clauses": ["ISO 9001:2015 8.7"],
            "document": "procedures/qp-20.md",
        },
        "questions": questions,
    }
    (folder / "qp-20.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = _bank_folder(
        tmp_path,
        [
            _question("QP-20-001", "4.1"),
            _question("QP-20-002", "4.2"),
            _question("QP-20-003", "4.2.1"),
            _question("QP-20-004", "5"),
            _question("QP-20-005", "4.2", status="draft"),
        ],
    )
    return folder


def _import(uow: Callable[[], UnitOfWork], bank: Path, text: str, tmp_path: Path) -> Imported:
    document = read_document(write(tmp_path / "incoming", text))
    return import_document(uow=uow, bank_folder=bank, document=document, now=NOW)


def test_a_first_revision_is_stored_with_its_sections_and_flags_nothing(
    uow: Callable[[], UnitOfWork], bank: Path, tmp_path: Path
) -> None:
    imported = _import(uow, bank, REVISION_3, tmp_path)
    assert (imported.code, imported.original_id, imported.revision) == ("QP-20", "QP 20", "3")
    assert imported.flagged == () and imported.previous_revision is None
    with uow() as work:
        stored = work.session.scalars(select(documents.DocumentSection.number)).all()
    assert stored == ["1", "4", "4.1", "4.2", "4.3", "5"]
    copy = read_document(Path(imported.copy))
    assert [s.number for s in copy.sections] == stored
    assert copy.revision == "3"


def test_a_new_revision_flags_only_the_changed_sections_questions(
    uow: Callable[[], UnitOfWork], bank: Path, tmp_path: Path
) -> None:
    _import(uow, bank, REVISION_3, tmp_path)
    imported = _import(uow, bank, REVISION_4, tmp_path)
    assert imported.changed == ("4.2",) and imported.new == () and imported.removed == ()
    assert imported.flagged == ("QP-20-002",)
    bank_file = load_bank_file(bank / "qp-20.yaml")
    statuses = {q.id: q.status for q in bank_file.questions}
    assert statuses == {
        "QP-20-001": Status.APPROVED,
        "QP-20-002": Status.NEEDS_REVIEW,
        # "4.2.1" is a section of its own: 4.2's text changing says nothing about it.
        "QP-20-003": Status.APPROVED,
        "QP-20-004": Status.APPROVED,
        "QP-20-005": Status.DRAFT,
    }
    assert bank_file.procedure.revision == "4"
    assert bank_file.procedure.original_id == "QP 20"
    (changes,) = procedure_changes(uow=uow, bank_folder=bank)
    assert changes.previous_revision == "3"
    assert [(s.number, s.change) for s in changes.sections] == [("4.2", Change.CHANGED)]
    assert {p.question_id for p in changes.pending} == {"QP-20-002", "QP-20-005"}


def test_removing_a_section_flags_its_questions_and_a_new_one_is_reported(
    uow: Callable[[], UnitOfWork], bank: Path, tmp_path: Path
) -> None:
    _import(uow, bank, REVISION_3, tmp_path)
    revised = REVISION_4.replace("## 5 Records", "## 6 Records")
    imported = _import(uow, bank, revised, tmp_path)
    assert imported.removed == ("5",) and imported.new == ("6",)
    assert set(imported.flagged) == {"QP-20-002", "QP-20-004"}


def test_the_same_revision_again_changes_nothing_but_different_text_is_refused(
    uow: Callable[[], UnitOfWork], bank: Path, tmp_path: Path
) -> None:
    _import(uow, bank, REVISION_3, tmp_path)
    again = _import(uow, bank, REVISION_3, tmp_path)
    assert again.already_imported and again.flagged == ()
    edited = REVISION_3.replace("within 2 hours", "within 4 hours")
    with pytest.raises(ImportRefused, match="already imported with different text"):
        _import(uow, bank, edited, tmp_path)
    with uow() as work:
        assert len(work.session.scalars(select(documents.ProcedureDocument)).all()) == 1


def _without_numbers(text: str) -> str:
    return re.sub(r"^(#+) [\d.]+ ", r"\1 ", text, flags=re.MULTILINE)


def test_questions_citing_headings_of_an_unnumbered_document_are_flagged_by_heading(
    uow: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    folder = _bank_folder(
        tmp_path,
        [
            _question("QP-20-001", "Identifying nonconforming product"),
            _question("QP-20-002", "Segregation"),
            _question("QP-20-003", "Records"),
        ],
    )
    _import(uow, folder, _without_numbers(REVISION_3), tmp_path)

    revised = _without_numbers(REVISION_4).replace("## Records", "## Records kept")
    imported = _import(uow, folder, revised, tmp_path)

    # "Segregation" changed; "Records" is now "Records kept", so its question must be reread.
    assert set(imported.flagged) == {"QP-20-002", "QP-20-003"}
