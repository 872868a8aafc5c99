"""Only requests Slack signed, recently, get through."""

from __future__ import annotations

import time

from bot.sandbox.requests import FORM, signed_headers
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


def post_raw(e2e: E2E, body: bytes, headers: dict[str, str]) -> int:
    return e2e.slack.http.post("/slack/events", content=body, headers=headers).status_code


def test_malformed_or_unsigned_bodies_are_refused_before_anything_reads_them(e2e: E2E) -> None:
    signed = slash_command(command="/quiz", user_id=AMARA.id, user_name="amara")
    good = {"Content-Type": FORM, **signed_headers(e2e.slack.secret, signed)}
    cases = {
        "non-numeric timestamp": {**good, "X-Slack-Request-Timestamp": "yesterday"},
        "empty signature": {**good, "X-Slack-Signature": ""},
        "no headers at all": {"Content-Type": FORM},
        "two timestamps": {**good, "x-slack-request-timestamp": "1"},
    }
    for name, headers in cases.items():
        status = post_raw(e2e, signed.encode(), headers)
        assert status in (400, 401), (name, status)
    for junk in (b"\xff\xfe not utf-8", b"payload=%7Bnot json", b"{"):
        status = post_raw(e2e, junk, {"Content-Type": FORM})
        assert status in (400, 401), (junk, status)
    signed_junk = "payload=%7Bnot json"
    headers = {"Content-Type": FORM, **signed_headers(e2e.slack.secret, signed_junk)}
    assert post_raw(e2e, signed_junk.encode(), headers) == 400
    e2e.settle()
    assert e2e.count(models.Delivery) == 0


def test_a_body_over_the_limit_is_refused_unread(e2e: E2E) -> None:
    body = "text=" + "x" * (2 * 1024 * 1024)
    response = e2e.slack.form(body)
    assert response.status_code == 413
