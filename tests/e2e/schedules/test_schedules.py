"""`/awareness schedule` over signed HTTP: admins list, pause and resume the schedules that
send rounds; managers may not, and an unknown schedule is named."""

from __future__ import annotations

import json

import httpx

from tests.e2e.harness import E2E, ack_text
from tests.e2e.workspace import GRACE, HELEN


def shown(response: httpx.Response) -> str:
    """Everything an ephemeral ack shows: its text and its blocks."""
    return json.dumps(response.json())


def test_an_admin_lists_pauses_and_resumes_a_schedule(e2e: E2E) -> None:
    listed = e2e.command_settled(HELEN, "/awareness", "schedule")
    paused = e2e.command_settled(HELEN, "/awareness", "schedule pause weekly-awareness")
    after = e2e.command_settled(HELEN, "/awareness", "schedule")
    is_paused = e2e.runtime.services.schedules.is_paused("weekly-awareness")
    resumed = e2e.command_settled(HELEN, "/awareness", "schedule resume weekly-awareness")

    assert "`weekly-awareness`" in shown(listed) and "`shop-floor-safety`" in shown(listed)
    assert "(paused)" not in shown(listed)
    assert ack_text(paused) == (
        "Schedule `weekly-awareness` (Weekly awareness questions) is paused."
    )
    assert "(paused)" in shown(after) and is_paused
    assert ack_text(resumed).endswith("is resumed.")
    assert not e2e.runtime.services.schedules.is_paused("weekly-awareness")


def test_a_manager_may_not_pause_a_schedule_and_an_unknown_one_is_named(e2e: E2E) -> None:
    manager = e2e.command_settled(GRACE, "/awareness", "schedule pause weekly-awareness")
    listing = e2e.command_settled(GRACE, "/awareness", "schedule")
    unknown = e2e.command_settled(HELEN, "/awareness", "schedule pause weekly")

    assert (
        ack_text(manager) == ack_text(listing) == "Only admins can list, pause or resume schedules."
    )
    assert not e2e.runtime.services.schedules.is_paused("weekly-awareness")
    assert ack_text(unknown) == ("no schedule 'weekly'; known: weekly-awareness, shop-floor-safety")
