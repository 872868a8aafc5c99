"""A send that fails after the fact is taken back from the tallies, once, whatever order the
rows arrive in."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import Engine, select

from storage.db import make_session_factory
from storage.models import (
    Delivery,
)
from storage.tallies import CLAUSE, DEPARTMENT, PROCEDURE, Reach
from tests.storage.tally_world import (
    C85,
    D1,
    D2,
    D3,
    D4,
    answer_it,
    default_sessions,
    deliver,
    kept_and_rebuilt,
    mark_failed,
    moment,
    tallies_of,
)

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
