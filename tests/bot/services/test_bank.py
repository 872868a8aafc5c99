from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage import models
from storage.db import UnitOfWork
from tests.bot.services.helpers import procedure_file, question, sync, write_bank


def test_first_sync_adds_every_question_as_version_one(
    uow: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    folder = write_bank(
        tmp_path, [procedure_file("QP-08", [question("QP-08-001"), question("QP-08-002")])]
    )
    report = sync(uow, folder)
    assert report.added == ["QP-08-001", "QP-08-002"]
    with uow() as work:
        versions = work.session.scalars(select(models.QuestionVersion.version)).all()
    assert versions == [1, 1]


def test_editing_content_makes_a_new_version_and_keeps_the_old(
    uow: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    folder = write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001")])])
    sync(uow, folder)
    write_bank(
        tmp_path, [procedure_file("QP-08", [question("QP-08-001", prompt="Which one now?")])]
    )
    report = sync(uow, folder)
    assert report.new_versions == ["QP-08-001 v2"]
    with uow() as work:
        prompts = work.session.scalars(
            select(models.QuestionVersion.prompt).order_by(models.QuestionVersion.version)
        ).all()
        current = work.session.scalar(select(models.Question.current_version))
    assert prompts == ["Which?", "Which one now?"]
    assert current == 2


def test_resync_without_changes_changes_nothing(
    uow: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    folder = write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001")])])
    sync(uow, folder)
    report = sync(uow, folder)
    assert not report.changed
    assert report.unchanged == 1


def test_a_question_missing_from_the_files_is_retired_not_deleted(
    uow: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    folder = write_bank(
        tmp_path, [procedure_file("QP-08", [question("QP-08-001"), question("QP-08-002")])]
    )
    sync(uow, folder)
    write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001")])])
    report = sync(uow, folder)
    assert report.retired == ["QP-08-002"]
    with uow() as work:
        retired = work.session.scalar(
            select(models.Question).where(models.Question.code == "QP-08-002")
        )
        assert retired is not None and retired.retired_at is not None
    write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001"), question("QP-08-002")])])
    assert sync(uow, folder).reinstated == ["QP-08-002"]


def test_a_procedure_revision_is_reported(uow: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    folder = write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001")])])
    sync(uow, folder)
    write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001")], revision="B")])
    assert sync(uow, folder).revised_procedures == ["QP-08 A → B"]


def test_a_failing_sync_leaves_the_database_as_it_was(
    uow: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    folder = write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001")])])
    sync(uow, folder)
    edited = procedure_file("QP-08", [question("QP-08-001", prompt="Changed")], revision="B")
    write_bank(tmp_path, [edited])
    # A naive timestamp is refused when the new version is flushed, after the procedure
    # row was already updated in the same transaction.
    with pytest.raises(Exception, match="naive datetime"):
        sync(uow, folder, now=datetime(2026, 1, 1))
    with uow() as work:
        assert work.session.scalar(select(func.count(models.QuestionVersion.id))) == 1
        assert work.session.scalar(select(models.Procedure.revision)) == "A"


def test_a_draft_never_reaches_the_database(uow: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    drafted = {**question("QP-08-002"), "status": "draft"}
    folder = write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001"), drafted])])
    report = sync(uow, folder)
    assert report.added == ["QP-08-001"]
    assert report.drafts == ["QP-08-002"]
    with uow() as work:
        codes = work.session.scalars(select(models.Question.code)).all()
    assert codes == ["QP-08-001"]


def test_a_question_needing_review_is_held_with_its_history_and_released_on_approval(
    uow: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    folder = write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001")])])
    sync(uow, folder)
    flagged = {**question("QP-08-001"), "status": "needs review"}
    write_bank(tmp_path, [procedure_file("QP-08", [flagged])])
    held = sync(uow, folder)
    with uow() as work:
        on_hold = work.session.scalar(select(models.Question.on_hold))
        retired = work.session.scalar(select(models.Question.retired_at))
    assert held.held == ["QP-08-001"] and on_hold is True and retired is None
    write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001")])])
    released = sync(uow, folder)
    with uow() as work:
        on_hold = work.session.scalar(select(models.Question.on_hold))
    assert released.released == ["QP-08-001"] and on_hold is False
