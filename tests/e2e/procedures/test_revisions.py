"""A procedure revised: import revision 3, answer, import revision 4 with one section changed.

Only that section's questions are held for review; the summary tells awareness of revision 4
from answers given under revision 3; once reviewed, the changed section is asked about first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.sandbox import RecordedCall, SandboxUser
from questions import bank_writer
from questions.loader import load_bank_file
from questions.model import Status
from tests.bot.services.procedures.documents import REVISION_3, REVISION_4, write
from tests.e2e.harness import E2E, message_text, question_code
from tests.e2e.workspace import AMARA, HELEN, JONAS

CLAUSE = "ISO 9001:2015 8.7"


def _approve_all(bank_file: Path) -> None:
    for question in load_bank_file(bank_file).questions:
        if not question.is_live:
            bank_writer.set_status(bank_file, question.id, Status.APPROVED)


def _summary(e2e: E2E, user: SandboxUser) -> RecordedCall:
    before = len(e2e.posts_to(user))
    assert e2e.command(user, "/awareness").status_code == 200
    return e2e.wait_for_post(user, before + 1)


def test_a_revised_section_is_held_then_asked_first_and_awareness_is_split_by_revision(
    e2e: E2E, cli: Callable[..., str], tmp_path: Path
) -> None:
    bank = tmp_path / "qp20-bank"
    bank.mkdir()
    cli("procedures", "import", str(write(tmp_path / "rev3", REVISION_3)), "--bank", str(bank))
    cli("questions", "draft", "QP-20", "--bank", str(bank), "--clause", CLAUSE)
    bank_file = bank / "qp-20.yaml"
    _approve_all(bank_file)
    # The bank now holds QP-20 alone, so every question Amara gets is one of its.
    cli("questions", "sync", str(bank))
    questions = load_bank_file(bank_file).questions
    for _ in questions:
        dm = e2e.quiz(AMARA)
        assert question_code(e2e, dm).startswith("QP-20-")
        e2e.answer(dm, correctly=True)

    imported = cli(
        "procedures", "import", str(write(tmp_path / "rev4", REVISION_4)), "--bank", str(bank)
    )

    # Section 4.2 changed; a question on section 4 (whose steps include 4.2) is flagged too.
    expected = sorted(q.id for q in questions if q.section in ("4", "4.2"))
    flagged = sorted(q.id for q in load_bank_file(bank_file).questions if not q.is_live)
    assert expected and flagged == expected
    assert f"questions now needing review: {', '.join(expected)}" in imported
    sync = cli("questions", "sync", str(bank))
    assert f"held for review ({len(expected)})" in sync
    # Held questions are not sent: Jonas, new to QP-20, only gets the others.
    unchanged = {q.id for q in questions} - set(expected)
    for _ in unchanged:
        dm = e2e.quiz(JONAS)
        assert question_code(e2e, dm) in unchanged
        e2e.answer(dm, correctly=False)

    shown = message_text(_summary(e2e, HELEN))
    answered_before = len(questions)
    assert f"rev 4 (current): 0% (0/{len(unchanged)}" in shown
    assert f"earlier revisions: 100% ({answered_before}/{answered_before}" in shown

    _approve_all(bank_file)
    assert f"released after review ({len(expected)})" in cli("questions", "sync", str(bank))
    e2e.clock.advance(days=15)  # past the gap that holds back questions sent lately
    first = e2e.quiz(AMARA)
    on_changed_section = {q.id for q in questions if q.section == "4.2"}
    assert question_code(e2e, first) in on_changed_section
