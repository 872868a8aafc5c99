"""Rebuilding the running tallies from the raw rows, and checking them against a rebuild.

Migration 0006 rebuilds them for the rows an install already had; `auditready db
check-tallies` and `rebuild-tallies` let an operator check and repair them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, case, delete, func, literal, select, union_all
from sqlalchemy import insert as generic_insert

from storage.days import utc_day
from storage.models import Answer, AnswerClause, Delivery
from storage.rollups import UNASSIGNED
from storage.sql import count_true
from storage.tallies import (
    CLAUSE,
    DEPARTMENT,
    PROCEDURE,
    REVISION,
    REVISION_MARK,
    DailyTally,
    Reach,
    ReachDay,
)


def rebuild(connection: Connection) -> None:
    """Recompute every tally from the deliveries and answers."""
    for table in (DailyTally, Reach, ReachDay):
        connection.execute(delete(table))
    for statement in _rebuilds():
        connection.execute(statement)


def _rebuilds() -> Iterable[Any]:
    yield _rebuild_procedure_tallies()
    yield _rebuild_revision_tallies()
    yield _rebuild_clause_tallies()
    yield from _rebuild_reach()
    yield _rebuild_reach_days()


_TALLY_COLUMNS = ["kind", "day", "department", "subject", "deliveries", "answers", "correct"]
_REACH_COLUMNS = ["kind", "department", "subject", "person_id", "last_sent_on", "last_answered_on"]


def _rebuild_procedure_tallies() -> Any:
    sent_on = utc_day(Delivery.delivered_at)
    department = func.coalesce(Delivery.department, UNASSIGNED)
    rows = (
        select(
            literal(PROCEDURE),
            sent_on,
            department,
            Delivery.procedure_code,
            func.count(Delivery.id),
            func.count(Answer.id),
            count_true(Answer.is_correct),
        )
        .select_from(Delivery)
        .outerjoin(Answer, Answer.delivery_id == Delivery.id)
        .where(Delivery.send_error.is_(None))
        .group_by(sent_on, department, Delivery.procedure_code)
    )
    return generic_insert(DailyTally).from_select(_TALLY_COLUMNS, rows)


def _rebuild_revision_tallies() -> Any:
    sent_on = utc_day(Delivery.delivered_at)
    department = func.coalesce(Delivery.department, UNASSIGNED)
    subject = Answer.procedure_code + literal(REVISION_MARK) + Answer.procedure_revision
    rows = (
        select(
            literal(REVISION),
            sent_on,
            department,
            subject,
            literal(0),
            func.count(Answer.id),
            count_true(Answer.is_correct),
        )
        .select_from(Delivery)
        .join(Answer, Answer.delivery_id == Delivery.id)
        .where(Delivery.send_error.is_(None))
        .group_by(sent_on, department, subject)
    )
    return generic_insert(DailyTally).from_select(_TALLY_COLUMNS, rows)


def _rebuild_clause_tallies() -> Any:
    answered_on = utc_day(AnswerClause.answered_at)
    department = func.coalesce(AnswerClause.department, UNASSIGNED)
    rows = select(
        literal(CLAUSE),
        answered_on,
        department,
        AnswerClause.clause,
        func.count(AnswerClause.id),
        func.count(AnswerClause.id),
        count_true(AnswerClause.is_correct),
    ).group_by(answered_on, department, AnswerClause.clause)
    return generic_insert(DailyTally).from_select(_TALLY_COLUMNS, rows)


def _rebuild_reach() -> Iterable[Any]:
    sent_on = utc_day(Delivery.delivered_at)
    department = func.coalesce(Delivery.department, UNASSIGNED)
    last_answered = func.max(case((Answer.id.is_not(None), sent_on)))
    per_cell = (
        select(
            literal(PROCEDURE),
            department,
            Delivery.procedure_code,
            Delivery.person_id,
            func.max(sent_on),
            last_answered,
        )
        .select_from(Delivery)
        .outerjoin(Answer, Answer.delivery_id == Delivery.id)
        .where(Delivery.send_error.is_(None))
        .group_by(department, Delivery.procedure_code, Delivery.person_id)
    )
    yield generic_insert(Reach).from_select(_REACH_COLUMNS, per_cell)
    per_department = (
        select(
            literal(DEPARTMENT),
            department,
            literal(""),
            Delivery.person_id,
            func.max(sent_on),
            last_answered,
        )
        .select_from(Delivery)
        .outerjoin(Answer, Answer.delivery_id == Delivery.id)
        .where(Delivery.send_error.is_(None))
        .group_by(department, Delivery.person_id)
    )
    yield generic_insert(Reach).from_select(_REACH_COLUMNS, per_department)
    answered_on = utc_day(AnswerClause.answered_at)
    clause_department = func.coalesce(AnswerClause.department, UNASSIGNED)
    per_clause = select(
        literal(CLAUSE),
        clause_department,
        AnswerClause.clause,
        AnswerClause.person_id,
        func.max(answered_on),
        func.max(answered_on),
    ).group_by(clause_department, AnswerClause.clause, AnswerClause.person_id)
    yield generic_insert(Reach).from_select(_REACH_COLUMNS, per_clause)


def _rebuild_reach_days() -> Any:
    last_days = union_all(
        select(
            Reach.kind,
            Reach.last_sent_on.label("day"),
            Reach.department,
            Reach.subject,
            literal(1).label("sent"),
            literal(0).label("answered"),
        ).where(Reach.last_sent_on.is_not(None)),
        select(
            Reach.kind,
            Reach.last_answered_on,
            Reach.department,
            Reach.subject,
            literal(0),
            literal(1),
        ).where(Reach.last_answered_on.is_not(None)),
    ).subquery()
    c = last_days.c
    rows = select(
        c.kind, c.day, c.department, c.subject, func.sum(c.sent), func.sum(c.answered)
    ).group_by(c.kind, c.day, c.department, c.subject)
    return generic_insert(ReachDay).from_select(
        ["kind", "day", "department", "subject", "people_sent", "people_answered"], rows
    )


def differences(connection: Connection, *, limit: int = 20) -> list[str]:
    """How the tallies differ from a rebuild from the raw rows; empty when they agree.

    The rebuild runs inside a savepoint that is rolled back, so nothing changes.
    """
    before = _snapshot(connection)
    savepoint = connection.begin_nested()
    try:
        rebuild(connection)
        after = _snapshot(connection)
    finally:
        savepoint.rollback()
    found = []
    for name in before:
        for key in sorted(set(before[name]) | set(after[name]), key=repr):
            kept, rebuilt = before[name].get(key), after[name].get(key)
            if kept != rebuilt:
                found.append(f"{name} {key}: kept {kept}, from the answers {rebuilt}")
    return found[:limit]


def _snapshot(connection: Connection) -> dict[str, dict[tuple[Any, ...], tuple[int, ...]]]:
    """Each tally table as {key: counts}, leaving out rows that count nothing."""
    tables: dict[str, tuple[Any, int]] = {"daily_tally": (DailyTally, 4), "reach": (Reach, 4)}
    tables["reach_day"] = (ReachDay, 4)
    snapshot = {}
    for name, (model, keys) in tables.items():
        rows = connection.execute(select(*model.__table__.columns)).all()
        snapshot[name] = {tuple(row[:keys]): tuple(row[keys:]) for row in rows if any(row[keys:])}
    return snapshot
