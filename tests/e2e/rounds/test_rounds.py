"""Rounds over signed HTTP: a manager sends one, Slack throttles and fails, people pause and
resume, and a question left too long is closed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.sandbox import RecordedCall, SandboxUser
from bot.slack.rounds.delivery import close_expired
from storage import models
from tests.e2e.harness import E2E, QuestionDm, ack_text, message_text
from tests.e2e.workspace import AMARA, GRACE, HELEN, JONAS, TOMASZ

CLOSED = "This question has closed, so answers are no longer taken."
NOT_JSON = "Received a response in a non-JSON format"


def round_deliveries(e2e: E2E) -> list[tuple[str, str | None, str | None]]:
    """(person, message_ts, send_error) of every round delivery, oldest first."""
    with e2e.session() as session:
        rows = session.execute(
            select(models.Person.slack_id, models.Delivery.message_ts, models.Delivery.send_error)
            .join(models.Person, models.Person.id == models.Delivery.person_id)
            .where(models.Delivery.round_id.is_not(None))
            .order_by(models.Delivery.id)
        )
        return [(person, ts, error) for person, ts, error in rows]


def question_posts(e2e: E2E) -> list[RecordedCall]:
    calls = e2e.sandbox.calls_to("chat.postMessage")
    return [c for c in calls if c.ok and c.params["text"].startswith("Quiz question")]


def paused_until(e2e: E2E, user: SandboxUser) -> date | None:
    with e2e.session() as session:
        person = session.scalars(select(models.Person).filter_by(slack_id=user.id)).one()
        return person.paused_until


def test_a_managers_round_lands_once_per_person_through_throttling_and_an_outage(
    e2e: E2E,
) -> None:
    e2e.sandbox.fail_next("chat.postMessage", status=429, retry_after=1)
    e2e.sandbox.fail_next("chat.postMessage", status=500)

    e2e.command_settled(GRACE, "/awareness", "round warehouse")

    assert e2e.reply_text(GRACE) == ":outbox_tray: Sending a round to Warehouse now."
    sent = round_deliveries(e2e)
    assert sorted(person for person, _, _ in sent) == sorted([TOMASZ.id, GRACE.id])
    assert all(ts and error is None for _, ts, error in sent)
    posts = question_posts(e2e)
    dms = [e2e.sandbox.dm_channel(u.id) for u in (TOMASZ, GRACE)]
    assert sorted(p.params["channel"] for p in posts) == sorted(dms)
    failures = [c.error for c in e2e.sandbox.calls_to("chat.postMessage") if not c.ok]
    assert sorted(failures) == ["http_500", "ratelimited"]
    summary = e2e.posts_to(GRACE)[-1].params["text"]
    assert summary == ":outbox_tray: Round to Warehouse: 2 question(s) sent."
    # slack_sdk logs the 500's plain-text body at ERROR before the round retries it.
    logged = [r.getMessage() for r in e2e.errors.records]
    assert logged == [f"Failed to decode Slack API response: {NOT_JSON}: internal error"]
    e2e.errors.records.clear()


def test_a_manager_cannot_send_a_round_outside_their_departments(e2e: E2E) -> None:
    e2e.command_settled(GRACE, "/awareness", "round Production")
    e2e.command_settled(AMARA, "/awareness", "round Production")

    assert "it isn't one of the departments you oversee" in e2e.reply_text(GRACE)
    assert e2e.reply_text(AMARA).startswith("`/awareness` is for managers")
    assert (e2e.count(models.Round), e2e.sandbox.calls_to("chat.postMessage")) == (0, [])


def test_someone_slack_has_deactivated_is_recorded_and_the_rest_still_get_theirs(
    e2e: E2E,
) -> None:
    e2e.sandbox.fail_next("chat.postMessage", status=200, error="account_inactive")

    e2e.command_settled(HELEN, "/awareness", "round Production")

    (gone, lost_ts, error), (kept, kept_ts, no_error) = sorted(
        round_deliveries(e2e), key=lambda row: row[1] is not None
    )
    assert {gone, kept} == {AMARA.id, JONAS.id}
    assert (lost_ts, error, no_error) == (None, "account_inactive", None)
    assert kept_ts and [p.params["channel"] for p in question_posts(e2e)] == [
        e2e.sandbox.dm_channel(kept)
    ]
    with e2e.session() as session:
        rows = session.execute(select(models.Person.slack_id, models.Person.is_active))
        active = {slack_id: is_active for slack_id, is_active in rows}
    assert (active[gone], active[kept]) == (False, True)
    summary = e2e.posts_to(HELEN)[-1].params["text"]
    assert "1 question(s) sent" in summary and "Not delivered: 1 account_inactive." in summary


def test_a_pause_typed_in_slack_skips_rounds_until_resumed(e2e: E2E) -> None:
    paused = e2e.command_settled(AMARA, "/quiz", "pause until 2026-11-20")
    assert paused_until(e2e, AMARA) == date(2026, 11, 20)
    e2e.command_settled(HELEN, "/awareness", "round Production")
    resumed = e2e.command_settled(AMARA, "/quiz", "resume")

    assert "up to and including Friday 20 November 2026" in ack_text(paused)
    assert [person for person, _, _ in round_deliveries(e2e)] == [JONAS.id]
    assert "Skipped: 1 paused." in e2e.posts_to(HELEN)[-1].params["text"]
    assert ack_text(resumed).startswith(":wave: Welcome back.")
    assert paused_until(e2e, AMARA) is None


def test_a_pause_that_has_already_ended_is_refused_and_changes_nothing(e2e: E2E) -> None:
    response = e2e.command_settled(AMARA, "/quiz", "pause until 2026-10-31")

    assert ack_text(response).startswith("2026-10-31 has already passed")
    assert paused_until(e2e, AMARA) is None


def test_a_question_left_past_its_window_is_closed_and_a_late_click_is_refused(
    e2e: E2E,
) -> None:
    e2e.command_settled(HELEN, "/awareness", "round Production")
    dm = QuestionDm(AMARA, e2e.sandbox.messages(AMARA.id)[-1])
    e2e.clock.advance(hours=48)

    assert close_expired(e2e.runtime.sender) == 2
    e2e.click(dm, e2e.correct_keys(dm.delivery_id))
    closing, refusal = e2e.updates_of(dm, 2)
    e2e.settle()

    assert closing.params["text"].startswith("Closed: ") and CLOSED in message_text(closing)
    assert CLOSED in message_text(refusal)
    assert e2e.count(models.Answer) == 0
    with e2e.session() as session:
        delivery = session.get_one(models.Delivery, dm.delivery_id)
        assert delivery.closed_at == e2e.clock()
