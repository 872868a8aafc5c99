"""Work after the ack, kept from delaying the acks.

Bolt runs each listener on its listener executor and answers Slack once the listener calls
`ack()`; a listener that has not started yet cannot ack, and one whose thread waits for the
interpreter behind a crowd of busy threads acks late. So:

- `ListenerPool` has plenty of threads, so every listener starts at once and acks, but lets only
  a few of them at a time go on to the work after the ack (`admitted()`); the rest wait, idle,
  and the queue they form slows the replies, never the acks.
- Work that takes seconds (a summary, a manager's Home tab, a report) goes further, to the
  `Backlog`: a few workers of its own and a bounded queue. When it is full the person is told
  to try again, and identical summaries asked for together are computed once and sent to each
  person who asked.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

from slack_bolt import BoltContext

log = logging.getLogger(__name__)

T = TypeVar("T")
CONTEXT_KEY = "backlog"

# Each waiter gets the one outcome: its result, or the exception computing it raised.
Waiter = Callable[["Future[T]"], None]


class Backlog:
    """A bounded queue of after-ack jobs, run on `executor` (a few threads of their own)."""

    def __init__(self, executor: Executor, *, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self._executor = executor
        self._capacity = capacity
        self._lock = threading.Lock()
        self._queued = 0
        self._flights: dict[Hashable, list[Waiter[Any]]] = {}

    @property
    def queued(self) -> int:
        """Jobs accepted and not yet finished."""
        with self._lock:
            return self._queued

    def run(self, job: Callable[[], None]) -> bool:
        """Queue `job`; False, and nothing queued, when `capacity` jobs are waiting already."""
        with self._lock:
            if self._queued >= self._capacity:
                return False
            self._queued += 1
        try:
            self._executor.submit(self._run, job)
        except RuntimeError:  # the executor is shutting down
            self._finished()
            return False
        return True

    def _run(self, job: Callable[[], None]) -> None:
        try:
            job()
        except Exception:
            log.exception("after-ack work failed")
        finally:
            self._finished()

    def _finished(self) -> None:
        with self._lock:
            self._queued -= 1

    def shared(self, key: Hashable, compute: Callable[[], T], waiter: Waiter[T]) -> None:
        """Give `waiter` the outcome of `compute`, computed once for every caller of the same
        `key` while it runs.

        Called from a job: the first caller computes in its own worker; a caller arriving
        meanwhile only adds its waiter and returns, so it holds no worker while it waits.
        """
        with self._lock:
            joining = key in self._flights
            self._flights.setdefault(key, []).append(waiter)
        if joining:
            return
        outcome: Future[T] = Future()
        try:
            outcome.set_result(compute())
        except Exception as error:
            outcome.set_exception(error)
        finally:
            with self._lock:
                waiters = self._flights.pop(key)
        for each in waiters:
            try:
                each(outcome)
            except Exception:
                log.exception("sending shared after-ack work failed")


class ListenerPool(Executor):
    """Bolt's listener executor: a listener starts at once on one of `threads`' many threads;
    its work after the ack waits for one of `admitted` places."""

    def __init__(self, threads: Executor, *, admitted: int) -> None:
        if admitted < 1:
            raise ValueError(f"admitted must be at least 1, got {admitted}")
        self._threads = threads
        self._places = threading.BoundedSemaphore(admitted)

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return self._threads.submit(self._run, fn, *args, **kwargs)

    def _run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        _here.pool, _here.admitted = self, False
        try:
            return fn(*args, **kwargs)
        finally:
            if _here.admitted:
                self._places.release()
            _here.pool, _here.admitted = None, False

    def admit(self) -> None:
        if not _here.admitted:
            self._places.acquire()
            _here.admitted = True

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._threads.shutdown(wait=wait, cancel_futures=cancel_futures)


# Which ListenerPool (if any) runs this thread's listener, and whether it was admitted yet.
_here = threading.local()


def admitted() -> None:
    """Wait for a place to do this listener's work; call it once the ack has gone.

    Does nothing on a thread no ListenerPool runs (a test's own executor, a job)."""
    pool = getattr(_here, "pool", None)
    if isinstance(pool, ListenerPool):
        pool.admit()


def backlog_middleware(backlog: Backlog) -> Callable[..., None]:
    """Bolt middleware that hands every listener the backlog, through its context."""

    def attach(context: BoltContext, next: Callable[[], None]) -> None:
        context[CONTEXT_KEY] = backlog
        next()

    return attach


def backlog_of(context: BoltContext) -> Backlog:
    backlog = context.get(CONTEXT_KEY)
    if not isinstance(backlog, Backlog):
        raise RuntimeError("the backlog middleware is not installed")
    return backlog
