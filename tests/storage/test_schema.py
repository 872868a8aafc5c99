from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, column, insert, table
from sqlalchemy.exc import IntegrityError

from storage import models
from storage.db import upgrade
from storage.schema import metadata


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda o, n, t, *_: n != "apscheduler_jobs",
            },
        )
        assert compare_metadata(context, metadata) == []


def test_upgrade_is_idempotent(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)


def _seed(engine: Engine) -> int:
    now = datetime.now(UTC)
    with engine.begin() as c:
        c.execute(
            insert(models.Person).values(
                id=1,
                slack_id="U1",
                name="A",
                tz="UTC",
                is_manager=False,
                is_admin=False,
                is_active=True,
                synced_at=now,
            )
        )
        c.execute(
            insert(models.Procedure).values(
                id=1,
                code="QP-08",
                title="T",
                revision="A",
                owner="O",
                clauses=["ISO 9001:2015 8.7"],
                document="d",
            )
        )
        # Only the columns every revision has: the model's defaults name later ones (on_hold).
        question = {"id": 1, "code": "QP-08-001", "procedure_id": 1, "current_version": 1}
        c.execute(insert(table("question", *map(column, question))).values(**question))
        c.execute(
            insert(models.QuestionVersion).values(
                id=1,
                question_id=1,
                version=1,
                content_hash="h",
                kind="single",
                prompt="p",
                options=[["a", "x"], ["b", "y"]],
                correct=["a"],
                explanation="e",
                section="1",
                clauses=["ISO 9001:2015 8.7"],
                audience_departments=[],
                audience_roles=[],
                created_at=now,
            )
        )
        c.execute(
            insert(models.Delivery).values(
                id=1,
                person_id=1,
                question_version_id=1,
                source="quiz",
                question_code="QP-08-001",
                procedure_code="QP-08",
                delivered_at=now,
            )
        )
    return 1


def _answer_row(delivery_id: int) -> dict[str, object]:
    return dict(
        delivery_id=delivery_id,
        person_id=1,
        question_version_id=1,
        question_code="QP-08-001",
        question_version=1,
        chosen=["a"],
        is_correct=True,
        answered_at=datetime.now(UTC),
        seconds_taken=3,
        procedure_code="QP-08",
        procedure_revision="A",
        clauses=[],
    )


def test_the_database_itself_allows_one_answer_per_delivery(engine: Engine) -> None:
    delivery = _seed(engine)
    with engine.begin() as c:
        c.execute(insert(models.Answer).values(**_answer_row(delivery)))
    with pytest.raises(IntegrityError), engine.begin() as c:
        c.execute(insert(models.Answer).values(**_answer_row(delivery)))


def test_an_answer_must_point_at_a_real_delivery(engine: Engine) -> None:
    _seed(engine)
    with pytest.raises(IntegrityError), engine.begin() as c:
        c.execute(insert(models.Answer).values(**_answer_row(42)))


def test_question_versions_are_unique_per_question(engine: Engine) -> None:
    _seed(engine)
    with pytest.raises(IntegrityError), engine.begin() as c:
        c.execute(
            insert(models.QuestionVersion).values(
                question_id=1,
                version=1,
                content_hash="h2",
                kind="single",
                prompt="p",
                options=[],
                correct=[],
                explanation="e",
                section="1",
                clauses=[],
                audience_departments=[],
                audience_roles=[],
                created_at=datetime.now(UTC),
            )
        )
