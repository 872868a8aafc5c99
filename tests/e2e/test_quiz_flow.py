"""/quiz, the question DM, and answering it with one click."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.ids import ActionId
from storage import models
from tests.e2e.conftest import START
from tests.e2e.harness import E2E, message_text
from tests.e2e.workspace import AMARA, sample_questions

BUTTON_TEXT_LIMIT = 75


def _labels(element: dict[str, object]) -> list[str]:
    texts = [element["text"]] if "text" in element else []
    texts += [option["text"] for option in element.get("options", [])]  # type: ignore[attr-defined]
    return [str(text["text"]) for text in texts]  # type: ignore[index]


def test_quiz_acks_in_the_response_then_dms_one_question(e2e: E2E) -> None:
    response = e2e.command(AMARA)

    assert response.status_code == 200
    assert "direct message" in response.json()["text"]
    post = e2e.wait_for_post(AMARA, 1)
    e2e.settle()
    dm = e2e.quiz.__self__ and e2e.sandbox.messages(AMARA.id)
    assert len(dm) == 1
    message = dm[0]
    assert [b["type"] for b in message["blocks"]] == ["context", "section", "actions"]
    actions = message["blocks"][2]
    assert actions["block_id"].startswith("answer:")
    for element in actions["elements"]:
        for label in _labels(element):
            assert 0 < len(label) <= BUTTON_TEXT_LIMIT, label
    assert post.params["text"].startswith("Quiz question from ")
    with e2e.session() as session:
        (delivery,) = session.scalars(select(models.Delivery)).all()
        assert actions["block_id"] == f"answer:{delivery.id}"
        assert delivery.person.slack_id == AMARA.id
        assert (delivery.channel, delivery.message_ts) == (e2e.sandbox.dm_channel(AMARA.id), message["ts"])
        assert (delivery.department, delivery.role, delivery.send_error) == ("Production", "operator", None)
        assert delivery.delivered_at == START
    assert e2e.count(models.Answer) == 0
