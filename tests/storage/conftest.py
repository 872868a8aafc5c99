from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.storage.tally_world import seed_reference


@pytest.fixture
def db(engine: Engine) -> Engine:
    """A migrated database with the small company's people and question bank."""
    seed_reference(engine)
    return engine
