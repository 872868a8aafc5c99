from __future__ import annotations

import pytest

from bot.services.summary.gap_report import GapReport
from tests.bot.reports.sample import sample_report


@pytest.fixture
def report() -> GapReport:
    return sample_report()
