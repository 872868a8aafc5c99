from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Engine, column, insert, select, table, text

from storage import models
from storage.db import alembic_config, make_engine, upgrade
from storage.tallies import DailyTally
from tests.storage.test_schema import _answer_row, _seed


def test_upgrading_to_answer_clauses_backfills_past_answers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine: Engine = make_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    _seed(engine)
    row = _answer_row(1) | {"clauses": ["ISO 9001:2015 8.7", "ISO 9001:2015 7.3"]}
    with engine.begin() as connection:
        # The table as revision 0002 knew it: no `choice` column yet.
        columns = models.Answer.__table__.c
        old_answer = table("answer", *(column(name, columns[name].type) for name in row))
        connection.execute(insert(old_answer).values(**row))
    upgrade(engine)
    with engine.connect() as connection:
        clauses = connection.execute(
            select(models.AnswerClause.clause, models.AnswerClause.is_correct).order_by(
                models.AnswerClause.clause
            )
        ).all()
        head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        choice = connection.execute(select(models.Answer.choice)).scalar()
        tallies = connection.execute(
            select(
                DailyTally.kind, DailyTally.subject, DailyTally.answers, DailyTally.correct
            ).order_by(DailyTally.kind, DailyTally.subject)
        ).all()
    assert clauses == [("ISO 9001:2015 7.3", True), ("ISO 9001:2015 8.7", True)]
    assert head == "0013"
    assert choice == "a"
    # The tallies that revision 0006 added start from the answers already on record.
    assert tallies == [
        ("clause", "ISO 9001:2015 7.3", 1, 1),
        ("clause", "ISO 9001:2015 8.7", 1, 1),
        ("procedure", "QP-08", 1, 1),
        ("revision", "QP-08@A", 1, 1),
    ]
