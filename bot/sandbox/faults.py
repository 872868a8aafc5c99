"""Fault injection and the workspace rate limit."""

from __future__ import annotations

import json
import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, body and extra headers."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(payload).encode(), headers=headers or {})


def text_reply(text: str, status: int = 200) -> Reply:
    return Reply(status, text.encode(), content_type="text/plain; charset=utf-8")


def ratelimited(retry_after: int) -> Reply:
    return json_reply(
        {"ok": False, "error": "ratelimited"},
        status=429,
        headers={"Retry-After": str(retry_after)},
    )


@dataclass(frozen=True)
class Fault:
    """A failure to answer instead of handling the call."""

    status: int = 500
    error: str | None = None
    retry_after: int | None = None
    # The call takes effect first, then this failure is answered: the caller can't tell.
    after_effect: bool = False
    # Seconds to hold the answer back, e.g. past the caller's timeout.
    delay: float = 0.0

    def reply(self) -> Reply:
        if self.status == 429:
            return ratelimited(self.retry_after if self.retry_after is not None else 1)
        if self.status >= 500:
            return text_reply("internal error", status=self.status)
        return json_reply({"ok": False, "error": self.recorded_error}, status=self.status)

    @property
    def recorded_error(self) -> str:
        if self.status == 429:
            return "ratelimited"
        if self.status >= 500:
            return f"http_{self.status}"
        return self.error or "internal_error"


class FaultPlan:
    """Per-method queues of failures still to be served, oldest first."""

    def __init__(self) -> None:
        self._queues: dict[str, deque[Fault]] = {}
        self._lock = threading.Lock()

    def add(self, method: str, fault: Fault, times: int) -> None:
        with self._lock:
            self._queues.setdefault(method, deque()).extend([fault] * times)

    def take(self, method: str) -> Fault | None:
        with self._lock:
            queue = self._queues.get(method)
            return queue.popleft() if queue else None


class SlidingWindow:
    """At most `limit` admissions in any `window` seconds, measured with `clock`."""

    def __init__(self, limit: int, clock: Callable[[], float], window: float = 60.0) -> None:
        if limit < 1:
            raise ValueError(f"rate limit must be at least 1 call per window, got {limit}")
        self._limit = limit
        self._clock = clock
        self._window = window
        self._admitted: deque[float] = deque()
        self._lock = threading.Lock()

    def admit(self) -> int | None:
        """None when admitted; otherwise the whole seconds until a slot frees (>= 1)."""
        with self._lock:
            now = self._clock()
            while self._admitted and self._admitted[0] <= now - self._window:
                self._admitted.popleft()
            if len(self._admitted) < self._limit:
                self._admitted.append(now)
                return None
            wait = self._admitted[0] + self._window - now
            return max(1, math.ceil(wait))
