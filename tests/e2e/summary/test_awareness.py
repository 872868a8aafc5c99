"""/awareness: staff are refused, managers see their departments, admins see everything."""

from __future__ import annotations

import re

import pytest

from bot.sandbox import RecordedCall, SandboxUser
from tests.e2e.harness import E2E, message_text
from tests.e2e.workspace import AMARA, GRACE, HELEN, JONAS, TOMASZ


@pytest.fixture
def answered(e2e: E2E) -> E2E:
    """Answers in two departments, given through real clicks: Production and Warehouse."""
    e2e.answer(e2e.quiz(AMARA), correctly=True)
    e2e.answer(e2e.quiz(JONAS), correctly=False)
    e2e.answer(e2e.quiz(TOMASZ), correctly=False)
    return e2e


def _summary_for(e2e: E2E, user: SandboxUser) -> RecordedCall:
    before = len(e2e.posts_to(user))
    response = e2e.command(user, "/awareness")
    assert response.status_code == 200
    post = e2e.wait_for_post(user, before + 1)
    assert "direct message" in e2e.reply_text(user)
    return post


def test_a_staff_member_is_refused_without_any_data(answered: E2E) -> None:
    e2e = answered
    posts_before = len(e2e.sandbox.calls_to("chat.postMessage"))

    response = e2e.command(AMARA, "/awareness")

    assert response.status_code == 200
    refusal = e2e.reply_text(AMARA)
    assert refusal.startswith("`/awareness` is for managers")
    assert not re.search(r"\d", refusal), refusal
    for department in ("Production", "Warehouse", "Quality"):
        assert department not in refusal
    assert len(e2e.sandbox.calls_to("chat.postMessage")) == posts_before


def test_a_staff_member_is_refused_whatever_they_type(answered: E2E) -> None:
    response = answered.command(TOMASZ, "/awareness", text="Warehouse")

    assert response.status_code == 200
    assert answered.reply_text(TOMASZ).startswith("`/awareness` is for managers")
    assert answered.posts_to(TOMASZ)[-1].params["text"].startswith("Quiz question")


def test_a_manager_sees_only_the_departments_they_oversee(answered: E2E) -> None:
    summary = _summary_for(answered, GRACE)

    shown = message_text(summary)
    assert summary.params["text"].startswith("Awareness summary")
    assert "Warehouse" in shown
    assert "Production" not in shown
    assert "(0 of 1)" in shown  # Warehouse's one answer, and it was wrong
    assert "(1 of 3)" not in shown


def test_an_admin_sees_every_department(answered: E2E) -> None:
    summary = _summary_for(answered, HELEN)

    shown = message_text(summary)
    assert summary.params["text"].startswith("Awareness summary")
    assert "all departments" in shown
    assert "Warehouse" in shown
    assert "Production" in shown
    assert "(1 of 3)" in shown  # one of the three answers was right
