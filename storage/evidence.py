"""Every answer as evidence of competence (clause 7.2), streamed for the auditor's export.

Department, role, question version, procedure revision and clauses are the ones recorded on
the answer when it was given, so a later move or revision never rewrites the evidence. Only
the person's Slack id and name come from the person as they are now.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, false, or_, select
from sqlalchemy.orm import Session

from storage.models import Answer, Person
from storage.rollups import UNASSIGNED

# Rows fetched per round trip; PostgreSQL streams them through a server-side cursor.
BATCH = 1000
CLAUSE_SEPARATOR = "; "


@dataclass(frozen=True)
class EvidenceRow:
    answer_id: int
    slack_id: str
    name: str
    role: str | None
    department: str | None
    question_code: str
    question_version: int
    procedure_code: str
    procedure_revision: str
    clauses: str
    answered_at: datetime
    seconds_taken: int
    chosen: str
    result: str


def _in_departments(departments: Sequence[str]) -> Any:
    """The answers recorded in these departments; UNASSIGNED matches those with none."""
    named = [d for d in departments if d != UNASSIGNED]
    conditions = [Answer.department.in_(named)] if named else []
    if UNASSIGNED in departments:
        conditions.append(Answer.department.is_(None))
    return or_(*conditions) if conditions else false()


def evidence_statement(*, since: datetime | None, departments: Sequence[str] | None) -> Executable:
    """The answers in time order, with who gave them, set to stream in batches."""
    conditions = []
    if since is not None:
        conditions.append(Answer.answered_at >= since)
    if departments is not None:
        conditions.append(_in_departments(departments))
    return (
        select(
            Answer.id,
            Person.slack_id,
            Person.name,
            Answer.role,
            Answer.department,
            Answer.question_code,
            Answer.question_version,
            Answer.procedure_code,
            Answer.procedure_revision,
            Answer.clauses,
            Answer.answered_at,
            Answer.seconds_taken,
            Answer.choice,
            Answer.is_correct,
        )
        .join(Person, Person.id == Answer.person_id)
        .where(*conditions)
        .order_by(Answer.answered_at, Answer.id)
        .execution_options(yield_per=BATCH)
    )


def evidence_rows(
    session: Session, *, since: datetime | None, departments: Sequence[str] | None
) -> Iterator[EvidenceRow]:
    """Every answer since `since` in these departments (None: all), oldest first.

    Rows stream in batches of BATCH; iterate inside the session's unit of work.
    """
    # Closing the result frees the cursor even when the caller stops early.
    with session.execute(evidence_statement(since=since, departments=departments)) as result:
        for row in result:
            yield _evidence_row(row)


def _evidence_row(row: Any) -> EvidenceRow:
    (answer_id, slack_id, name, role, department, code, version) = row[:7]
    (procedure, revision, clauses, answered_at, seconds, choice, is_correct) = row[7:]
    return EvidenceRow(
        answer_id=int(answer_id),
        slack_id=str(slack_id),
        name=str(name),
        role=role,
        department=department,
        question_code=str(code),
        question_version=int(version),
        procedure_code=str(procedure),
        procedure_revision=str(revision),
        clauses=CLAUSE_SEPARATOR.join(clauses or ()),
        answered_at=answered_at,
        seconds_taken=int(seconds),
        chosen=str(choice),
        result="correct" if is_correct else "incorrect",
    )
