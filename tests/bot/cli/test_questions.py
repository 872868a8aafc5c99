"""`auditready questions check` and `sync`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from questions.loader import sample_bank_path
from tests.questions.test_bank_check import BAD, GOOD

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
