"""Acks come first: `/awareness` is acknowledged before any database work, and slow work after
an ack (summaries) never holds up the acks of other requests.

Nothing here measures time: a stalled database or a summary held open by the test, and then
what got through while it was held.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from bot.sandbox import SandboxUser
from tests.e2e.harness import E2E, ack_text
from tests.e2e.locks import locked_table
from tests.e2e.workspace import AMARA, GRACE

HELD_SUMMARIES = 12  # more than the e2e listener executor's 8 threads


def wait_until(done: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Wait for `done` (not a timing assertion: generous, only so a failure can't hang)."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        threading.Event().wait(0.01)


@contextmanager
def stalled_database(e2e: E2E) -> Iterator[None]:
    """Another connection holds the lock every unit of work needs, until the block ends."""
    url = e2e.runtime.engine.url
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(str(url.database), isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    with locked_table(url, "person"):
        yield


def test_awareness_is_acknowledged_while_the_database_stalls(e2e: E2E) -> None:
    with stalled_database(e2e):
        response = e2e.command(GRACE, "/awareness")

        assert response.status_code == 200
        assert ack_text(response) == ""

    summary = e2e.wait_for_post(GRACE, 1)
    assert "direct message" in e2e.reply_text(GRACE)
    assert "Awareness summary" in str(summary.params.get("text"))


def test_a_refusal_arrives_after_the_ack_while_the_database_stalls(e2e: E2E) -> None:
    with stalled_database(e2e):
        response = e2e.command(AMARA, "/awareness", text="export")

        assert (response.status_code, ack_text(response)) == (200, "")

    assert e2e.reply_text(AMARA).startswith("`/awareness` is for managers")
    assert e2e.posts_to(AMARA) == []


class HeldReports:
    """GapService.report, held until the test lets it go; counts how often it ran."""

    def __init__(self, e2e: E2E, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.release = threading.Event()
        self._lock = threading.Lock()
        real = e2e.runtime.services.gaps.report

        def held(**kwargs: Any) -> Any:
            with self._lock:
                self.calls += 1
            self.release.wait(30)
            return real(**kwargs)

        monkeypatch.setattr(e2e.runtime.services.gaps, "report", held)


def _summaries(e2e: E2E, user: SandboxUser) -> list[str]:
    return [
        str(c.params.get("text"))
        for c in e2e.posts_to(user)
        if "Awareness summary" in str(c.params.get("text"))
    ]


def test_acks_and_quick_work_go_on_while_summaries_are_held(
    e2e: E2E, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldReports(e2e, monkeypatch)
    try:
        for _ in range(HELD_SUMMARIES):
            assert e2e.command(GRACE, "/awareness").status_code == 200

        # With every summary still held, a /quiz is acknowledged and its question sent.
        response = e2e.command(AMARA, "/quiz")
        assert response.status_code == 200
        e2e.wait_for_post(AMARA, 1)
        assert _summaries(e2e, GRACE) == []
    finally:
        held.release.set()
    e2e.settle()

    assert len(_summaries(e2e, GRACE)) == HELD_SUMMARIES


def test_identical_summaries_asked_together_are_computed_once(
    e2e: E2E, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldReports(e2e, monkeypatch)
    backlog = e2e.runtime.backlog
    try:
        for _ in range(HELD_SUMMARIES):
            e2e.command(GRACE, "/awareness").raise_for_status()
        # Every request has joined the one being computed: only its job is left.
        e2e.listeners.settle()
        wait_until(lambda: backlog.queued == 1, "every request to join the one computing")
    finally:
        held.release.set()
    e2e.settle()

    assert held.calls == 1
    summaries = _summaries(e2e, GRACE)
    assert len(summaries) == HELD_SUMMARIES
    assert len(set(summaries)) == 1
