"""A unit of work PostgreSQL rolled back as a conflict runs again; any other failure does not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.exc import DBAPIError

from storage.db import retry_conflicts


class DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def _failing(codes: list[str]) -> tuple[list[int], Callable[[], str]]:
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        if len(calls) <= len(codes):
            raise DBAPIError("UPDATE …", {}, DriverError(codes[len(calls) - 1]))
        return "done"

    return calls, work


@pytest.mark.parametrize("code", ["40P01", "40001"])
def test_a_deadlock_or_serialization_failure_is_run_again(code: str) -> None:
    calls, work = _failing([code, code])
    assert retry_conflicts(work) == "done"
    assert len(calls) == 3


def test_other_database_errors_are_not_retried() -> None:
    calls, work = _failing(["23505"])
    with pytest.raises(DBAPIError):
        retry_conflicts(work)
    assert len(calls) == 1


def test_a_conflict_that_keeps_coming_is_raised_after_the_last_attempt() -> None:
    calls, work = _failing(["40P01"] * 5)
    with pytest.raises(DBAPIError):
        retry_conflicts(work, attempts=3)
    assert len(calls) == 3
