"""The running tallies kept by `storage.rollups` agree with what `rebuild` makes of the raw rows.

Every history here is written through ORM sessions from `make_session_factory`, the way the
app writes deliveries and answers, so the flush listener is what keeps the tallies; `rebuild`
then recomputes them from the same rows, inside a transaction that is rolled back, and the
two must agree.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, delete, func, select, update
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
from storage.rebuild import differences, rebuild
from storage.rollups import UNASSIGNED, keep_tallies
from storage.tallies import CLAUSE, DEPARTMENT, PROCEDURE, DailyTally, Reach, ReachDay

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


@pytest.fixture
def db(engine: Engine) -> Engine:
    seed_reference(engine)
    return engine


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
        procedure_revision="A",
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


# ---------------------------------------------------------------------------------------
# Random histories.

START = date(2026, 11, 1)
DAY = 86_400
# Times of day in seconds, near midnight as often as anywhere else.
TIMES = st.one_of(
    st.sampled_from([0, 1, 59, DAY - 60, DAY - 1]),
    st.integers(min_value=0, max_value=DAY - 1),
)
# The same instant may be handed over in any zone; the tallies count UTC days.
ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)


@dataclass
class Sent:
    person: int
    version: Version
    department: str | None
    delivered_at: datetime
    # (correct, answered_at, link the answer by delivery id only)
    answer: tuple[bool, datetime, bool] | None
    # When, in the order of events, the send is marked failed.
    failed_at: datetime | None


@dataclass
class History:
    sent: list[Sent]
    # After each event, in order: keep adding to this flush, flush, commit or roll back.
    boundaries: list[str]
    events: list[tuple[datetime, int, int]] = field(default_factory=list)


def at(day: int, seconds: int, microsecond: int = 0) -> datetime:
    return datetime.combine(START + timedelta(days=day), time(), UTC) + timedelta(
        seconds=seconds, microseconds=microsecond
    )


@st.composite
def histories(draw: st.DrawFn, *, answered_may_fail: bool) -> History:
    homes = {person: draw(st.sampled_from(DEPARTMENTS)) for person in PERSONS}
    sent: list[Sent] = []
    for index in range(draw(st.integers(min_value=1, max_value=16))):
        person = draw(st.sampled_from(PERSONS))
        # People sometimes move: the delivery keeps the department of its moment.
        moved = draw(st.booleans()) and draw(st.booleans())
        department = draw(st.sampled_from(DEPARTMENTS)) if moved else homes[person]
        zone = draw(ZONES)
        delivered_at = at(
            draw(st.integers(min_value=0, max_value=9)),
            draw(TIMES),
            draw(st.sampled_from([0, 999_999])),
        )
        answer = None
        # The first delivery of a history where answered sends fail is always both.
        must_fail = answered_may_fail and index == 0
        if must_fail or draw(st.booleans()):
            answered_at = max(
                delivered_at,
                at(
                    (delivered_at - at(0, 0)).days + draw(st.integers(min_value=0, max_value=3)),
                    draw(TIMES),
                ),
            )
            answer = (draw(st.booleans()), answered_at.astimezone(draw(ZONES)), draw(st.booleans()))
        failed_at = None
        if must_fail or ((answer is None or answered_may_fail) and draw(st.integers(0, 3)) == 0):
            failed_at = delivered_at + timedelta(seconds=draw(st.integers(1, 3 * DAY)))
        sent.append(
            Sent(
                person,
                draw(st.sampled_from(VERSIONS)),
                department,
                delivered_at.astimezone(zone),
                answer,
                failed_at,
            )
        )
    events: list[tuple[datetime, int, int]] = []
    for index, item in enumerate(sent):
        events.append((item.delivered_at, 0, index))
        if item.answer is not None:
            events.append((item.answer[1], 2, index))
        if item.failed_at is not None:
            events.append((item.failed_at, 1, index))
    if draw(st.booleans()):
        events.sort()  # as the app writes them, in the order things happen
    else:
        # Out of order, as a late import might write them: only a delivery comes before
        # its answer and its failure.
        events = in_causal_order(draw(st.permutations(events)))
    steps = st.sampled_from(["same", "same", "flush", "commit", "commit", "rollback"])
    boundaries = draw(st.lists(steps, min_size=len(events), max_size=len(events)))
    return History(sent, boundaries, events)


def in_causal_order(events: list[tuple[datetime, int, int]]) -> list[tuple[datetime, int, int]]:
    """The events in the given order, except that each waits for its delivery."""
    ordered: list[tuple[datetime, int, int]] = []
    waiting: dict[int, list[tuple[datetime, int, int]]] = defaultdict(list)
    for event in events:
        _when, kind, index = event
        if kind == 0:
            ordered.append(event)
            ordered.extend(waiting.pop(index, []))
        elif any(k == 0 and i == index for _w, k, i in ordered):
            ordered.append(event)
        else:
            waiting[index].append(event)
    return ordered


def play(engine: Engine, history: History) -> None:
    """Write the history through sessions, one per transaction, as the app does."""
    factory = make_session_factory(engine)
    ids: dict[int, int] = {}  # committed deliveries
    pending: dict[int, Delivery] = {}  # deliveries added in the open transaction
    session = factory()

    def end(commit: bool) -> Session:
        if commit:
            session.commit()
            ids.update({index: delivery.id for index, delivery in pending.items()})
        else:
            session.rollback()  # what the transaction added is gone, and so are its events
        pending.clear()
        session.close()
        return factory()

    try:
        for (_when, kind, index), boundary in zip(history.events, history.boundaries, strict=True):
            item = history.sent[index]
            if kind == 0:
                pending[index] = new_delivery(
                    item.person, item.version, item.department, item.delivered_at
                )
                session.add(pending[index])
            elif kind == 1:
                if index in pending:  # a send fails in a later transaction than its delivery
                    session = end(commit=True)
                if index in ids:
                    with session.no_autoflush:
                        delivery = session.get_one(Delivery, ids[index])
                    delivery.send_error = "channel_not_found"
            elif item.answer is not None and (index in pending or index in ids):
                correct, answered_at, by_id = item.answer
                link: Delivery | int
                if index in pending:
                    link = pending[index]
                elif by_id:
                    link = ids[index]
                else:
                    with session.no_autoflush:
                        link = session.get_one(Delivery, ids[index])
                session.add(
                    new_answer(
                        link,
                        person=item.person,
                        version=item.version,
                        department=item.department,
                        correct=correct,
                        delivered_at=item.delivered_at,
                        at=answered_at,
                    )
                )
            if boundary == "flush":
                session.flush()
            elif boundary in ("commit", "rollback"):
                session = end(commit=boundary == "commit")
        session = end(commit=True)
    finally:
        session.close()


def answered_and_failed(engine: Engine) -> int:
    with engine.connect() as connection:
        return (
            connection.scalar(
                select(func.count())
                .select_from(Delivery)
                .join(Answer, Answer.delivery_id == Delivery.id)
                .where(Delivery.send_error.is_not(None))
            )
            or 0
        )


SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(history=histories(answered_may_fail=False))
def test_running_tallies_equal_a_rebuild_from_the_raw_rows(db: Engine, history: History) -> None:
    wipe_evidence(db)
    play(db, history)
    kept, rebuilt = kept_and_rebuilt(db)
    assert kept == rebuilt
    assert rebuilt == modelled(db)


@settings(SETTINGS, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(history=histories(answered_may_fail=True))
def test_running_tallies_equal_a_rebuild_when_answered_sends_fail(
    db: Engine, history: History
) -> None:
    wipe_evidence(db)
    play(db, history)
    assume(answered_and_failed(db) > 0)
    kept, rebuilt = kept_and_rebuilt(db)
    assert rebuilt == modelled(db)
    assert kept == rebuilt


# ---------------------------------------------------------------------------------------
# A tiny history, by hand.

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


def answer_it(engine: Engine, delivery_id: int, *, correct: bool, when: datetime) -> None:
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


def test_a_tiny_history_gives_the_tallies_worked_out_by_hand(db: Engine) -> None:
    # Person 1 in Production is asked QP-01 on day 1 and day 3, and answers the day-1
    # question on day 4, correctly; person 2, also in Production, is asked on day 3 only.
    first = deliver(db, 1, "Production", moment(D1, 8))
    deliver(db, 1, "Production", moment(D3, 23, 59, 59))
    deliver(db, 2, "Production", moment(D3, 0))
    answer_it(db, first, correct=True, when=moment(D4, 0, 0, 30))

    assert tallies_of(db) == {
        "daily_tally": {
            # Procedure rows by the day the question was sent...
            (PROCEDURE, D1, "Production", "QP-01"): (1, 1, 1),
            (PROCEDURE, D3, "Production", "QP-01"): (2, 0, 0),
            # ...clause rows by the day it was answered.
            (CLAUSE, D4, "Production", C72): (1, 1, 1),
            (CLAUSE, D4, "Production", C85): (1, 1, 1),
        },
        "reach": {
            # Last asked on day 3; last answered question was the one sent on day 1.
            (PROCEDURE, "Production", "QP-01", 1): (D3, D1),
            (PROCEDURE, "Production", "QP-01", 2): (D3, None),
            (DEPARTMENT, "Production", "", 1): (D3, D1),
            (DEPARTMENT, "Production", "", 2): (D3, None),
            (CLAUSE, "Production", C72, 1): (D4, D4),
            (CLAUSE, "Production", C85, 1): (D4, D4),
        },
        "reach_day": {
            (PROCEDURE, D1, "Production", "QP-01"): (0, 1),
            (PROCEDURE, D3, "Production", "QP-01"): (2, 0),
            (DEPARTMENT, D1, "Production", ""): (0, 1),
            (DEPARTMENT, D3, "Production", ""): (2, 0),
            (CLAUSE, D4, "Production", C72): (1, 1),
            (CLAUSE, D4, "Production", C85): (1, 1),
        },
    }
    kept, rebuilt = kept_and_rebuilt(db)
    assert kept == rebuilt


def test_a_wrong_answer_with_no_department_counts_as_unassigned(db: Engine) -> None:
    # Sent a minute before midnight UTC, answered a minute after: two different days.
    sent = deliver(db, 3, None, moment(D2, 23, 59), VERSIONS[3])
    answer_it(db, sent, correct=False, when=moment(D3, 0, 1))

    assert tallies_of(db) == {
        "daily_tally": {
            (PROCEDURE, D2, UNASSIGNED, "EP-03"): (1, 1, 0),
            (CLAUSE, D3, UNASSIGNED, E81): (1, 1, 0),
            (CLAUSE, D3, UNASSIGNED, C72): (1, 1, 0),
        },
        "reach": {
            (PROCEDURE, UNASSIGNED, "EP-03", 3): (D2, D2),
            (DEPARTMENT, UNASSIGNED, "", 3): (D2, D2),
            (CLAUSE, UNASSIGNED, E81, 3): (D3, D3),
            (CLAUSE, UNASSIGNED, C72, 3): (D3, D3),
        },
        "reach_day": {
            (PROCEDURE, D2, UNASSIGNED, "EP-03"): (1, 1),
            (DEPARTMENT, D2, UNASSIGNED, ""): (1, 1),
            (CLAUSE, D3, UNASSIGNED, E81): (1, 1),
            (CLAUSE, D3, UNASSIGNED, C72): (1, 1),
        },
    }


# ---------------------------------------------------------------------------------------
# A send that fails after the fact.


def test_a_failed_send_is_taken_back_and_reach_falls_back(db: Engine) -> None:
    first = deliver(db, 1, "Production", moment(D1, 9))
    second = deliver(db, 1, "Production", moment(D3, 9))
    deliver(db, 2, "Production", moment(D3, 10))
    before = tallies_of(db)
    assert before["daily_tally"][(PROCEDURE, D3, "Production", "QP-01")] == (2, 0, 0)
    assert before["reach"][(PROCEDURE, "Production", "QP-01", 1)] == (D3, None)
    assert before["reach_day"][(PROCEDURE, D3, "Production", "QP-01")] == (2, 0)

    mark_failed(db, second)

    after = tallies_of(db)
    assert after["daily_tally"] == {
        (PROCEDURE, D1, "Production", "QP-01"): (1, 0, 0),
        (PROCEDURE, D3, "Production", "QP-01"): (1, 0, 0),
    }
    assert after["reach"] == {
        # Person 1 falls back to their day-1 delivery; person 2 is untouched.
        (PROCEDURE, "Production", "QP-01", 1): (D1, None),
        (PROCEDURE, "Production", "QP-01", 2): (D3, None),
        (DEPARTMENT, "Production", "", 1): (D1, None),
        (DEPARTMENT, "Production", "", 2): (D3, None),
    }
    assert after["reach_day"] == {
        (PROCEDURE, D1, "Production", "QP-01"): (1, 0),
        (PROCEDURE, D3, "Production", "QP-01"): (1, 0),
        (DEPARTMENT, D1, "Production", ""): (1, 0),
        (DEPARTMENT, D3, "Production", ""): (1, 0),
    }
    kept, rebuilt = kept_and_rebuilt(db)
    assert kept == rebuilt

    # Marked failed again, with another reason: nothing is taken back twice.
    mark_failed(db, second, "rate_limited")
    assert tallies_of(db) == after

    # With no delivery left that counts, person 1's reach rows keep no days at all.
    mark_failed(db, first)
    with db.connect() as connection:
        days = connection.execute(
            select(Reach.kind, Reach.last_sent_on, Reach.last_answered_on)
            .where(Reach.person_id == 1)
            .order_by(Reach.kind)
        ).all()
    assert days == [(DEPARTMENT, None, None), (PROCEDURE, None, None)]
    assert tallies_of(db) == {
        "daily_tally": {(PROCEDURE, D3, "Production", "QP-01"): (1, 0, 0)},
        "reach": {
            (PROCEDURE, "Production", "QP-01", 2): (D3, None),
            (DEPARTMENT, "Production", "", 2): (D3, None),
        },
        "reach_day": {
            (PROCEDURE, D3, "Production", "QP-01"): (1, 0),
            (DEPARTMENT, D3, "Production", ""): (1, 0),
        },
    }
    kept, rebuilt = kept_and_rebuilt(db)
    assert kept == rebuilt


def test_an_answered_send_that_fails_gives_back_its_answered_day(db: Engine) -> None:
    # Person 1 answers the questions sent on day 1 and day 3; the day-3 send then turns
    # out to have failed. Their last answered day falls back to day 1. (Only the reach
    # tables are checked here: the daily tally trips over the bug tested below.)
    first = deliver(db, 1, "Warehouse", moment(D1, 9))
    answer_it(db, first, correct=True, when=moment(D1, 10))
    second = deliver(db, 1, "Warehouse", moment(D3, 9))
    answer_it(db, second, correct=False, when=moment(D3, 10))
    assert tallies_of(db)["reach"][(PROCEDURE, "Warehouse", "QP-01", 1)] == (D3, D3)

    mark_failed(db, second)

    kept, rebuilt = kept_and_rebuilt(db)
    for table in ("reach", "reach_day"):
        assert kept[table] == rebuilt[table]
    assert kept["reach"][(PROCEDURE, "Warehouse", "QP-01", 1)] == (D1, D1)
    assert kept["reach"][(DEPARTMENT, "Warehouse", "", 1)] == (D1, D1)
    assert kept["reach_day"][(PROCEDURE, D1, "Warehouse", "QP-01")] == (1, 1)
    assert (PROCEDURE, D3, "Warehouse", "QP-01") not in kept["reach_day"]
    # Clause tallies count answers, whatever became of the send.
    assert kept["daily_tally"][(CLAUSE, D3, "Warehouse", C85)] == (1, 1, 0)


def test_an_answered_delivery_marked_failed_no_longer_counts_its_answer(db: Engine) -> None:
    sent = deliver(db, 1, "Production", moment(D1, 9))
    answer_it(db, sent, correct=True, when=moment(D2, 9))
    mark_failed(db, sent)

    kept, rebuilt = kept_and_rebuilt(db)
    # What rebuild, and storage.queries' raw summary, say: a failed send counts nothing.
    assert (PROCEDURE, D1, "Production", "QP-01") not in rebuilt["daily_tally"]
    # The listener leaves (deliveries, answers, correct) == (0, 1, 1) behind.
    assert kept["daily_tally"] == rebuilt["daily_tally"]


def test_an_answer_to_a_failed_delivery_is_not_counted(db: Engine) -> None:
    sent = deliver(db, 1, "Production", moment(D1, 9))
    mark_failed(db, sent)
    answer_it(db, sent, correct=False, when=moment(D1, 9, 5))

    kept, rebuilt = kept_and_rebuilt(db)
    assert (PROCEDURE, D1, "Production", "QP-01") not in rebuilt["daily_tally"]
    # The listener counts (0, 1, 0) and raises the reach rows' answered day to day 1.
    assert kept == rebuilt


def test_a_delivery_failed_again_after_its_row_expired_is_taken_back_once(db: Engine) -> None:
    sent = deliver(db, 1, "Production", moment(D1, 9))
    deliver(db, 2, "Production", moment(D1, 10))
    with default_sessions(db)() as session:  # everything expires on commit
        delivery = session.get_one(Delivery, sent)
        delivery.send_error = "channel_not_found"
        session.commit()
        delivery.send_error = "rate_limited"  # set without loading the expired old value
        session.commit()

    kept, rebuilt = kept_and_rebuilt(db)
    assert rebuilt["daily_tally"] == {(PROCEDURE, D1, "Production", "QP-01"): (1, 0, 0)}
    # The listener decrements twice: (0, 0, 0).
    assert kept == rebuilt


def test_a_delivery_no_longer_failed_counts_again_even_if_its_row_expired(db: Engine) -> None:
    sent = deliver(db, 1, "Production", moment(D1, 9))
    mark_failed(db, sent)
    with default_sessions(db)() as session:
        delivery = session.get_one(Delivery, sent)
        session.expire(delivery)
        delivery.send_error = None
        session.commit()

    kept, rebuilt = kept_and_rebuilt(db)
    assert rebuilt["daily_tally"] == {(PROCEDURE, D1, "Production", "QP-01"): (1, 0, 0)}
    assert kept == rebuilt


def test_a_delivery_no_longer_failed_counts_again(db: Engine) -> None:
    # The same, with the row loaded as QuizService loads it: this works.
    first = deliver(db, 1, "Production", moment(D1, 9))
    sent = deliver(db, 1, "Production", moment(D2, 9))
    mark_failed(db, sent)
    assert tallies_of(db)["reach"][(PROCEDURE, "Production", "QP-01", 1)] == (D1, None)
    with make_session_factory(db)() as session:
        session.get_one(Delivery, sent).send_error = None
        session.commit()
    answer_it(db, first, correct=True, when=moment(D2, 12))

    kept, rebuilt = kept_and_rebuilt(db)
    assert kept == rebuilt
    assert kept["daily_tally"][(PROCEDURE, D2, "Production", "QP-01")] == (1, 0, 0)
    assert kept["reach"][(PROCEDURE, "Production", "QP-01", 1)] == (D2, D1)


def test_answers_from_one_person_at_the_same_moment_are_tallied_once_each(db: Engine) -> None:
    """Two transactions raising the same person's reach rows at once must not both count them.

    Each answer is on its own day, so no daily tally row is shared and only the reach rows
    make the transactions meet.
    """
    days = (D1, D2, D3, D4)
    deliveries = [deliver(db, 1, "Production", moment(day, 9)) for day in days]
    start = threading.Barrier(len(deliveries))
    errors: list[BaseException] = []

    def answer(delivery_id: int, day: date) -> None:
        start.wait()
        try:
            answer_it(db, delivery_id, correct=True, when=moment(day, 10))
        except BaseException as error:
            errors.append(error)

    pairs = zip(deliveries, days, strict=True)
    threads = [threading.Thread(target=answer, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    kept, rebuilt = kept_and_rebuilt(db)
    assert kept == rebuilt
    assert kept["reach_day"][("procedure", D4, "Production", "QP-01")] == (1, 1)


def test_differences_finds_a_damaged_tally_and_changes_nothing(db: Engine) -> None:
    delivery = deliver(db, 1, "Production", moment(D1, 9))
    answer_it(db, delivery, correct=True, when=moment(D2, 9))
    with db.begin() as connection:
        assert differences(connection) == []
        connection.execute(
            update(DailyTally).where(DailyTally.kind == "procedure").values(correct=5)
        )
    with db.begin() as connection:
        found = differences(connection)
        kept = connection.scalar(select(DailyTally.correct).where(DailyTally.kind == "procedure"))
    assert found == [
        f"daily_tally ('procedure', {D1!r}, 'Production', 'QP-01'): "
        "kept (1, 1, 5), from the answers (1, 1, 1)"
    ]
    assert kept == 5  # checking rebuilt only inside a savepoint it rolled back
