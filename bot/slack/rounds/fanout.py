"""Sending one thing to many people at once, within Slack's rate limits.

The engine knows nothing of Slack payloads or the database. It takes items and a `send` callable;
`send` reports how an attempt went by raising `RateLimited`, `Transient` or `Permanent` (or by
returning normally on success). Every item ends as one `Outcome`, and no single person's failure
stops the round.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

_BACKOFF_FIRST = 0.5
_BACKOFF_CAP = 30.0


class RateLimited(Exception):
    """Slack answered 429: wait `retry_after` seconds, then retry the same item."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after} s")
        self.retry_after = retry_after


class Transient(Exception):
    """A failure worth retrying with backoff: 5xx, a timeout, a reset connection."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Permanent(Exception):
    """A failure retrying won't fix for this item (user_not_found, account_inactive, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """How one item ended.

    `error` is None when ok, the `Permanent` reason, the exception class name for an unexpected
    error, or "gave_up: <last reason>" once retries ran out. `attempts` counts every call to
    `send` for the item, rate-limited ones included.
    """

    item: T
    ok: bool
    error: str | None
    attempts: int


class Pacer:
    """Spaces calls evenly at `per_minute` across all threads and lets a 429 hold everyone.

    Callers take evenly spaced slots, `60 / per_minute` seconds apart, from one "next free slot"
    timestamp guarded by a lock, then sleep outside the lock until their slot. Workers therefore
    overlap their network latency while the start times stay exactly `per_minute` apart.

    There is deliberately no burst allowance, not even after an idle spell: with strictly even
    spacing, no 60-second window ever holds more than `per_minute` calls, so a server-side sliding
    window of `per_minute` per minute is never exceeded. The spacing governs when calls *leave*;
    network jitter can bunch their arrivals a little, so set `per_minute` somewhat below the real
    limit.
    """

    def __init__(
        self,
        per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not per_minute > 0 or math.isinf(per_minute):
            raise ValueError(f"Pacer: per_minute must be a positive number, got {per_minute!r}")
        self._interval = 60.0 / per_minute
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot = -math.inf
        self._hold_until = -math.inf

    def acquire(self) -> None:
        """Block until this caller may make one call."""
        while True:
            with self._lock:
                slot = max(self._next_slot, self._clock(), self._hold_until)
                self._next_slot = slot + self._interval
            delay = slot - self._clock()
            if delay > 0:
                self._sleep(delay)
            with self._lock:
                # A 429 seen by another worker while we slept invalidates a slot inside the hold:
                # calling now would only earn another 429, so queue again behind the hold.
                if slot >= self._hold_until:
                    return

    def hold(self, seconds: float) -> None:
        """Let nobody call before now + `seconds`; extends an existing hold, never shortens it."""
        with self._lock:
            self._hold_until = max(self._hold_until, self._clock() + max(seconds, 0.0))


def default_backoff(attempt: int) -> float:
    """Seconds to wait after the `attempt`-th transient failure: 0.5, 1, 2, 4 ... up to 30."""
    base = _BACKOFF_FIRST * 2.0 ** min(max(attempt, 1) - 1, 16)
    # Up to 10% jitter so workers that failed together (one 5xx burst) don't retry in lockstep.
    return min(_BACKOFF_CAP, base + random.uniform(0.0, base / 10))


def fan_out(
    items: Sequence[T],
    send: Callable[[T], None],
    *,
    pacer: Pacer,
    workers: int = 8,
    max_attempts: int = 5,
    max_rate_limit_retries: int = 20,
    backoff: Callable[[int], float] = default_backoff,
    sleep: Callable[[float], None] = time.sleep,
    on_outcome: Callable[[Outcome[T]], None] | None = None,
) -> list[Outcome[T]]:
    """Call `send` once per item on `workers` threads, paced and retried; outcomes in input order.

    Before each attempt the worker waits on `pacer`. `RateLimited` holds the pacer for everyone
    and retries the item without counting toward `max_attempts` (but at most
    `max_rate_limit_retries` times). `Transient` sleeps `backoff(n)` after the n-th failure and
    retries, up to `max_attempts` attempts in all. `Permanent`, and any other exception, ends the
    item as a failure without disturbing the rest of the round.

    `on_outcome` runs on the calling thread, once per item as each one finishes, so it may update
    a progress bar without locking. If it raises, items not yet started are cancelled and the
    error propagates.
    """
    if workers < 1:
        raise ValueError(f"fan_out: workers must be at least 1, got {workers}")
    if max_attempts < 1:
        raise ValueError(f"fan_out: max_attempts must be at least 1, got {max_attempts}")
    if max_rate_limit_retries < 0:
        raise ValueError(
            f"fan_out: max_rate_limit_retries must be 0 or more, got {max_rate_limit_retries}"
        )

    def deliver(item: T) -> Outcome[T]:
        calls = 0
        failures = 0
        rate_limits = 0
        while True:
            pacer.acquire()
            calls += 1
            try:
                send(item)
            except RateLimited as limited:
                # The limit is workspace-wide, so every worker pauses, not just this one.
                pacer.hold(limited.retry_after)
                rate_limits += 1
                if rate_limits > max_rate_limit_retries:
                    reason = f"gave_up: rate_limited {rate_limits} times"
                    return Outcome(item=item, ok=False, error=reason, attempts=calls)
            except Transient as transient:
                failures += 1
                if failures >= max_attempts:
                    reason = f"gave_up: {transient.reason}"
                    return Outcome(item=item, ok=False, error=reason, attempts=calls)
                sleep(backoff(failures))
            except Permanent as permanent:
                return Outcome(item=item, ok=False, error=permanent.reason, attempts=calls)
            except Exception as error:
                # A bug or an unforeseen error for one person must not stop everyone else's DM.
                log.exception("unexpected error sending %r; recorded as a failure", item)
                return Outcome(item=item, ok=False, error=type(error).__name__, attempts=calls)
            else:
                return Outcome(item=item, ok=True, error=None, attempts=calls)

    if not items:
        return []
    results: list[Outcome[T] | None] = [None] * len(items)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fan-out") as executor:
        positions: dict[Future[Outcome[T]], int] = {
            executor.submit(deliver, item): index for index, item in enumerate(items)
        }
        try:
            for future in as_completed(positions):
                outcome = future.result()
                results[positions[future]] = outcome
                if on_outcome is not None:
                    on_outcome(outcome)
        except BaseException:
            for future in positions:
                future.cancel()
            raise
    finished = [outcome for outcome in results if outcome is not None]
    assert len(finished) == len(items), "every submitted item yields an outcome"
    return finished
