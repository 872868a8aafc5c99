"""Writing to bank files by round trip: the author's comments, order and quoting survive."""

from __future__ import annotations

from pathlib import Path

import pytest

from questions import bank_writer
from questions.bank_writer import BankFileMissing
from questions.loader import load_bank, load_bank_file
from questions.model import Question, Rejection, Status

BANK = """\
# Owned by the Quality Manager; reviewed every March.
procedure:
  id: QP-08
  title: Control of nonconforming output
  revision: "D"
  owner: Quality Manager
  clauses: ["ISO 9001:2015 8.7"]
  document: "https://intranet.example/QP-08"
questions:
  # The tag-and-quarantine question auditors always ask.
  - id: QP-08-001
    kind: true_false
    prompt: "Nonconforming parts get a red tag."
    answer: true
    explanation: "See QP-08 section 4.1."
    section: "4.1"
  - id: QP-08-002
    kind: true_false
    prompt: "Anyone may scrap a batch."
    answer: false
    explanation: "Only Quality decides. See QP-08 section 5.2."
    section: "5.2"
"""


def _draft(question_id: str = "QP-08-003") -> Question:
    return Question.model_validate(
        {
            "id": question_id,
            "kind": "single",
            "status": "draft",
            "prompt": 'Who approves a "use as is" concession?',
            "options": {"a": "Quality Manager", "b": "Operator", "c": "Buyer"},
            "answer": "a",
            "cites": "The Quality Manager shall approve every concession.",
        }
    )


@pytest.fixture
def bank_file(tmp_path: Path) -> Path:
    path = tmp_path / "qp-08.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


def test_adding_a_draft_keeps_comments_and_the_file_still_loads(bank_file: Path) -> None:
    bank_writer.add_questions(bank_file, [_draft()])
    text = bank_file.read_text(encoding="utf-8")
    assert "# Owned by the Quality Manager; reviewed every March." in text
    assert "# The tag-and-quarantine question auditors always ask." in text
    assert 'revision: "D"' in text
    loaded = load_bank_file(bank_file)
    assert [q.id for q in loaded.questions] == ["QP-08-001", "QP-08-002", "QP-08-003"]
    assert loaded.questions[2].status is Status.DRAFT
    assert loaded.questions[2].prompt == 'Who approves a "use as is" concession?'


def test_approving_drops_the_status_and_flagging_sets_it(bank_file: Path) -> None:
    completed = _draft().model_copy(update={"section": "5.2", "explanation": "See 5.2."})
    bank_writer.add_questions(bank_file, [completed])
    bank_writer.set_status(bank_file, "QP-08-003", Status.APPROVED)
    bank_writer.set_status(bank_file, "QP-08-001", Status.NEEDS_REVIEW)
    loaded = load_bank_file(bank_file)
    statuses = {q.id: q.status for q in loaded.questions}
    assert statuses == {
        "QP-08-001": Status.NEEDS_REVIEW,
        "QP-08-002": Status.APPROVED,
        "QP-08-003": Status.APPROVED,
    }
    assert "status: approved" not in bank_file.read_text(encoding="utf-8")


def test_an_approved_question_must_be_complete_but_a_draft_need_not_be(bank_file: Path) -> None:
    bank_writer.add_questions(bank_file, [_draft()])
    bank_writer.set_status(bank_file, "QP-08-003", Status.APPROVED)
    problems = [str(p) for p in _problems(bank_file.parent)]
    assert any("QP-08-003: explanation: is missing, and so is section" in p for p in problems)


def test_rejecting_removes_the_draft_and_remembers_why(bank_file: Path) -> None:
    bank_writer.add_questions(bank_file, [_draft()])
    rejection = Rejection(prompt=_draft().prompt, reason="Concessions are Sales' to ask for")
    bank_writer.remove_question(bank_file, "QP-08-003", rejection)
    loaded = load_bank_file(bank_file)
    assert [q.id for q in loaded.questions] == ["QP-08-001", "QP-08-002"]
    assert loaded.rejected == [rejection]


def test_replacing_keeps_the_place_and_an_unknown_id_is_a_clear_error(bank_file: Path) -> None:
    edited = _draft("QP-08-001").model_copy(update={"prompt": "Who signs a concession?"})
    bank_writer.replace_question(bank_file, edited)
    loaded = load_bank_file(bank_file)
    assert loaded.questions[0].prompt == "Who signs a concession?"
    with pytest.raises(BankFileMissing, match="holds no question QP-08-404"):
        bank_writer.set_status(bank_file, "QP-08-404", Status.APPROVED)


def test_a_procedure_block_follows_its_document(bank_file: Path) -> None:
    bank_writer.update_procedure(bank_file, revision="E", original_id="QP 08")
    procedure = load_bank_file(bank_file).procedure
    assert (procedure.revision, procedure.original_id) == ("E", "QP 08")


def _problems(folder: Path) -> list[object]:
    from questions.loader import BankError

    try:
        load_bank(folder)
    except BankError as error:
        return list(error.problems)
    return []
