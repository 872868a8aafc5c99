"""Drafting with the company's model as well as the rules, against a fake chat-completions
endpoint: its checked proposals follow the rules' drafts, and a model that fails costs nothing
but its own proposals.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.services.drafting import Drafted, NewProcedure, draft_into_bank
from bot.services.model_client import ModelClient
from bot.services.procedures.copies import write_copy
from questions import bank_writer
from questions.documents.reading import read_document
from questions.loader import load_bank_file
from questions.model import Question, Rejection, Status
from tests.bot.services.mock_audit.model_server import FakeModel, running_fake_model
from tests.bot.services.procedures.documents import REVISION_3, write

NEW = NewProcedure(clauses=("ISO 9001:2015 8.7",))
RULE_DRAFTS = 2  # what the rules draft from REVISION_3
DISPOSITION = (
    "The Quality Engineer is responsible for deciding the disposition of quarantined product."
)
WHO_DECIDES = {
    "kind": "single",
    "prompt": "Who decides the disposition of quarantined product?",
    "options": ["The operator", "The Quality Engineer", "The Production Manager"],
    "answer": "The Quality Engineer",
    "explanation": "The Quality Engineer is responsible for it.",
    "cites": DISPOSITION,
}
OPERATOR_DECIDES = {
    "kind": "true_false",
    "prompt": "The operator decides the disposition of quarantined product.",
    "answer": False,
    "explanation": "The Quality Engineer decides it.",
    "cites": DISPOSITION,
}
TAG = "The operator who finds a nonconforming part shall attach a red tag to it."


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    write_copy(folder, read_document(write(tmp_path / "incoming", REVISION_3)))
    return folder


@pytest.fixture
def model() -> Iterator[FakeModel]:
    with running_fake_model() as running:
        yield running


def proposes(model: FakeModel, by_section: dict[str, list[Any]]) -> None:
    """Answer each request with the questions given for the section it asks about."""

    def answer() -> None:
        number = _asked(model.requests[-1].body)["section"]["number"]
        model.content = json.dumps({"questions": by_section.get(number, [])})

    model.meanwhile = answer


def _asked(body: dict[str, Any]) -> Any:
    return json.loads(body["messages"][1]["content"].split("\n", 1)[1])


def _draft(bank: Path, model: FakeModel | None, timeout: float = 5.0) -> Drafted:
    client = ModelClient(url=model.base_url, timeout=timeout) if model else None
    return draft_into_bank(bank, "QP-20", NEW, client.chat if client else None)


def _questions(drafted: Drafted) -> list[Question]:
    return load_bank_file(drafted.bank_file).questions


def test_the_models_checked_proposals_follow_the_rules_drafts(bank: Path, model: FakeModel) -> None:
    proposes(model, {"4.3": [WHO_DECIDES, OPERATOR_DECIDES]})
    drafted = _draft(bank, model)
    assert drafted.by_model == 2
    assert drafted.model_drafted == ("QP-20-003", "QP-20-004")
    assert drafted.drafted == tuple(f"QP-20-{n:03d}" for n in range(1, RULE_DRAFTS + 3))
    *rules, who, operator = _questions(drafted)
    assert len(rules) == RULE_DRAFTS
    assert (who.prompt, who.status, who.section, who.cites) == (
        WHO_DECIDES["prompt"],
        Status.DRAFT,
        "4.3",
        DISPOSITION,
    )
    assert who.options[str(who.answer)] == "The Quality Engineer"
    assert (operator.answer, operator.status) == (False, Status.DRAFT)
    assert drafted.by_kind == {"single": 3, "true_false": 1}


def test_each_substantive_section_is_asked_once_in_order_with_its_words_as_data(
    bank: Path, model: FakeModel
) -> None:
    proposes(model, {})
    drafted = _draft(bank, model)
    asked = [_asked(r.body)["section"] for r in model.requests]
    # 1 Purpose is front matter; 4 Procedure has no words of its own.
    assert [s["number"] for s in asked] == ["4.1", "4.2", "4.3", "5"]
    assert asked[0]["text"] == TAG
    assert (drafted.by_model, len(drafted.drafted)) == (0, RULE_DRAFTS)


def test_a_proposal_that_fails_a_check_or_repeats_a_rule_draft_is_dropped(
    bank: Path, model: FakeModel
) -> None:
    elsewhere = {**WHO_DECIDES, "cites": "Each nonconformity is recorded on form QF-20."}
    not_an_option = {**WHO_DECIDES, "answer": "The Quality Manager"}
    repeated = {
        **WHO_DECIDES,
        "options": ["The Quality Engineer", "the quality engineer", "The operator"],
    }
    rule_draft = {
        **WHO_DECIDES,
        "prompt": "Within how many hours must tagged product be moved to the quarantine cage?",
        "options": ["2 hours", "4 hours", "8 hours"],
        "answer": "2 hours",
        "cites": "Tagged product shall be moved to the quarantine cage within 2 hours.",
    }
    proposes(model, {"4.2": [rule_draft], "4.3": [elsewhere, not_an_option, repeated]})
    drafted = _draft(bank, model)
    assert (drafted.by_model, len(drafted.drafted)) == (0, RULE_DRAFTS)


def test_drafting_again_repeats_none_of_the_models_questions(bank: Path, model: FakeModel) -> None:
    proposes(model, {"4.3": [WHO_DECIDES]})
    assert _draft(bank, model).by_model == 1
    again = _draft(bank, model)
    assert (again.created, again.drafted, again.by_model) == (False, (), 0)
    assert len(load_bank_file(again.bank_file).questions) == RULE_DRAFTS + 1


def test_a_model_question_a_reviewer_rejected_is_not_proposed_again(
    bank: Path, model: FakeModel
) -> None:
    proposes(model, {"4.3": [WHO_DECIDES]})
    first = _draft(bank, model)
    [question_id] = first.model_drafted
    rejection = Rejection(prompt=str(WHO_DECIDES["prompt"]), reason="Asked in training already")
    bank_writer.remove_question(first.bank_file, question_id, rejection)
    again = _draft(bank, model)
    assert (again.drafted, again.by_model) == ((), 0)
    assert len(model.requests) == 8, "the model was asked, and its question was left out"


@pytest.mark.parametrize(
    ("failure", "logged"),
    [
        ({"delay": 3.0}, "no answer within 0.5 s"),
        ({"status": 500}, "HTTP 500"),
        ({"raw": b"<html>Bad gateway</html>"}, "not in the chat-completions shape"),
        ({"content": "Here are three questions about tagging."}, "not the JSON asked for"),
    ],
)
def test_a_model_that_fails_leaves_the_rules_drafts_and_one_warning(
    bank: Path,
    model: FakeModel,
    caplog: pytest.LogCaptureFixture,
    failure: dict[str, Any],
    logged: str,
) -> None:
    for name, value in failure.items():
        setattr(model, name, value)
    with caplog.at_level(logging.WARNING):
        drafted = _draft(bank, model, timeout=0.5)
    assert (drafted.by_model, len(drafted.drafted)) == (0, RULE_DRAFTS)
    assert len(_questions(drafted)) == RULE_DRAFTS
    [warning] = caplog.records
    assert logged in warning.getMessage()
    assert len(model.requests) == 1, "a model that failed is not asked about the other sections"


def test_without_a_proposer_no_request_is_made(bank: Path, model: FakeModel) -> None:
    drafted = _draft(bank, None)
    assert (drafted.by_model, len(drafted.drafted)) == (0, RULE_DRAFTS)
    assert model.requests == []
