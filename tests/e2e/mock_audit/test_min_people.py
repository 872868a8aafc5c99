"""AUDITREADY_MIN_PEOPLE reaches the findings a manager is sent (docs/mock-audit.md)."""

from __future__ import annotations

import pytest

from bot.sandbox import SlackSandbox
from bot.settings import Settings
from tests.e2e.conftest import make_settings
from tests.e2e.harness import E2E, message_text
from tests.e2e.interviews import close_then_report, start_mock_audit
from tests.e2e.workspace import GRACE, HELEN


@pytest.fixture
def settings(sandbox: SlackSandbox, database_url: str) -> Settings:
    made = make_settings(api_url=sandbox.base_url, database_url=database_url)
    return made.model_copy(update={"min_people": 2})


def test_the_setting_decides_the_smallest_group_a_manager_reads(mock_company: E2E) -> None:
    # Warehouse is Tomasz (operator) and Grace (supervisor): a group of 2 is now enough for
    # the department, but not for its roles of 1 each.
    e2e = mock_company
    number, _modal = start_mock_audit(e2e, HELEN, departments=["Warehouse"], cap=3)
    close_then_report(e2e, number, admin=HELEN, reader=GRACE)

    (summary,) = [
        c
        for c in e2e.sandbox.calls_to("chat.postMessage")
        if c.ok and c.params.get("channel") == GRACE.id and "findings" in c.params.get("text", "")
    ]
    text = message_text(summary)
    assert "Of 2 people sampled in Warehouse, 2 were not available" in text
    assert "withheld" not in text and "operator" not in text
