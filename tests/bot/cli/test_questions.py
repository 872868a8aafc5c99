"""`auditready questions check` and `sync`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from questions.loader import sample_bank_path
from tests.questions.test_bank_check import BAD, GOOD, OPEN, open_question

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("environment")


def test_check_lists_every_problem_and_exits_1_without_a_traceback(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "qp-08.yaml").write_text(GOOD)
    (bank / "qp-09.yaml").write_text(BAD)
    result = runner.invoke(app, ["questions", "check", str(bank)])
    assert result.exit_code == 1
    output = result.output
    assert "Traceback" not in output
    for fragment in (
        "QP-09-001: answer",
        "unknown field 'colour'",
        "QP-09-002: options",
        "procedure.clauses",
        "QP-09-004: prompt",
        "QP-08-001: id",
    ):
        assert fragment in output
    assert "problem(s)" in output


def test_check_passes_the_sample_bank() -> None:
    result = runner.invoke(app, ["questions", "check"])
    assert result.exit_code == 0, result.output
    assert "all good" in result.output


def test_sync_prints_what_changed(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(sample_bank_path(), bank)
    first = runner.invoke(app, ["questions", "sync", str(bank)])
    assert first.exit_code == 0, first.output
    assert "added (" in first.output
    qp08 = bank / "qp-08.yaml"
    qp08.write_text(qp08.read_text().replace("QP-08-001", "QP-08-999", 1))
    second = runner.invoke(app, ["questions", "sync", str(bank)])
    assert "added (1): QP-08-999" in second.output
    assert "retired (1): QP-08-001" in second.output


def test_sync_refuses_a_bank_with_problems_and_loads_nothing(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "qp-08.yaml").write_text(GOOD)
    (bank / "qp-09.yaml").write_text(BAD)
    result = runner.invoke(app, ["questions", "sync", str(bank)])
    assert result.exit_code == 1
    assert "nothing was loaded" in result.output
    report = runner.invoke(app, ["report", "--format", "json"])
    assert json.loads(report.output)["summary"]["overall"]["deliveries"] == 0


def bank_of(tmp_path: Path, **files: str) -> Path:
    bank = tmp_path / "bank"
    bank.mkdir()
    for name, text in files.items():
        (bank / f"{name}.yaml").write_text(text)
    return bank


# No accepted short reply for key point 2, and no wrong claims.
WARNED = open_question("accept: [quarantine it]", "accept: []").replace(
    "    contradicts: [ship it anyway, fix it myself]\n", ""
)


def test_check_prints_warnings_and_passes(tmp_path: Path) -> None:
    bank = bank_of(tmp_path, **{"qp-08": WARNED})
    result = runner.invoke(app, ["questions", "check", str(bank)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f'warning: {bank / "qp-08.yaml"}: question QP-08-010: key point 2 ("Keep it apart in '
        'quarantine"): accept: no accepted short reply of 3 words or fewer; add the terse ways '
        'people make this point ("tag it", "tell the boss") so a terse right answer counts',
        f"warning: {bank / 'qp-08.yaml'}: question QP-08-010: contradicts: lists no wrong "
        'claims; add what people say when they get the procedure wrong ("we never fill it '
        'in"), so a reply that says one cannot pass',
        f"{bank}: 1 procedures, 1 questions, all good, 2 warnings.",
    ]


def test_check_strict_fails_on_warnings(tmp_path: Path) -> None:
    bank = bank_of(tmp_path, **{"qp-08": WARNED})
    result = runner.invoke(app, ["questions", "check", "--strict", str(bank)])
    assert result.exit_code == 1
    assert "all good, 2 warnings." in result.output
    assert "error: 2 warnings in" in result.output
    assert "--strict treats them as errors" in result.output


def test_check_strict_passes_a_bank_without_warnings(tmp_path: Path) -> None:
    bank = bank_of(tmp_path, **{"qp-08": OPEN})
    result = runner.invoke(app, ["questions", "check", "--strict", str(bank)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{bank}: 1 procedures, 1 questions, all good."


def test_check_lists_warnings_after_the_problems(tmp_path: Path) -> None:
    bank = bank_of(tmp_path, **{"qp-08": WARNED, "qp-09": BAD})
    result = runner.invoke(app, ["questions", "check", str(bank)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    warnings = [i for i, line in enumerate(lines) if line.startswith("warning: ")]
    problems = [i for i, line in enumerate(lines) if "qp-09.yaml" in line]
    assert len(warnings) == 2
    assert problems and max(problems) < min(warnings)
    assert "problem(s) in" in lines[-1]


def test_warnings_print_bank_text_as_it_is_written(tmp_path: Path) -> None:
    # Rich would read "[bold]" as markup and drop it; the author's text must show as written.
    text = WARNED.replace("Keep it apart in quarantine", "Keep it apart [bold]in quarantine[/]")
    text = text.replace("accept: []", "accept: ['[red]put it in the cage by the goods door now']")
    bank = bank_of(tmp_path, **{"qp-08": text})
    result = runner.invoke(app, ["questions", "check", str(bank)])
    assert result.exit_code == 0, result.output
    assert 'key point 2 ("Keep it apart [bold]in quarantine[/]"): accept: ' in result.output
    assert "'[red]put it in the cage by the goods door now' is 10 words" in result.output


def test_sync_prints_warnings_and_loads_anyway(tmp_path: Path) -> None:
    bank = bank_of(tmp_path, **{"qp-08": WARNED})
    result = runner.invoke(app, ["questions", "sync", str(bank)])
    assert result.exit_code == 0, result.output
    assert result.output.count("warning: ") == 2
    assert "added (1): QP-08-010" in result.output
