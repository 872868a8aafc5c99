from __future__ import annotations

import threading
from collections import Counter

import pytest

from bot.slack.rounds.fanout import (
    Outcome,
    Pacer,
    Permanent,
    RateLimited,
    Transient,
    default_backoff,
    fan_out,
)


class VirtualClock:
    """Time that only moves when someone sleeps; for single-threaded, exact timelines."""

    def __init__(self, start: float = 100.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class StillClock:
    """Time that never moves, so each sleep asked for equals the slot's offset from zero."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return 0.0

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)


def unpaced() -> Pacer:
    clock = StillClock()
    return Pacer(60_000, clock=clock, sleep=clock.sleep)


def no_sleep(seconds: float) -> None:
    pass


# --- Pacer -------------------------------------------------------------------------------------


def test_pacer_spaces_acquires_one_interval_apart() -> None:
    clock = VirtualClock(start=100.0)
    pacer = Pacer(600, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(5):
        pacer.acquire()
        times.append(clock())
    assert times == pytest.approx([100.0, 100.1, 100.2, 100.3, 100.4])


def test_pacer_gives_no_burst_after_an_idle_spell() -> None:
    clock = VirtualClock(start=100.0)
    pacer = Pacer(600, clock=clock, sleep=clock.sleep)
    pacer.acquire()
    clock.now = 200.0
    pacer.acquire()
    first = clock()
    pacer.acquire()
    assert (first, clock()) == pytest.approx((200.0, 200.1))


def test_pacer_hold_pushes_everyone_back_and_never_shortens() -> None:
    clock = VirtualClock(start=100.0)
    pacer = Pacer(600, clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.hold(5)
    pacer.hold(1)
    pacer.acquire()
    after_hold = clock()
    pacer.acquire()
    assert (after_hold, clock()) == pytest.approx((105.0, 105.1))


def test_pacer_slot_taken_before_a_hold_waits_out_the_hold() -> None:
    clock = VirtualClock(start=100.0)

    def sleep_while_another_worker_hits_429(seconds: float) -> None:
        clock.sleep(seconds)
        if len(clock.sleeps) == 1:
            pacer.hold(30)

    pacer = Pacer(600, clock=clock, sleep=sleep_while_another_worker_hits_429)
    pacer.acquire()
    pacer.acquire()
    # The slot at 100.1 fell inside the hold that began at 100.1, so the call waits for 130.1.
    assert clock() == pytest.approx(130.1)


def test_pacer_concurrent_acquires_never_share_a_slot() -> None:
    clock = StillClock()
    pacer = Pacer(600, clock=clock, sleep=clock.sleep)
    threads, per_thread = 8, 25
    start = threading.Barrier(threads)

    def worker() -> None:
        start.wait()
        for _ in range(per_thread):
            pacer.acquire()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    # Slot 0 needs no sleep; every other slot is one distinct multiple of 0.1 s.
    expected = [0.1 * n for n in range(1, threads * per_thread)]
    assert sorted(clock.sleeps) == pytest.approx(expected)


@pytest.mark.parametrize("per_minute", [0, -5, float("nan"), float("inf")])
def test_pacer_rejects_a_rate_that_is_not_positive(per_minute: float) -> None:
    with pytest.raises(ValueError, match="per_minute must be a positive number"):
        Pacer(per_minute)


# --- default_backoff ---------------------------------------------------------------------------


def test_default_backoff_doubles_from_half_a_second_with_small_jitter() -> None:
    for attempt, base in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0)]:
        wait = default_backoff(attempt)
        assert base <= wait <= base * 1.1


def test_default_backoff_is_capped_at_thirty_seconds() -> None:
    assert default_backoff(7) >= 30.0 * 0.99
    assert all(default_backoff(n) <= 30.0 for n in (7, 20, 1_000_000))


# --- fan_out -----------------------------------------------------------------------------------


def test_every_item_is_sent_exactly_once_on_success() -> None:
    items = [f"U{n:04}" for n in range(500)]
    sent: Counter[str] = Counter()
    lock = threading.Lock()

    def send(item: str) -> None:
        with lock:
            sent[item] += 1

    outcomes = fan_out(items, send, pacer=unpaced(), workers=8)
    assert sent == Counter(items)
    assert all(o.ok and o.error is None and o.attempts == 1 for o in outcomes)


def test_rate_limited_item_is_retried_after_the_hold_and_everyone_waits() -> None:
    clock = VirtualClock(start=0.0)
    pacer = Pacer(600, clock=clock, sleep=clock.sleep)
    calls: list[tuple[str, float]] = []

    def send(item: str) -> None:
        calls.append((item, clock()))
        if item == "b" and len(calls) == 2:
            raise RateLimited(30)

    outcomes = fan_out(["a", "b", "c"], send, pacer=pacer, workers=1)
    assert [item for item, _ in calls] == ["a", "b", "b", "c"]
    assert [at for _, at in calls] == pytest.approx([0.0, 0.1, 30.1, 30.2])
    assert outcomes[1] == Outcome(item="b", ok=True, error=None, attempts=2)


def test_rate_limits_do_not_count_toward_max_attempts() -> None:
    script = [RateLimited(1), Transient("503"), RateLimited(1)]

    def send(item: str) -> None:
        if script:
            raise script.pop(0)

    outcomes = fan_out(["a"], send, pacer=unpaced(), max_attempts=2, sleep=no_sleep)
    assert outcomes == [Outcome(item="a", ok=True, error=None, attempts=4)]


def test_endless_rate_limits_give_up_after_the_retry_cap() -> None:
    clock = VirtualClock(start=0.0)
    pacer = Pacer(600, clock=clock, sleep=clock.sleep)
    calls: list[float] = []

    def send(item: str) -> None:
        calls.append(clock())
        raise RateLimited(1)

    outcomes = fan_out(["a"], send, pacer=pacer, max_rate_limit_retries=2)
    assert calls == pytest.approx([0.0, 1.0, 2.0])
    assert outcomes == [
        Outcome(item="a", ok=False, error="gave_up: rate_limited 3 times", attempts=3)
    ]


def test_transient_failure_is_retried_with_backoff_then_succeeds() -> None:
    failures = {"flaky": 2}
    slept: list[float] = []

    def send(item: str) -> None:
        if failures.get(item, 0) > 0:
            failures[item] -= 1
            raise Transient("503")

    outcomes = fan_out(
        ["steady", "flaky"],
        send,
        pacer=unpaced(),
        backoff=lambda attempt: 10.0 * attempt,
        sleep=slept.append,
    )
    assert slept == [10.0, 20.0]
    assert outcomes == [
        Outcome(item="steady", ok=True, error=None, attempts=1),
        Outcome(item="flaky", ok=True, error=None, attempts=3),
    ]


def test_endless_transient_failure_gives_up_after_max_attempts() -> None:
    slept: list[float] = []

    def send(item: str) -> None:
        raise Transient("timeout")

    outcomes = fan_out(
        ["a"],
        send,
        pacer=unpaced(),
        max_attempts=3,
        backoff=lambda attempt: 10.0 * attempt,
        sleep=slept.append,
    )
    assert slept == [10.0, 20.0]
    assert outcomes == [Outcome(item="a", ok=False, error="gave_up: timeout", attempts=3)]


def test_permanent_failure_is_recorded_and_other_items_are_unaffected() -> None:
    def send(item: str) -> None:
        if item == "gone":
            raise Permanent("user_not_found")

    outcomes = fan_out(["a", "gone", "b"], send, pacer=unpaced(), sleep=no_sleep)
    assert outcomes == [
        Outcome(item="a", ok=True, error=None, attempts=1),
        Outcome(item="gone", ok=False, error="user_not_found", attempts=1),
        Outcome(item="b", ok=True, error=None, attempts=1),
    ]


def test_unexpected_exception_is_isolated_and_named(caplog: pytest.LogCaptureFixture) -> None:
    def send(item: str) -> None:
        if item == "odd":
            raise KeyError("channel")

    outcomes = fan_out(["a", "odd", "b"], send, pacer=unpaced(), sleep=no_sleep)
    assert [o.ok for o in outcomes] == [True, False, True]
    assert outcomes[1] == Outcome(item="odd", ok=False, error="KeyError", attempts=1)
    assert "unexpected error sending 'odd'" in caplog.text


def test_on_outcome_sees_each_item_as_it_finishes_and_results_keep_input_order() -> None:
    items = [0, 1, 2, 3]
    reported = {item: threading.Event() for item in items}
    seen: list[int] = []

    def send(item: int) -> None:
        # Force completion in reverse order: each item waits until the next one was reported.
        if item + 1 in reported:
            assert reported[item + 1].wait(timeout=5)

    def on_outcome(outcome: Outcome[int]) -> None:
        seen.append(outcome.item)
        reported[outcome.item].set()

    outcomes = fan_out(items, send, pacer=unpaced(), workers=4, on_outcome=on_outcome)
    assert seen == [3, 2, 1, 0]
    assert [o.item for o in outcomes] == items
    assert all(o.ok for o in outcomes)


def test_on_outcome_is_called_once_per_item_whatever_the_result() -> None:
    def send(item: str) -> None:
        if item.startswith("bad"):
            raise Permanent("account_inactive")
        if item.startswith("slow"):
            raise Transient("502")

    seen: Counter[str] = Counter()
    items = ["ok1", "bad1", "slow1", "ok2", "bad2"]
    outcomes = fan_out(
        items, send, pacer=unpaced(), sleep=no_sleep, on_outcome=lambda o: seen.update([o.item])
    )
    assert [o.ok for o in outcomes] == [True, False, False, True, False]
    assert seen == Counter(items)


def test_an_error_in_on_outcome_propagates() -> None:
    def broken_progress(outcome: Outcome[str]) -> None:
        raise RuntimeError("progress bar broke")

    with pytest.raises(RuntimeError, match="progress bar broke"):
        fan_out(["a", "b"], lambda item: None, pacer=unpaced(), on_outcome=broken_progress)


def test_no_items_means_no_outcomes() -> None:
    assert fan_out([], lambda item: None, pacer=unpaced()) == []


@pytest.mark.parametrize(
    ("workers", "max_attempts", "max_rate_limit_retries", "message"),
    [
        (0, 5, 20, "workers must be at least 1"),
        (8, 0, 20, "max_attempts must be at least 1"),
        (8, 5, -1, "max_rate_limit_retries must be 0 or more"),
    ],
)
def test_fan_out_rejects_nonsense_limits(
    workers: int, max_attempts: int, max_rate_limit_retries: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        fan_out(
            ["a"],
            lambda item: None,
            pacer=unpaced(),
            workers=workers,
            max_attempts=max_attempts,
            max_rate_limit_retries=max_rate_limit_retries,
        )
