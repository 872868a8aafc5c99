"""Only requests Slack signed, recently, get through."""

from __future__ import annotations

import time

from bot.sandbox.requests import FORM
from storage import models
from tests.e2e.harness import E2E
from tests.e2e.payloads import slash_command
from tests.e2e.workspace import AMARA

STALE_SECONDS = 301
RECENT_SECONDS = 240


def test_a_forged_slash_command_is_refused_and_changes_nothing(e2e: E2E) -> None:
    response = e2e.command(AMARA, secret="not-the-signing-secret")

    assert response.status_code == 401
    e2e.settle()
    assert e2e.count(models.Delivery) == 0
    assert e2e.sandbox.calls_to("chat.postMessage") == []


def test_a_forged_click_records_no_answer(e2e: E2E) -> None:
    dm = e2e.quiz(AMARA)
    body = e2e.click_body(dm, e2e.correct_keys(dm.delivery_id))

    response = e2e.slack.form(body, secret="not-the-signing-secret")

    assert response.status_code == 401
    e2e.settle()
    assert e2e.count(models.Answer) == 0
    assert e2e.sandbox.calls_to("chat.update") == []


def test_a_body_changed_after_signing_is_refused(e2e: E2E) -> None:
    signed = slash_command(command="/quiz", user_id=AMARA.id, user_name="amara")
    headers = e2e.slack.form(signed).request.headers
    e2e.wait_for_post(AMARA, 1)
    tampered = signed.replace(AMARA.id, "U0E2E0004")

    response = e2e.slack.http.post(
        "/slack/events",
        content=tampered.encode(),
        headers={
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": headers["X-Slack-Request-Timestamp"],
            "X-Slack-Signature": headers["X-Slack-Signature"],
        },
    )

    assert response.status_code == 401
    e2e.settle()
    assert e2e.count(models.Delivery) == 1


def test_a_request_without_signature_headers_is_refused(e2e: E2E) -> None:
    body = slash_command(command="/quiz", user_id=AMARA.id, user_name="amara")

    response = e2e.slack.http.post(
        "/slack/events", content=body.encode(), headers={"Content-Type": FORM}
    )

    assert response.status_code == 401
    assert e2e.count(models.Delivery) == 0


def test_a_correctly_signed_but_stale_request_is_refused(e2e: E2E) -> None:
    response = e2e.command(AMARA, timestamp=int(time.time()) - STALE_SECONDS)

    assert response.status_code == 401
    e2e.settle()
    assert e2e.count(models.Delivery) == 0
    assert e2e.sandbox.calls_to("chat.postMessage") == []


def test_a_request_a_few_minutes_old_is_still_accepted(e2e: E2E) -> None:
    response = e2e.command(AMARA, timestamp=int(time.time()) - RECENT_SECONDS)

    assert response.status_code == 200
    e2e.wait_for_post(AMARA, 1)
