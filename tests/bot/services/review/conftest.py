from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.services.review.service import ReviewService
from storage.db import UnitOfWork
from storage.models import Person
from tests.bot.services.helpers import procedure_file, question, write_bank

ADMIN = "U0ADMIN01"
QUALITY = "U0QUAL001"
OWNER = "U0OWNER01"
STRANGER = "U0STRANGE"


def draft(code: str, **extra: object) -> dict[str, object]:
    """A drafted question: status draft, a cited sentence, no section or explanation yet."""
    entry = question(code, prompt=f"What does {code} ask?", **extra)
    del entry["section"], entry["explanation"]
    return {"status": "draft", "cites": "Quarantine the part and raise an NCR.", **entry}


def sample_bank(folder: Path) -> Path:
    """QP-08 owned by the Quality Manager role; QP-12 owned by a named Slack user."""
    qp08 = procedure_file(
        "QP-08",
        [
            question("QP-08-001"),
            draft("QP-08-101"),
            {**question("QP-08-102", prompt="Complete already?"), "status": "needs review"},
        ],
    )
    qp12 = procedure_file(
        "QP-12", [draft("QP-12-101")], owner="Sales Manager", owner_slack_id=OWNER
    )
    return write_bank(folder, [qp08, qp12])


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return sample_bank(tmp_path / "bank")


@pytest.fixture
def people(uow: Callable[[], UnitOfWork]) -> None:
    now = datetime(2026, 11, 2, tzinfo=UTC)
    with uow() as work:
        work.session.add_all(
            [
                Person(slack_id=ADMIN, name="Helen", is_admin=True, synced_at=now),
                Person(slack_id=QUALITY, name="Quinn", role="quality manager", synced_at=now),
                Person(slack_id=STRANGER, name="Sam", role="operator", synced_at=now),
            ]
        )
        work.commit()


@pytest.fixture
def review(
    uow: Callable[[], UnitOfWork], bank: Path, people: None, clock: Callable[[], datetime]
) -> ReviewService:
    return ReviewService(uow=uow, bank=bank, admins=[], clock=clock)
