"""`auditready procedures import|changes` and `questions draft`: the workflow from a document."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from questions.loader import load_bank_file
from questions.model import Status
from tests.bot.services.procedures.documents import REVISION_3, REVISION_4, write

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("environment")


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir()
    return folder


def test_a_document_imports_then_drafts_into_a_new_bank_file(bank: Path, tmp_path: Path) -> None:
    document = write(tmp_path / "docs", REVISION_3)
    code, output = _run("procedures", "import", str(document), "--bank", str(bank))
    assert code == 0, output
    assert "QP 20 rev 3: Control of nonconforming product: 6 sections" in output
    code, output = _run(
        "questions", "draft", "QP-20", "--bank", str(bank), "--clause", "ISO 9001:2015 8.7"
    )
    assert code == 0, output
    bank_file = load_bank_file(bank / "qp-20.yaml")
    assert bank_file.procedure.original_id == "QP 20"
    assert bank_file.procedure.owner == "Quality Manager"
    assert bank_file.questions and all(q.status is Status.DRAFT for q in bank_file.questions)
    assert f"{len(bank_file.questions)} drafts started" in output
    # The id as the document writes it works too.
    code, output = _run("questions", "draft", "qp 20", "--bank", str(bank))
    assert (code, output.split(" drafts")[0]) == (0, "0"), "drafting twice repeats nothing"
    code, output = _run("questions", "check", str(bank))
    assert code == 0, output
    assert f"({len(bank_file.questions)} drafts and 0 needing review" in output


def test_one_unreadable_document_is_reported_and_the_others_imported(
    bank: Path, tmp_path: Path
) -> None:
    good = write(tmp_path / "docs", REVISION_3)
    broken = tmp_path / "docs" / "qp-21.docx"
    broken.write_bytes(b"this is no Word file")
    code, output = _run("procedures", "import", str(broken), str(good), "--bank", str(bank))
    assert code == 1
    assert "qp-21.docx: not imported:" in output
    assert "QP 20 rev 3" in output
    assert (bank / "procedures" / "qp-20.md").is_file()


def test_a_document_without_an_id_asks_for_it_on_the_command_line(
    bank: Path, tmp_path: Path
) -> None:
    nameless = write(tmp_path / "docs", REVISION_3.replace("id: QP 20\n", ""), "nameless.md")
    code, output = _run("procedures", "import", str(nameless), "--bank", str(bank))
    assert code == 1
    assert "does not say its id; give --id" in output
    code, output = _run("procedures", "import", str(nameless), "--id", "qp 22", "--bank", str(bank))
    assert code == 0, output
    assert (bank / "procedures" / "qp-22.md").is_file()


def test_changes_lists_the_changed_section_and_what_awaits_review(
    bank: Path, tmp_path: Path
) -> None:
    _run("procedures", "import", str(write(tmp_path / "r3", REVISION_3)), "--bank", str(bank))
    _run("questions", "draft", "QP-20", "--bank", str(bank), "--clause", "ISO 9001:2015 8.7")
    bank_file = bank / "qp-20.yaml"
    drafted = load_bank_file(bank_file).questions
    # Section 4 holds 4.2, so a question on the steps of section 4 is affected too.
    on_segregation = [q.id for q in drafted if q.section in ("4", "4.2")]
    untouched = [q.id for q in drafted if q.id not in on_segregation]
    assert any(q.section == "4.2" for q in drafted) and untouched
    approved = bank_file.read_text(encoding="utf-8").replace("    status: draft\n", "")
    bank_file.write_text(approved, encoding="utf-8")
    code, output = _run(
        "procedures", "import", str(write(tmp_path / "r4", REVISION_4)), "--bank", str(bank)
    )
    assert code == 0, output
    assert "changed sections: 4.2" in output
    code, output = _run("procedures", "changes", "--bank", str(bank))
    assert code == 0, output
    assert "QP 20 rev 4, was 3" in output
    assert "changed: 4.2 Segregation" in output
    flagged = [line.split()[2] for line in output.splitlines() if "needs review:" in line]
    assert sorted(flagged) == sorted(on_segregation)
    code, output = _run("questions", "check", str(bank))
    assert code == 0 and f"0 drafts and {len(on_segregation)} needing review" in output


def test_check_warns_where_the_bank_file_disagrees_with_the_imported_document(
    bank: Path, tmp_path: Path
) -> None:
    _run("procedures", "import", str(write(tmp_path / "r3", REVISION_3)), "--bank", str(bank))
    _run("questions", "draft", "QP-20", "--bank", str(bank), "--clause", "ISO 9001:2015 8.7")
    bank_file = bank / "qp-20.yaml"
    bank_file.write_text(
        bank_file.read_text(encoding="utf-8").replace("revision: '3'", "revision: '2'"),
        encoding="utf-8",
    )
    code, output = _run("questions", "check", str(bank))
    assert code == 0, output
    assert "procedure.revision: says '2' but the imported document QP 20 says '3'" in output
