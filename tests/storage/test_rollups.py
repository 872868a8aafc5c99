"""The running tallies kept by `storage.rollups` agree with what `rebuild` makes of the raw rows.

Every history here is written through ORM sessions from `make_session_factory`, the way the
app writes deliveries and answers, so the flush listener is what keeps the tallies; `rebuild`
then recomputes them from the same rows, inside a transaction that is rolled back, and the
two must agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, timezone

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage.db import make_session_factory
from storage.models import (
    Answer,
    Delivery,
)
from storage.rollups import UNASSIGNED
from storage.tallies import CLAUSE, DEPARTMENT, PROCEDURE, REVISION
from tests.storage.tally_world import (
    C72,
    C85,
    D1,
    D2,
    D3,
    D4,
    DEPARTMENTS,
    E81,
    PERSONS,
    START,
    VERSIONS,
    Version,
    answer_it,
    deliver,
    kept_and_rebuilt,
    mark_failed,
    modelled,
    moment,
    new_answer,
    new_delivery,
    tallies_of,
    wipe_evidence,
)

# ---------------------------------------------------------------------------------------
# Random histories.

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
    # (correct, answered_at, link the answer by delivery id only, procedure revision)
    answer: tuple[bool, datetime, bool, str] | None
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
            answer = (
                draw(st.booleans()),
                answered_at.astimezone(draw(ZONES)),
                draw(st.booleans()),
                # Answers to one procedure under two revisions, as when it is revised mid-way.
                draw(st.sampled_from(["3", "4"])),
            )
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
                correct, answered_at, by_id, revision = item.answer
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
                        revision=revision,
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
            # Revision rows count its answers by the same day, under the revision answered.
            (REVISION, D1, "Production", "QP-01@A"): (0, 1, 1),
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
            (REVISION, D2, UNASSIGNED, "EP-03@A"): (0, 1, 0),
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


def test_answers_under_two_revisions_count_in_separate_revision_rows(db: Engine) -> None:
    # QP-01 answered right under revision 3, then once wrong and once right under 4; the
    # last send then fails, so its answer counts in neither its procedure nor revision row.
    first = deliver(db, 1, "Production", moment(D1, 8))
    answer_it(db, first, correct=True, when=moment(D1, 9), revision="3")
    second = deliver(db, 2, "Production", moment(D1, 10))
    answer_it(db, second, correct=False, when=moment(D2, 9), revision="4")
    third = deliver(db, 1, "Production", moment(D2, 8))
    answer_it(db, third, correct=True, when=moment(D2, 9), revision="4")
    daily = tallies_of(db)["daily_tally"]
    assert daily[(REVISION, D2, "Production", "QP-01@4")] == (0, 1, 1)
    mark_failed(db, third)

    daily = tallies_of(db)["daily_tally"]
    revisions = {key: counts for key, counts in daily.items() if key[0] == REVISION}
    assert revisions == {
        (REVISION, D1, "Production", "QP-01@3"): (0, 1, 1),
        (REVISION, D1, "Production", "QP-01@4"): (0, 1, 0),
    }
    assert daily[(PROCEDURE, D1, "Production", "QP-01")] == (2, 2, 1)
    kept, rebuilt = kept_and_rebuilt(db)
    assert kept == rebuilt == modelled(db)
