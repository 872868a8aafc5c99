"""Owners review drafted and flagged questions in Slack.

`questions review --in-slack` asks each procedure's owners once (Grace, a supervisor, owns
QP-08 by her role; Tomasz owns QP-12 by Slack id). Grace approves one, finds a draft can't be
approved before it has a section and an explanation, completes it in the edit modal and
approves it, and rejects one with a reason. A stranger is refused; a double click counts once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli.main import app as cli_app
from bot.sandbox import SandboxUser
from questions.loader import load_bank
from questions.model import Status
from storage.documents import DraftReview
from tests.e2e.harness import E2E, message_text
from tests.e2e.interviews import click_button, view_submission_body
from tests.e2e.workspace import AMARA, GRACE, HELEN, TOMASZ

pytestmark = pytest.mark.usefixtures("slack_env")
Cli = Callable[..., str]


def post(e2e: E2E, cli: Cli) -> str:
    return cli("questions", "review", "--in-slack", "--bank", str(e2e.runtime.settings.bank))


def review_dm(e2e: E2E, user: SandboxUser, question_id: str) -> dict[str, Any]:
    """The review message about `question_id` in the person's DM, as it stands now."""
    e2e.settle()
    found = [m for m in e2e.sandbox.messages(user.id) if question_id in str(m.get("text"))]
    assert len(found) == 1, found
    return found[0]


def statuses(e2e: E2E) -> dict[str, Status]:
    bank = load_bank(e2e.runtime.settings.bank)
    return {q.id: q.status for _, f in bank.files for q in f.questions}


def trail(e2e: E2E) -> list[tuple[str, str, str, str | None]]:
    with e2e.session() as session:
        rows = session.scalars(select(DraftReview).order_by(DraftReview.id))
        return [(r.question_code, r.decision, r.reviewer, r.reason) for r in rows]


def open_modal(e2e: E2E, user: SandboxUser, message: dict[str, Any], action: str) -> dict[str, Any]:
    before = len(e2e.sandbox.calls_to("views.open"))
    click_button(e2e, user, message, action)
    view: dict[str, Any] = e2e.sandbox.wait_for("views.open", before + 1)[-1].params["view"]
    return view


def submit(e2e: E2E, user: SandboxUser, view: dict[str, Any], **fields: str) -> httpx.Response:
    values = {
        block: {"value": {"type": "plain_text_input", "value": text}}
        for block, text in fields.items()
    }
    response = e2e.slack.form(view_submission_body(user=user, view=view, values=values))
    assert response.status_code == 200, response.text
    e2e.settle()
    return response


def inputs(view: dict[str, Any]) -> dict[str, str]:
    return {
        b["block_id"]: b["element"].get("initial_value", "")
        for b in view["blocks"]
        if b["type"] == "input"
    }


def test_owners_review_their_procedures_questions_in_slack(e2e: E2E, cli: Cli) -> None:
    assert "sent 4, already asked 0, failed 0" in post(e2e, cli)
    assert "sent 0, already asked 4, failed 0" in post(e2e, cli)
    assert [len(e2e.posts_to(u)) for u in (GRACE, TOMASZ, HELEN, AMARA)] == [3, 1, 0, 0]

    posted = e2e.sandbox.calls_to("chat.postMessage")
    (asked,) = [c for c in posted if "QP-08-103" in str(c.params.get("text"))]
    shown = message_text(asked)
    assert "Who gets &lt;!channel&gt; alerts &amp; why?" in shown
    assert "<!channel>" not in shown
    assert f"Drawn from: “{'Quarantine the suspect part'}" in shown
    assert ":white_check_mark: *B.* Right way" in shown

    _approve_the_flagged_one(e2e)
    _complete_the_draft_then_approve_it(e2e)
    _reject_with_a_reason(e2e)
    assert trail(e2e) == [
        ("QP-08-102", "approved", GRACE.id, None),
        ("QP-08-101", "edited", GRACE.id, None),
        ("QP-08-101", "approved", GRACE.id, None),
        ("QP-08-103", "rejected", GRACE.id, "Alerts are IT's, not a quality question"),
    ]
    assert statuses(e2e) == {
        "QP-08-101": Status.APPROVED,
        "QP-08-102": Status.APPROVED,
        "QP-12-101": Status.DRAFT,
    }
    # Decided questions are not asked again; the one still pending was asked already.
    assert "sent 0, already asked 1, failed 0" in post(e2e, cli)


def _approve_the_flagged_one(e2e: E2E) -> None:
    click_button(e2e, GRACE, review_dm(e2e, GRACE, "QP-08-102"), "review.approve")
    after = review_dm(e2e, GRACE, "QP-08-102")
    assert f":white_check_mark: Approved by <@{GRACE.id}>" in str(after["blocks"])
    assert all(b["type"] != "actions" for b in after["blocks"])


