"""`auditready questions draft` with and without AUDITREADY_MODEL_URL, and with --no-model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.services.procedures.copies import write_copy
from questions.documents.reading import read_document
from tests.bot.services.mock_audit.model_server import FakeModel, running_fake_model
from tests.bot.services.procedures.documents import REVISION_3, write

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("environment")
PROPOSAL = {
    "kind": "single",
    "prompt": "Who decides the disposition of quarantined product?",
    "options": ["The operator", "The Quality Engineer", "The Production Manager"],
    "answer": "The Quality Engineer",
    "explanation": "The Quality Engineer is responsible for it.",
    "cites": "The Quality Engineer is responsible for deciding the disposition of quarantined "
    "product.",
}


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    write_copy(folder, read_document(write(tmp_path / "incoming", REVISION_3)))
    return folder


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeModel]:
    monkeypatch.delenv("AUDITREADY_MODEL_URL", raising=False)
    with running_fake_model() as running:
        running.content = json.dumps({"questions": [PROPOSAL]})
        yield running


def _draft(bank: Path, *extra: str) -> str:
    args = ["questions", "draft", "QP-20", "--bank", str(bank), "--clause", "ISO 9001:2015 8.7"]
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_with_the_setting_the_model_proposes_too(
    bank: Path, model: FakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITREADY_MODEL_URL", model.base_url)
    output = _draft(bank)
    # The fake proposes one question for every section; only 4.3 has the sentence it cites.
    assert "3 drafts started" in output and "(1 proposed by the model)" in output
    assert "Proposed by the model: QP-20-003;" in output
    assert len(model.requests) == 4


def test_without_the_setting_nothing_leaves_the_machine(bank: Path, model: FakeModel) -> None:
    output = _draft(bank)
    assert "2 drafts started" in output and "by the model" not in output
    assert model.requests == []


def test_no_model_turns_it_off(
    bank: Path, model: FakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITREADY_MODEL_URL", model.base_url)
    output = _draft(bank, "--no-model")
    assert "2 drafts started" in output and "by the model" not in output
    assert model.requests == []
