"""`auditready questions import` and `export` on a copy of the sample bank."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from questions.exchange.gift import parse_gift
from questions.loader import load_bank, load_bank_file, sample_bank_path
from questions.model import Kind, Status

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("environment")

GIFT = """\
// Imported from the Moodle course
$CATEGORY: $course$/top/Quality

::Tagging:: Who tags nonconforming parts? {
  =Whoever finds them#Right.
  ~Only the Quality Manager
  ####See QP-08 section 4.1.
}

::Weights:: Which go on the tag? {
  ~%50%Part number
  ~%50%Your name
  ~%-100%Who caused it
}

Match the tags. {=Red -> NC =Green -> OK}

Parts in quarantine may be used when an order is urgent. {F}
"""


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(sample_bank_path(), folder)
    return folder


def _import(bank: Path, source: Path, *options: str) -> tuple[int, str]:
    args = ["questions", "import", str(source), "--bank", str(bank), *options]
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_gift_questions_land_as_drafts_in_the_procedure_file(bank: Path, tmp_path: Path) -> None:
    source = _write(tmp_path, "quiz.gift", GIFT)
    code, output = _import(bank, source, "--format", "gift", "--procedure", "QP-08")
    assert code == 0, output
    qp08 = load_bank_file(bank / "qp-08.yaml")
    drafts = [q for q in qp08.questions if q.status is Status.DRAFT]
    assert [(q.id, q.kind) for q in drafts] == [
        ("QP-08-009", Kind.SINGLE),
        ("QP-08-010", Kind.MULTIPLE),
        ("QP-08-011", Kind.TRUE_FALSE),
    ]
    assert "status: draft" in (bank / "qp-08.yaml").read_text()
    for fragment in (
        "3 questions imported into qp-08.yaml as drafts:",
        "QP-08-009 (single, line 4, titled 'Tagging')",
        "1 question skipped:",
        "line 16: a matching question ({=a -> b}) has no bank equivalent",
        "3 weights dropped",
        "line 11: 'Part number' weighted 50% is now one of the right answers",
        "line 2: category '$course$/top/Quality' noted",
        "auditready questions review",
    ):
        assert fragment in output
    check = runner.invoke(app, ["questions", "check", str(bank)])
    assert check.exit_code == 0, check.output
    assert "all good" in check.output


def test_aiken_questions_import_after_the_highest_id(bank: Path, tmp_path: Path) -> None:
    source = _write(tmp_path, "quiz.txt", "Who decides?\nA) Quality\nB) Sales\nANSWER: A\n")
    code, output = _import(bank, source, "--format", "aiken", "--procedure", "qp-05")
    assert code == 0, output
    [draft] = [q for q in load_bank_file(bank / "qp-05.yaml").questions if not q.is_live]
    assert draft.options == {"a": "Quality", "b": "Sales"}
    assert draft.id.startswith("QP-05-")
    assert draft.id in output


def test_the_bank_folder_defaults_to_the_setting(
    bank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITREADY_BANK", str(bank))
    source = _write(tmp_path, "quiz.gift", "Sky is blue. {T}")
    result = runner.invoke(
        app, ["questions", "import", str(source), "--format", "gift", "--procedure", "QP-08"]
    )
    assert result.exit_code == 0, result.output
    assert load_bank_file(bank / "qp-08.yaml").questions[-1].id == "QP-08-009"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"Q? {=caf\xe9 ~tea}\n", "is not UTF-8 text (line 1)"),
        (b"Just a description.\n// and a comment\n", "nothing was imported"),
        (b"// only comments\n", "holds no questions in GIFT format"),
    ],
)
def test_an_unreadable_file_is_one_clear_error(
    bank: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "quiz.gift"
    source.write_bytes(content)
    before = (bank / "qp-08.yaml").read_text()
    code, output = _import(bank, source, "--format", "gift", "--procedure", "QP-08")
    assert code == 1
    assert message in output
    assert (bank / "qp-08.yaml").read_text() == before


def test_a_missing_file_and_an_unknown_procedure_are_clear_errors(
    bank: Path, tmp_path: Path
) -> None:
    code, output = _import(bank, tmp_path / "nope.gift", "--format", "gift", "--procedure", "QP-08")
    assert code == 1
    assert f"cannot read {tmp_path / 'nope.gift'}" in output
    source = _write(tmp_path, "quiz.gift", "Sky is blue. {T}")
    code, output = _import(bank, source, "--format", "gift", "--procedure", "QP-99")
    assert code == 1
    assert "no bank file" in output and "is for procedure QP-99" in output


def test_a_bank_with_problems_must_pass_check_first(bank: Path, tmp_path: Path) -> None:
    qp08 = bank / "qp-08.yaml"
    qp08.write_text(qp08.read_text().replace("answer: c", "answer: z", 1))
    source = _write(tmp_path, "quiz.gift", "Sky is blue. {T}")
    code, output = _import(bank, source, "--format", "gift", "--procedure", "QP-08")
    assert code == 1
    assert "must pass `auditready questions check` first" in output


def test_over_long_and_malformed_questions_are_skipped_by_line(bank: Path, tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        "quiz.gift",
        f"{'x' * 800}? {{=a1 ~b1}}\n\nUnclosed {{=a1 ~b1\n\nFine? {{=a1 ~b1}}\n",
    )
    code, output = _import(bank, source, "--format", "gift", "--procedure", "QP-08")
    assert code == 0, output
    assert "line 1: prompt is 801 characters; the bank allows at most 700" in output
    assert "line 3: the '{' of the answers is never closed with '}'" in output
    assert "1 question imported" in output


def test_export_writes_approved_questions_that_parse_back(bank: Path, tmp_path: Path) -> None:
    source = _write(tmp_path, "quiz.gift", GIFT)
    _import(bank, source, "--format", "gift", "--procedure", "QP-08")
    output = tmp_path / "qp-08.gift"
    args = ["questions", "export", "--format", "gift", "--procedure", "QP-08", "--bank", str(bank)]
    result = runner.invoke(app, [*args, "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "8 questions written to" in result.output
    text = output.read_text(encoding="utf-8")
    assert text.startswith("$CATEGORY: QP-08 Control of nonconforming output")
    parsed = parse_gift(text)
    assert parsed.skipped == []
    assert [c.title for c in parsed.candidates] == [f"QP-08-{n:03d}" for n in range(1, 9)]
    every = runner.invoke(app, [*args, "--all-statuses", "--output", str(output)])
    assert "11 questions written" in every.output


def test_export_to_the_screen_notes_what_it_leaves_out(bank: Path) -> None:
    result = runner.invoke(app, ["questions", "export", "--bank", str(bank)])
    assert result.exit_code == 0, result.output
    parsed = parse_gift(result.stdout)
    live = sum(1 for _, f in load_bank(bank).files for q in f.questions if q.is_live)
    assert 0 < len(parsed.candidates) < live
    assert "has no GIFT equivalent" in result.stderr
