"""Request keys and event ids take effect once, including when two transactions race."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from storage import once
from storage.db import make_session_factory

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=10)


def test_an_event_id_is_first_once(engine: Engine) -> None:
    factory = make_session_factory(engine)
    seen = []
    for _ in range(2):
        with factory() as session:
            seen.append(once.first_delivery(session, event_id="Ev1", now=NOW))
            session.commit()
    assert seen == [True, False]


def test_a_key_repeats_within_its_window_and_is_new_after_it(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory() as session:
        first = once.claim(session, key="round:warehouse", now=NOW, window=WINDOW)
        once.remember(session, key="round:warehouse", result="7")
        session.commit()
    with factory() as session:
        again = once.claim(session, key="round:warehouse", now=NOW + WINDOW / 2, window=WINDOW)
        session.commit()
    with factory() as session:
        later = once.claim(session, key="round:warehouse", now=NOW + 2 * WINDOW, window=WINDOW)
        session.commit()
    assert (first.first, again.first, again.result, again.since) == (True, False, "7", NOW)
    assert (later.first, later.result) == (True, None)


def test_two_racing_transactions_take_a_key_once(engine: Engine) -> None:
    factory = make_session_factory(engine)
    start = threading.Barrier(2)
    firsts: list[bool] = []

    def take() -> None:
        with factory() as session:
            start.wait()
            claimed = once.claim(session, key="mock-start:V1", now=NOW, window=WINDOW)
            if claimed.first:
                once.remember(session, key="mock-start:V1", result="1")
            session.commit()
            firsts.append(claimed.first)

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(firsts) == [False, True]


def test_keys_older_than_a_moment_are_forgotten(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory() as session:
        once.first_delivery(session, event_id="Ev-old", now=NOW)
        once.claim(session, key="old", now=NOW, window=WINDOW)
        once.first_delivery(session, event_id="Ev-new", now=NOW + timedelta(days=3))
        session.commit()
    with factory() as session:
        dropped = once.forget_before(session, moment=NOW + timedelta(days=1))
        session.commit()
    with factory() as session:
        assert once.first_delivery(session, event_id="Ev-old", now=NOW) is True
        assert once.first_delivery(session, event_id="Ev-new", now=NOW) is False
    assert dropped == 2
