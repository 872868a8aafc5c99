"""The exactly-once and bad-input tests run on both databases: PostgreSQL's concurrency is
where Python-side checks stopped holding."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, fresh_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("AUDITREADY_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)")
        fresh_postgres().dispose()
        return POSTGRES_URL
    folder = tmp_path / "db"
    folder.mkdir()
    return f"sqlite:///{folder / 'auditready.db'}"
