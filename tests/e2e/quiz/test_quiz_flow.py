"""/quiz, the question DM, and answering it with one click."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.slack.ids import ActionId
from storage import models
from tests.e2e.conftest import START
from tests.e2e.harness import E2E, QuestionDm, ack_text, message_text
from tests.e2e.workspace import AMARA, sample_questions

BUTTON_TEXT_LIMIT = 75


def _labels(element: dict[str, Any]) -> list[str]:
    texts = [element["text"]] if "text" in element else []
    texts += [option["text"] for option in element.get("options", [])]
    return [str(text["text"]) for text in texts]


def _only(e2e: E2E, kind: str) -> str:
    """Retire every question but one of this kind that Amara's department and role get."""
    code = sample_questions(kind=kind, department="Production", role="operator")[0]
    report = e2e.keep_only(lambda question: question == code)
    assert report.retired, "the bank copy should have retired the other questions"
    return code


def test_quiz_acks_in_the_response_then_dms_one_question(e2e: E2E) -> None:
    response = e2e.command(AMARA)

    assert response.status_code == 200
    assert "direct message" in ack_text(response)
    post = e2e.wait_for_post(AMARA, 1)
    e2e.settle()
    (message,) = e2e.sandbox.messages(AMARA.id)
    assert [b["type"] for b in message["blocks"]] == ["context", "section", "actions"]
    actions = message["blocks"][2]
    assert actions["elements"]
    for element in actions["elements"]:
        for label in _labels(element):
            assert 0 < len(label) <= BUTTON_TEXT_LIMIT, label
    assert post.params["text"].startswith("Quiz question from ")
    with e2e.session() as session:
        (delivery,) = session.scalars(select(models.Delivery)).all()
        assert actions["block_id"] == f"answer:{delivery.id}"
        assert delivery.person.slack_id == AMARA.id
        assert delivery.channel == e2e.sandbox.dm_channel(AMARA.id)
        assert delivery.message_ts == message["ts"]
        assert (delivery.department, delivery.role) == ("Production", "operator")
        assert (delivery.source, delivery.send_error, delivery.delivered_at) == (
            "quiz",
            None,
            START,
        )
    assert e2e.count(models.Answer) == 0


def test_quiz_with_text_explains_itself_and_sends_nothing(e2e: E2E) -> None:
    response = e2e.command(AMARA, text="help")

    assert response.status_code == 200
    assert ack_text(response).startswith("`/quiz` sends you one question")
    e2e.settle()
    assert e2e.sandbox.calls_to("chat.postMessage") == []
    assert e2e.count(models.Delivery) == 0


def test_a_click_records_the_answer_as_evidence_and_shows_the_outcome(e2e: E2E) -> None:
    dm = e2e.quiz(AMARA)
    e2e.clock.advance(seconds=42)

    update = e2e.answer(dm, correctly=True)

    assert (update.params["channel"], update.params["ts"]) == (dm.channel, dm.ts)
    shown = message_text(update)
    assert "Right." in shown
    assert "Read section" in shown
    assert "already answered" not in shown
    now_showing = e2e.sandbox.message(dm.channel, dm.ts)
    assert "actions" not in [b["type"] for b in now_showing["blocks"]]
    with e2e.session() as session:
        (answer,) = session.scalars(select(models.Answer)).all()
        delivery = answer.delivery
        version = delivery.question_version
        procedure = version.question.procedure
        assert delivery.id == dm.delivery_id
        assert answer.person_id == delivery.person_id
        assert (answer.department, answer.role) == ("Production", "operator")
        assert answer.procedure_code == procedure.code == delivery.procedure_code
        assert answer.procedure_revision == procedure.revision
        assert answer.clauses == version.clauses and answer.clauses
        assert answer.question_code == version.question.code
        assert (answer.question_version_id, answer.question_version) == (
            version.id,
            version.version,
        )
        assert answer.chosen == sorted(version.correct)
        assert answer.is_correct is True
        assert answer.seconds_taken == 42
        assert answer.answered_at == START + timedelta(seconds=42)


@pytest.mark.parametrize("kind", ["single", "true_false"])
def test_a_wrong_button_is_recorded_as_wrong(e2e: E2E, kind: str) -> None:
    code = _only(e2e, kind)
    dm = e2e.quiz(AMARA)
    buttons = dm.elements
    assert {b["type"] for b in buttons} == {"button"}
    assert all(b["action_id"] == f"{ActionId.ANSWER}.{b['value']}" for b in buttons)
    if kind == "true_false":
        assert [b["value"] for b in buttons] == ["true", "false"]

    update = e2e.answer(dm, correctly=False)

    assert "Not quite." in message_text(update)
    with e2e.session() as session:
        (answer,) = session.scalars(select(models.Answer)).all()
        assert answer.question_code == code
        assert answer.is_correct is False
        assert answer.chosen and answer.chosen != sorted(answer.delivery.question_version.correct)


def test_a_multiple_choice_question_is_answered_with_checkboxes_and_submit(e2e: E2E) -> None:
    code = _only(e2e, "multiple")
    dm = e2e.quiz(AMARA)
    assert [e["action_id"] for e in dm.elements] == [ActionId.PICK, ActionId.SUBMIT]
    assert dm.is_multiple
    right = e2e.correct_keys(dm.delivery_id)

    e2e.click(dm, [])  # Submit with nothing ticked
    (nudge,) = e2e.sandbox.wait_for("chat.postEphemeral")
    e2e.settle()
    assert nudge.params["user"] == AMARA.id
    assert "Choose at least one" in nudge.params["text"]
    assert e2e.count(models.Answer) == 0
    assert e2e.sandbox.calls_to("chat.update") == []

    update = e2e.answer(dm, correctly=True)

    assert "Right." in message_text(update)
    with e2e.session() as session:
        (answer,) = session.scalars(select(models.Answer)).all()
        assert answer.question_code == code
        assert answer.chosen == sorted(right)
        assert len(answer.chosen) > 1 or len(right) == 1
        assert answer.is_correct is True


def test_ticking_only_some_right_options_is_wrong(e2e: E2E) -> None:
    _only(e2e, "multiple")
    dm = e2e.quiz(AMARA)
    right = e2e.correct_keys(dm.delivery_id)

    e2e.click(dm, right[:1] if len(right) > 1 else [*right, _other(dm, right)])
    (update,) = e2e.updates_of(dm)
    e2e.settle()

    assert "Not quite." in message_text(update)
    with e2e.session() as session:
        (answer,) = session.scalars(select(models.Answer)).all()
        assert answer.is_correct is False


def _other(dm: QuestionDm, right: list[str]) -> str:
    pick = dm.elements[0]
    return str(next(o["value"] for o in pick["options"] if o["value"] not in right))
