"""The thread-safe record of every Web API call the sandbox answered."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

INVALID_BLOCKS = "invalid_blocks"


@dataclass(frozen=True)
class RecordedCall:
    """One Web API call and what the sandbox answered."""

    method: str
    params: dict[str, Any]
    token: str | None
    ok: bool
    error: str | None
    at: float


CallFilter = Callable[[RecordedCall], bool]


class CallLog:
    """Appends calls from handler threads; lets tests wait for them without polling."""

    def __init__(self) -> None:
        self._calls: list[RecordedCall] = []
        self._changed = threading.Condition()

    def record(self, call: RecordedCall) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def snapshot(self) -> list[RecordedCall]:
        with self._changed:
            return list(self._calls)

    def rejected(self) -> list[RecordedCall]:
        return [call for call in self.snapshot() if call.error == INVALID_BLOCKS]

    def to(self, method: str) -> list[RecordedCall]:
        return [call for call in self.snapshot() if call.method == method]

    def wait_for(
        self, method: str, count: int, *, timeout: float, where: CallFilter | None
    ) -> list[RecordedCall]:
        def matching() -> list[RecordedCall]:
            return [
                call
                for call in self._calls
                if call.method == method and call.ok and (where is None or where(call))
            ]

        with self._changed:
            if self._changed.wait_for(lambda: len(matching()) >= count, timeout=timeout):
                return matching()
            found = len(matching())
            seen = _describe(self._calls)
        suffix = " matching the filter" if where is not None else ""
        raise TimeoutError(
            f"waited {timeout:g}s for {count} successful {method} call(s){suffix}, "
            f"got {found}; calls seen: {seen}"
        )


def _describe(calls: list[RecordedCall]) -> str:
    if not calls:
        return "none"
    counts = Counter(
        call.method if call.ok else f"{call.method} (failed: {call.error})" for call in calls
    )
    return ", ".join(f"{name} x{n}" for name, n in sorted(counts.items()))
