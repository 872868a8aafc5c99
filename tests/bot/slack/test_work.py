"""The backlog: bounded, and identical work asked for together computed once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from bot.slack.work import Backlog, ListenerPool, admitted


@pytest.fixture
def executor() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


def test_a_full_backlog_turns_work_away_until_a_job_finishes(executor: ThreadPoolExecutor) -> None:
    backlog, release, ran = Backlog(executor, capacity=2), threading.Event(), []

    accepted = [backlog.run(lambda n=n: (release.wait(10), ran.append(n))) for n in range(3)]
    assert accepted == [True, True, False]
    assert backlog.queued == 2

    release.set()
    executor.shutdown(wait=True)
    assert (ran, backlog.queued) == ([0, 1], 0)


def test_a_failing_job_is_logged_and_frees_its_place(
    executor: ThreadPoolExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    backlog = Backlog(executor, capacity=1)

    def fail() -> None:
        raise RuntimeError("boom")

    assert backlog.run(fail)
    executor.shutdown(wait=True)

    assert backlog.queued == 0
    assert "after-ack work failed" in caplog.text


def test_callers_arriving_while_one_computes_share_its_result() -> None:
    backlog, started, release = (
        Backlog(ThreadPoolExecutor(1), capacity=10),
        threading.Event(),
        threading.Event(),
    )
    computed, got = [], []

    def compute() -> str:
        computed.append(1)
        started.set()
        release.wait(10)
        return "report"

    leader = threading.Thread(target=backlog.shared, args=("k", compute, got.append))
    leader.start()
    assert started.wait(10)
    for _ in range(3):
        backlog.shared("k", compute, got.append)  # joins, and returns at once
    backlog.shared("other", lambda: "another", got.append)
    release.set()
    leader.join(10)

    assert computed == [1]
    results = [outcome.result() for outcome in got]
    assert sorted(results) == ["another", "report", "report", "report", "report"]

    backlog.shared("k", lambda: "fresh", got.append)  # the flight is over: computed again
    assert got[-1].result() == "fresh"


def test_a_failed_computation_reaches_every_waiter() -> None:
    backlog = Backlog(ThreadPoolExecutor(1), capacity=1)
    got: list[Future[str]] = []

    def compute() -> str:
        raise ValueError("no")

    backlog.shared("k", compute, got.append)

    (outcome,) = got
    with pytest.raises(ValueError, match="no"):
        outcome.result()


def test_listeners_start_at_once_but_only_the_admitted_go_on_after_their_ack() -> None:
    pool = ListenerPool(ThreadPoolExecutor(max_workers=4), admitted=1)
    acked, first_in, release = threading.Semaphore(0), threading.Event(), threading.Event()
    order: list[str] = []

    def listener(name: str) -> None:
        acked.release()  # the ack: reached without waiting for anyone
        admitted()
        order.append(name)
        first_in.set()
        release.wait(10)

    first = pool.submit(listener, "first")
    assert first_in.wait(10)
    second = pool.submit(listener, "second")
    assert acked.acquire(timeout=10) and acked.acquire(timeout=10)  # both acked
    assert order == ["first"]  # the second waits for the place the first holds

    release.set()
    first.result(10)
    second.result(10)
    assert order == ["first", "second"]
    pool.shutdown()


def test_admitted_does_nothing_off_a_listener_pool() -> None:
    admitted()  # a test's or a job's own thread: nothing to wait for
