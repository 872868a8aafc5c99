"""A bank with drafts beside the sample one: the app reviews it, and the CLI posts from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.sandbox import SlackSandbox
from bot.settings import Settings
from tests.bot.services.helpers import procedure_file, question, write_bank
from tests.e2e.conftest import make_settings
from tests.e2e.workspace import TOMASZ

CITED = "Quarantine the suspect part and raise an NCR the same shift."


def draft(code: str, prompt: str, **extra: object) -> dict[str, object]:
    entry = question(code, prompt=prompt, **extra)
    del entry["section"], entry["explanation"]
    return {**entry, "status": "draft", "cites": CITED}


def review_bank(folder: Path) -> Path:
    """QP-08, owned by the Supervisor role (Grace); QP-12, owned outright by Tomasz."""
    qp08 = procedure_file(
        "QP-08",
        [
            draft("QP-08-101", "You find a suspect part: where does it go?"),
            {
                **question("QP-08-102", prompt="Who signs off a concession?"),
                "status": "needs review",
            },
            draft("QP-08-103", "Who gets <!channel> alerts & why?"),
        ],
        owner="Supervisor",
    )
    qp12 = procedure_file(
        "QP-12",
        [draft("QP-12-101", "When is a complaint logged?")],
        owner="Sales Manager",
        owner_slack_id=TOMASZ.id,
    )
    return write_bank(folder, [qp08, qp12])


@pytest.fixture
def settings(sandbox: SlackSandbox, database_url: str, tmp_path: Path) -> Settings:
    made = make_settings(api_url=sandbox.base_url, database_url=database_url)
    return made.model_copy(update={"bank": review_bank(tmp_path / "review-bank")})
