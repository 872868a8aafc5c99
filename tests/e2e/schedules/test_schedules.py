"""`/awareness schedule` over signed HTTP: admins list, pause and resume the schedules that
send rounds; managers may not, and an unknown schedule is named."""

from __future__ import annotations

import json

from bot.sandbox import SandboxUser
from tests.e2e.harness import E2E
from tests.e2e.workspace import GRACE, HELEN


def shown(e2e: E2E, user: SandboxUser, text: str) -> str:
    """Everything the private answer to `/awareness TEXT` shows: its text and its blocks."""
    e2e.command_settled(user, "/awareness", text)
    reply = e2e.replies_to(user)[-1].params
    return json.dumps({"text": reply.get("text"), "blocks": reply.get("blocks")})


def replied(e2e: E2E, user: SandboxUser, text: str) -> str:
    """The text of the private answer to `/awareness TEXT`, which arrives after the ack."""
    e2e.command_settled(user, "/awareness", text)
    return e2e.reply_text(user)


def test_an_admin_lists_pauses_and_resumes_a_schedule(e2e: E2E) -> None:
    listed = shown(e2e, HELEN, "schedule")
    paused = replied(e2e, HELEN, "schedule pause weekly-awareness")
    after = shown(e2e, HELEN, "schedule")
    is_paused = e2e.runtime.services.schedules.is_paused("weekly-awareness")
    resumed = replied(e2e, HELEN, "schedule resume weekly-awareness")

    assert "`weekly-awareness`" in listed and "`shop-floor-safety`" in listed
    assert "(paused)" not in listed
    assert paused == "Schedule `weekly-awareness` (Weekly awareness questions) is paused."
    assert "(paused)" in after and is_paused
    assert resumed.endswith("is resumed.")
    assert not e2e.runtime.services.schedules.is_paused("weekly-awareness")


def test_a_manager_may_not_pause_a_schedule_and_an_unknown_one_is_named(e2e: E2E) -> None:
    manager = replied(e2e, GRACE, "schedule pause weekly-awareness")
    listing = replied(e2e, GRACE, "schedule")
    unknown = replied(e2e, HELEN, "schedule pause weekly")

    assert manager == listing == "Only admins can list, pause or resume schedules."
    assert not e2e.runtime.services.schedules.is_paused("weekly-awareness")
    assert unknown == "no schedule 'weekly'; known: weekly-awareness, shop-floor-safety"
