"""`auditready questions review`, with a fake editor standing in for $EDITOR."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import review as review_command
from questions.loader import load_bank
from questions.model import Status
from tests.bot.services.review.conftest import sample_bank

runner = CliRunner()
# The `questions` group as `bot.cli.main` builds it, with only this module's command in it, so
# the test does not depend on every other command module importing.
app = typer.Typer()
questions_app = typer.Typer()
review_command.register(questions_app)


@questions_app.callback()
def _group() -> None:
    """Check and load the question bank."""


app.add_typer(questions_app, name="questions")
pytestmark = pytest.mark.usefixtures("environment")

# Writes the next of the numbered edits into the file it is given, as a reviewer would.
EDITOR = """
import pathlib, sys
edits = sorted(pathlib.Path(sys.argv[1]).glob("edit-*.yaml"))
pathlib.Path(sys.argv[2]).write_text(edits[0].read_text())
edits[0].unlink()
"""
COMPLETE = """\
id: QP-08-101
kind: single
status: draft
prompt: "You find a suspect part: where does it go?"
options:
  a: "Back on the line"
  b: "Quarantine, with an NCR"
answer: b
explanation: "Quarantine keeps it from being used until it is decided."
section: "5.1"
cites: "Quarantine the part and raise an NCR."
"""


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return sample_bank(tmp_path / "bank")


@pytest.fixture
def edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "edits"
    folder.mkdir()
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    monkeypatch.setenv("EDITOR", f'"{sys.executable}" "{script}" "{folder}"')
    return folder


def review(bank: Path, answers: str, *extra: str) -> str:
    args = ["questions", "review", *extra, "--bank", str(bank), "--reviewer", "quinn"]
    result = runner.invoke(app, args, input=answers)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def statuses(bank: Path) -> dict[str, Status]:
    return {q.id: q.status for _, f in load_bank(bank).files for q in f.questions}


def test_a_reviewer_approves_edits_rejects_and_skips(bank: Path, edits: Path) -> None:
    (edits / "edit-1.yaml").write_text(COMPLETE)
    output = review(bank, "a\ne\na\nr\nAsks nothing a person does\ns\n")
    # The first approval is refused: a draft lacks what an approved question needs.
    assert "QP-08-101 can't be approved as it stands:" in output
    assert "section: is missing; an approved question needs one" in output
    assert "Saved; QP-08-101 stays draft until approved." in output
    assert "Approved QP-08-101." in output
    assert "✓ b) Right way" in output  # the right option is marked
    assert "Drawn from: “Quarantine the part and raise an NCR.”" in output
    assert "approved 1, edited 1, rejected 1, skipped 1, left 0" in output
    assert "auditready questions sync" in output
    found = statuses(bank)
    assert found["QP-08-101"] is Status.APPROVED
    assert "QP-08-102" not in found and found["QP-12-101"] is Status.DRAFT
    (rejected,) = next(f for _, f in load_bank(bank).files if f.procedure.id == "QP-08").rejected
    assert (rejected.prompt, rejected.reason, rejected.by) == (
        "Complete already?",
        "Asks nothing a person does",
        "quinn",
    )


def test_an_invalid_edit_shows_its_problems_and_offers_another_go(bank: Path, edits: Path) -> None:
    (edits / "edit-1.yaml").write_text(COMPLETE.replace("answer: b", "answer: d"))
    (edits / "edit-2.yaml").write_text(COMPLETE)
    output = review(bank, "e\ny\nq\n", "QP-08")
    assert "That edit is not a valid question, so nothing was saved:" in output
    assert "answer: names option 'd', but only a, b exist" in output
    assert "approved 0, edited 1, rejected 0, skipped 0, left 2" in output
    assert statuses(bank)["QP-08-101"] is Status.DRAFT


def test_giving_up_on_an_invalid_edit_leaves_the_file_alone(bank: Path, edits: Path) -> None:
    before = (bank / "qp-08.yaml").read_bytes()
    (edits / "edit-1.yaml").write_text(COMPLETE.replace("id: QP-08-101", "id: QP-08-555"))
    output = review(bank, "e\nn\nq\n", "QP-08")
    assert "id: must stay QP-08-101" in output
    assert (bank / "qp-08.yaml").read_bytes() == before


def test_quitting_at_once_leaves_everything(bank: Path) -> None:
    output = review(bank, "q\n")
    assert "approved 0, edited 0, rejected 0, skipped 0, left 3" in output


def test_the_end_of_piped_input_stops_like_quit_and_says_what_was_done(bank: Path) -> None:
    output = review(bank, "s\n")
    assert "approved 0, edited 0, rejected 0, skipped 1, left 2" in output
    assert "Aborted" not in output


def test_a_procedure_with_nothing_pending(bank: Path) -> None:
    assert "Nothing awaits review for QP-99" in review(bank, "", "QP-99")


def test_a_missing_bank_folder_is_a_clean_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["questions", "review", "--bank", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "is not a folder of question files" in result.output
    assert "Traceback" not in result.output


def test_in_slack_needs_the_bot_token(bank: Path) -> None:
    result = runner.invoke(app, ["questions", "review", "--in-slack", "--bank", str(bank)])
    assert result.exit_code == 1
    assert "SLACK_BOT_TOKEN is not set" in result.output