def _complete_the_draft_then_approve_it(e2e: E2E) -> None:
    before = (e2e.runtime.settings.bank / "qp-08.yaml").read_bytes()
    click_button(e2e, GRACE, review_dm(e2e, GRACE, "QP-08-101"), "review.approve")
    refusal = e2e.reply_text(GRACE)
    assert "QP-08-101 can't be approved as it stands" in refusal
    assert "section: is missing" in refusal
    assert (e2e.runtime.settings.bank / "qp-08.yaml").read_bytes() == before

    view = open_modal(e2e, GRACE, review_dm(e2e, GRACE, "QP-08-101"), "review.edit")
    fields = inputs(view)
    assert fields["options"] == "a: Wrong way\nb: Right way\nc: Another wrong way"
    assert (fields["answer"], fields["section"]) == ("b", "")
    wrong = submit(e2e, GRACE, view, **{**fields, "answer": "z"})
    assert "names option 'z'" in wrong.json()["errors"]["answer"]
    submit(
        e2e,
        GRACE,
        view,
        **{**fields, "section": "5.2", "explanation": "Quarantine stops it being used."},
    )
    edited = review_dm(e2e, GRACE, "QP-08-101")
    assert f"Edited by <@{GRACE.id}>" in str(edited["blocks"])
    assert "Quarantine stops it being used." in str(edited["blocks"])
    assert statuses(e2e)["QP-08-101"] is Status.DRAFT
    click_button(e2e, GRACE, edited, "review.approve")
    assert "Approved by" in str(review_dm(e2e, GRACE, "QP-08-101")["blocks"])


def _reject_with_a_reason(e2e: E2E) -> None:
    view = open_modal(e2e, GRACE, review_dm(e2e, GRACE, "QP-08-103"), "review.reject")
    assert view["callback_id"] == "review.reject_modal"
    submit(e2e, GRACE, view, reason="Alerts are IT's, not a quality question")
    rejected = str(review_dm(e2e, GRACE, "QP-08-103")["blocks"])
    assert f":wastebasket: Rejected by <@{GRACE.id}>" in rejected
    assert "Alerts are IT's, not a quality question" in rejected
    bank = load_bank(e2e.runtime.settings.bank)
    (qp08,) = [f for _, f in bank.files if f.procedure.id == "QP-08"]
    assert [(r.prompt, r.by) for r in qp08.rejected] == [
        ("Who gets <!channel> alerts & why?", GRACE.id)
    ]


def test_a_stranger_and_another_procedures_owner_are_refused(e2e: E2E, cli: Cli) -> None:
    post(e2e, cli)
    before = (e2e.runtime.settings.bank / "qp-12.yaml").read_bytes()
    message = review_dm(e2e, TOMASZ, "QP-12-101")
    for who in (AMARA, GRACE):
        # As if the message had reached them: the click comes from their own DM.
        theirs = {**message, "channel": e2e.sandbox.dm_channel(who.id)}
        click_button(e2e, who, theirs, "review.reject")
        assert e2e.reply_text(who) == (
            "Only the owner of QP-12 (Sales Manager) or an admin can review its questions, "
            "so nothing was changed."
        )
    assert e2e.sandbox.calls_to("views.open") == []
    # A forged submission of the reject modal is refused by the service all the same.
    forged = {"callback_id": "review.reject_modal", "private_metadata": _metadata(message)}
    submit(e2e, AMARA, forged, reason="I don't like it")
    # Slack won't show her a reply in Tomasz's DM, so she is told in her own.
    told = [m for m in e2e.sandbox.messages(AMARA.id) if "Only the owner of QP-12" in m["text"]]
    assert len(told) == 1
    assert (e2e.runtime.settings.bank / "qp-12.yaml").read_bytes() == before
    assert trail(e2e) == []
    # An admin may review any procedure's questions.
    assert open_modal(e2e, HELEN, message, "review.reject")["callback_id"] == "review.reject_modal"


def _metadata(message: dict[str, Any]) -> str:
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    question_id, seen = actions["elements"][0]["value"].split("|")
    return json.dumps([question_id, seen, message["channel"], message["ts"]])


def test_a_double_click_on_approve_records_once(e2e: E2E, cli: Cli) -> None:
    post(e2e, cli)
    message = review_dm(e2e, GRACE, "QP-08-102")
    click_button(e2e, GRACE, message, "review.approve")
    click_button(e2e, GRACE, message, "review.approve")
    e2e.settle()
    assert trail(e2e) == [("QP-08-102", "approved", GRACE.id, None)]
    assert e2e.reply_text(GRACE) == f"QP-08-102 was already approved by <@{GRACE.id}>."
    assert "Approved by" in str(review_dm(e2e, GRACE, "QP-08-102")["blocks"])


def test_a_slack_failure_while_posting_is_isolated_and_retried(e2e: E2E, cli: Cli) -> None:
    e2e.sandbox.fail_next("chat.postMessage", status=200, error="channel_not_found")
    args = ["questions", "review", "--in-slack", "--bank", str(e2e.runtime.settings.bank)]
    failed = CliRunner().invoke(cli_app, args)
    assert failed.exit_code == 1, failed.output
    assert "sent 3, already asked 0, failed 1" in failed.output
    assert "1 message(s) could not be sent" in failed.output
    assert "Traceback" not in failed.output
    assert "sent 1, already asked 3, failed 0" in post(e2e, cli)
    assert len(e2e.posts_to(GRACE)) + len(e2e.posts_to(TOMASZ)) == 4
