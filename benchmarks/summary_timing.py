"""Measuring: timed runs after a warm-up, peak memory, and a per-call profile of one run."""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from unittest import mock

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

import bot.services.summary.counts
import bot.services.summary.gaps
import bot.services.summary.verdicts
import storage.queries
import storage.verdicts

T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    samples: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def line(self) -> str:
        return f"min {self.best:8.3f} s   median {self.median:8.3f} s"


def measure(action: Callable[[], T], repeats: int) -> tuple[Timing, T]:
    """One warm-up run, then `repeats` timed runs."""
    result = action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        samples.append(time.perf_counter() - started)
    return Timing(tuple(samples)), result


def in_session(factory: sessionmaker[Session], action: Callable[[Session], T]) -> Callable[[], T]:
    def run() -> T:
        with factory() as session:
            return action(session)

    return run


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def traced_peaks_mb(
    first: Callable[[], object], second: Callable[[], object]
) -> tuple[float, float]:
    """tracemalloc's peak during one run of `first`, then during one run of `second`."""
    tracemalloc.start()
    first()
    first_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.reset_peak()
    second()
    second_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return first_peak, second_peak


# What the breakdown times: (module, function, label). Each call is timed from the call to its
# return, so fetching the rows and building the results counts too. Calls made inside another
# timed call are shown under it and not added to the total twice.
TIMED_CALLS = (
    (bot.services.summary.gaps, "clause_cells", "clause_cells"),
    (bot.services.summary.gaps, "past_totals", "past_totals"),
    (bot.services.summary.gaps, "procedure_cells", "procedure_cells"),
    (bot.services.summary.gaps, "_procedure_clauses", "_procedure_clauses"),
    (bot.services.summary.gaps, "silences", "silences"),
    (storage.verdicts, "read", "verdicts.read"),
    (bot.services.summary.verdicts, "refresh", "verdicts.refresh (recompute)"),
    (bot.services.summary.gaps, "_practice_flags", "_practice_flags"),
    (bot.services.summary.counts, "awareness_counts", "awareness_counts"),
    (storage.queries, "procedure_cells", "procedure_cells"),
    (storage.queries, "_department_people", "_department_people"),
    (storage.queries, "_overall", "_overall"),
)


@dataclass(frozen=True)
class Call:
    label: str
    depth: int
    seconds: float
    statements: int


@dataclass
class CallClock:
    """Times each product query function during one run, and counts its SQL statements."""

    engine: Engine
    calls: list[Call] = field(default_factory=list)
    statements: int = 0
    _depth: int = 0
    _patches: list[Any] = field(default_factory=list)

    def __enter__(self) -> CallClock:
        event.listen(self.engine, "before_cursor_execute", self._count)
        for module, name, label in TIMED_CALLS:
            patch = mock.patch.object(module, name, self._timed(getattr(module, name), label))
            patch.start()
            self._patches.append(patch)
        return self

    def __exit__(self, *_: object) -> None:
        for patch in reversed(self._patches):
            patch.stop()
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, _connection: object, _cursor: object, statement: str, *_: object) -> None:
        # SQLite's BEGIN IMMEDIATE (one per unit of work) is not one of the report's queries.
        if not statement.lstrip().upper().startswith("BEGIN"):
            self.statements += 1

    def _timed(self, function: Callable[..., T], label: str) -> Callable[..., T]:
        def timed(*args: Any, **kwargs: Any) -> T:
            before, depth = self.statements, self._depth
            # Reserve this call's place, so nested calls are listed after it.
            index = len(self.calls)
            self.calls.append(Call(label, depth, 0.0, 0))
            self._depth += 1
            started = time.perf_counter()
            try:
                result = function(*args, **kwargs)
            finally:
                self._depth -= 1
            elapsed = time.perf_counter() - started
            name = _call_name(label, kwargs)
            self.calls[index] = Call(name, depth, elapsed, self.statements - before)
            return result

        return timed

    def names(self) -> list[str]:
        return [c.label for c in self.calls]


def _call_name(label: str, kwargs: dict[str, Any]) -> str:
    if label == "past_totals":
        return f"past_totals ({kwargs.get('kind')}, previous period)"
    if label in ("procedure_cells", "clause_cells", "silences"):
        return f"{label} (period)"
    return label


def profile(engine: Engine, action: Callable[[], object]) -> tuple[CallClock, float]:
    """One run of `action` with each product query function timed; and the run's seconds."""
    with CallClock(engine) as clock:
        started = time.perf_counter()
        action()
        seconds = time.perf_counter() - started
    return clock, seconds
