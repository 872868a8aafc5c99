"""A small company's reference rows, and histories of deliveries and answers written the way
the app writes them, for the tally tests."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_session_factory
from storage.models import (
    Answer,
    AnswerClause,
    Delivery,
    Person,
    Procedure,
    Question,
    QuestionVersion,
)
from storage.rebuild import rebuild
from storage.rollups import UNASSIGNED, keep_tallies
from storage.tallies import (
    CLAUSE,
    DEPARTMENT,
    PROCEDURE,
    REVISION,
    DailyTally,
    Reach,
    ReachDay,
    revision_subject,
)

# ---------------------------------------------------------------------------------------
# Reference data: people, procedures and question versions every history draws from.


@dataclass(frozen=True)
class Version:
    id: int
    question_code: str
    procedure_code: str
    version: int
    clauses: tuple[str, ...]


C72, C85 = "ISO 9001:2015 7.2", "ISO 9001:2015 8.5"
E81, S82 = "ISO 14001:2015 8.1", "ISO 45001:2018 8.2"

# Two versions of one QP-01 question that test different clauses, and clauses shared
# between procedures, so clause cells gather answers from several procedures.
VERSIONS = [
    Version(1, "QP-01-001", "QP-01", 1, (C72,)),
    Version(2, "QP-01-001", "QP-01", 2, (C72, C85)),
    Version(3, "QP-02-001", "QP-02", 1, (C85, E81, S82)),
    Version(4, "EP-03-001", "EP-03", 1, (E81, C72)),
]
PERSONS = [1, 2, 3, 4]
DEPARTMENTS: list[str | None] = ["Production", "Warehouse", None]


def seed_reference(engine: Engine) -> None:
    """People and the question bank; once per database, whatever the examples do.

    A bare session: these rows count in no tally.
    """
    with Session(engine) as session, session.begin():
        if session.scalar(select(func.count()).select_from(Person)):
            return
        now = datetime(2026, 1, 1, tzinfo=UTC)
        for person in PERSONS:
            session.add(Person(id=person, slack_id=f"U{person}", name=f"P{person}", synced_at=now))
        procedures = sorted({v.procedure_code for v in VERSIONS})
        for number, code in enumerate(procedures, start=1):
            session.add(
                Procedure(
                    id=number,
                    code=code,
                    title="T",
                    revision="A",
                    owner="O",
                    clauses=[],
                    document="d",
                )
            )
        questions = sorted({(v.question_code, v.procedure_code) for v in VERSIONS})
        for number, (code, procedure) in enumerate(questions, start=1):
            session.add(
                Question(id=number, code=code, procedure_id=procedures.index(procedure) + 1)
            )
        session.flush()
        for version in VERSIONS:
            question_id = [code for code, _ in questions].index(version.question_code) + 1
            session.add(
                QuestionVersion(
                    id=version.id,
                    question_id=question_id,
                    version=version.version,
                    content_hash=f"h{version.id}",
                    kind="single",
                    prompt="p",
                    options=[["a", "right"], ["b", "wrong"]],
                    correct=["a"],
                    explanation="e",
                    section="s",
                    clauses=list(version.clauses),
                    audience_departments=[],
                    audience_roles=[],
                )
            )
        session.flush()


def wipe_evidence(engine: Engine) -> None:
    """Empty the raw rows and the tallies, so each example starts from nothing."""
    with engine.begin() as connection:
        for table in (AnswerClause, Answer, Delivery, DailyTally, Reach, ReachDay):
            connection.execute(delete(table))


# ---------------------------------------------------------------------------------------
# Rows built as bot.services.quiz.service `_new_delivery` and `_new_answer` build them.


def new_delivery(person: int, version: Version, department: str | None, at: datetime) -> Delivery:
    return Delivery(
        person_id=person,
        question_version_id=version.id,
        source="quiz",
        question_code=version.question_code,
        procedure_code=version.procedure_code,
        department=department,
        role=None,
        delivered_at=at,
    )


def new_answer(
    delivery: Delivery | int,
    *,
    person: int,
    version: Version,
    department: str | None,
    correct: bool,
    delivered_at: datetime,
    at: datetime,
    revision: str = "A",
) -> Answer:
    """An answer with its clause rows; by delivery object, or only by its id."""
    chosen = ["a"] if correct else ["b"]
    link: dict[str, Any] = (
        {"delivery_id": delivery} if isinstance(delivery, int) else {"delivery": delivery}
    )
    return Answer(
        **link,
        person_id=person,
        question_version_id=version.id,
        question_code=version.question_code,
        question_version=version.version,
        chosen=chosen,
        choice=",".join(chosen),
        is_correct=correct,
        answered_at=at,
        seconds_taken=max(0, int((at - delivered_at).total_seconds())),
        department=department,
        role=None,
        procedure_code=version.procedure_code,
        procedure_revision=revision,
        clauses=list(version.clauses),
        clause_rows=[
            AnswerClause(
                clause=clause,
                person_id=person,
                department=department,
                is_correct=correct,
                answered_at=at,
            )
            for clause in version.clauses
        ],
    )


# ---------------------------------------------------------------------------------------
# Reading the tallies.

Snapshot = dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]


def snapshot(connection: Connection) -> Snapshot:
    """Every tally row by its key, leaving out rows that count nothing.

    The listener leaves rows behind when counts return to zero, and keeps a person's
    reach row with both days empty once none of their deliveries counts any more; `rebuild`
    writes neither, and both mean the same as no row.
    """
    daily = {
        (r.kind, r.day, r.department, r.subject): (r.deliveries, r.answers, r.correct)
        for r in connection.execute(select(DailyTally))
        if (r.deliveries, r.answers, r.correct) != (0, 0, 0)
    }
    reach = {
        (r.kind, r.department, r.subject, r.person_id): (r.last_sent_on, r.last_answered_on)
        for r in connection.execute(select(Reach))
        if (r.last_sent_on, r.last_answered_on) != (None, None)
    }
    reach_day = {
        (r.kind, r.day, r.department, r.subject): (r.people_sent, r.people_answered)
        for r in connection.execute(select(ReachDay))
        if (r.people_sent, r.people_answered) != (0, 0)
    }
    return {"daily_tally": daily, "reach": reach, "reach_day": reach_day}


def kept_and_rebuilt(engine: Engine) -> tuple[Snapshot, Snapshot]:
    """The tallies as the listener kept them, and as `rebuild` recomputes them."""
    with engine.connect() as connection, connection.begin() as transaction:
        kept = snapshot(connection)
        rebuild(connection)
        rebuilt = snapshot(connection)
        transaction.rollback()
    return kept, rebuilt


def tallies_of(engine: Engine) -> Snapshot:
    with engine.connect() as connection:
        return snapshot(connection)


def modelled(engine: Engine) -> Snapshot:
    """The tallies as the module docstrings define them, computed in Python from raw rows.

    An independent reading, so that `rebuild` is checked as well as the listener.
    """
    with engine.connect() as connection:
        deliveries = connection.execute(
            select(
                Delivery.person_id,
                Delivery.department,
                Delivery.procedure_code,
                Delivery.delivered_at,
                Answer.id.is_not(None).label("answered"),
                Answer.is_correct,
                Answer.procedure_revision,
            )
            .outerjoin(Answer, Answer.delivery_id == Delivery.id)
            .where(Delivery.send_error.is_(None))
        ).all()
        clause_rows = connection.execute(
            select(
                AnswerClause.person_id,
                AnswerClause.department,
                AnswerClause.clause,
                AnswerClause.answered_at,
                AnswerClause.is_correct,
            )
        ).all()
    daily: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    last: dict[tuple[Any, ...], list[date | None]] = defaultdict(lambda: [None, None])

    def later(key: tuple[Any, ...], slot: int, day: date) -> None:
        current = last[key][slot]
        last[key][slot] = day if current is None else max(current, day)

    for d in deliveries:
        day, department = d.delivered_at.astimezone(UTC).date(), d.department or UNASSIGNED
        counts = daily[(PROCEDURE, day, department, d.procedure_code)]
        counts[0] += 1
        counts[1] += int(d.answered)
        counts[2] += int(bool(d.answered and d.is_correct))
        if d.answered:
            subject = revision_subject(d.procedure_code, d.procedure_revision)
            by_revision = daily[(REVISION, day, department, subject)]
            by_revision[1] += 1
            by_revision[2] += int(bool(d.is_correct))
        for key in (
            (PROCEDURE, department, d.procedure_code, d.person_id),
            (DEPARTMENT, department, "", d.person_id),
        ):
            later(key, 0, day)
            if d.answered:
                later(key, 1, day)
    for c in clause_rows:
        day, department = c.answered_at.astimezone(UTC).date(), c.department or UNASSIGNED
        counts = daily[(CLAUSE, day, department, c.clause)]
        counts[0] += 1
        counts[1] += 1
        counts[2] += int(c.is_correct)
        later((CLAUSE, department, c.clause, c.person_id), 0, day)
        later((CLAUSE, department, c.clause, c.person_id), 1, day)
    people: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
    for (kind, department, subject, _person), days in last.items():
        for slot, day in enumerate(days):
            if day is not None:
                people[(kind, day, department, subject)][slot] += 1
    return {
        "daily_tally": {key: tuple(value) for key, value in daily.items()},
        "reach": {key: tuple(value) for key, value in last.items()},
        "reach_day": {key: tuple(value) for key, value in people.items()},
    }


START = date(2026, 11, 1)
QP01 = VERSIONS[1]  # QP-01-001 version 2: clauses 7.2 and 8.5
D1, D2, D3, D4 = (START + timedelta(days=n) for n in range(4))


def moment(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), UTC)


def deliver(
    engine: Engine, person: int, department: str | None, when: datetime, version: Version = QP01
) -> int:
    with make_session_factory(engine)() as session:
        delivery = new_delivery(person, version, department, when)
        session.add(delivery)
        session.commit()
        return delivery.id


def answer_it(
    engine: Engine, delivery_id: int, *, correct: bool, when: datetime, revision: str = "A"
) -> None:
    with make_session_factory(engine)() as session:
        delivery = session.get_one(Delivery, delivery_id)
        version = next(v for v in VERSIONS if v.id == delivery.question_version_id)
        session.add(
            new_answer(
                delivery,
                person=delivery.person_id,
                version=version,
                department=delivery.department,
                correct=correct,
                delivered_at=delivery.delivered_at,
                at=when,
                revision=revision,
            )
        )
        session.commit()


def default_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions as SQLAlchemy makes them by default (everything expires on commit), keeping
    the tallies as the app's do."""
    factory = sessionmaker(engine)
    keep_tallies(factory)
    return factory


def mark_failed(engine: Engine, delivery_id: int, error: str = "channel_not_found") -> None:
    """As QuizService.mark_failed: a fresh session, the delivery loaded, its error set."""
    with make_session_factory(engine)() as session:
        session.get_one(Delivery, delivery_id).send_error = error
        session.commit()
