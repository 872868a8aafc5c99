from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.services.bank import SyncReport, sync_bank
from questions.loader import load_bank
from storage.db import UnitOfWork


def procedure_file(
    code: str,
    questions: list[dict[str, object]],
    *,
    revision: str = "A",
    departments: list[str] | None = None,
    owner: str = "Quality Manager",
    owner_slack_id: str | None = None,
) -> dict[str, object]:
    procedure: dict[str, object] = {
        "id": code,
        "title": f"Procedure {code}",
        "revision": revision,
        "owner": owner,
        "clauses": ["ISO 9001:2015 8.7"],
        "audience": {"departments": departments or []},
        "document": f"https://intranet.example/{code}",
    }
    if owner_slack_id is not None:
        procedure["owner_slack_id"] = owner_slack_id
    return {"procedure": procedure, "questions": questions}


def question(
    code: str, *, prompt: str = "Which?", answer: str = "b", **extra: object
) -> dict[str, object]:
    return {
        "id": code,
        "kind": "single",
        "prompt": prompt,
        "options": {"a": "Wrong way", "b": "Right way", "c": "Another wrong way"},
        "answer": answer,
        "explanation": "Because the procedure says so.",
        "section": "4.2",
        **extra,
    }


def write_bank(folder: Path, files: list[dict[str, object]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    for data in files:
        code = str(data["procedure"]["id"]).lower()
        (folder / f"{code}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def sync(uow: Callable[[], UnitOfWork], folder: Path, now: datetime | None = None) -> SyncReport:
    return sync_bank(uow=uow, bank=load_bank(folder), now=now or datetime.now(UTC))
