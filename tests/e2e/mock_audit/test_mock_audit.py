"""A whole mock audit round over HTTP: start, sample, interview, review, close, findings.

Helen (an admin) starts the round from the `/awareness mock-audit start` modal: every standard,
Production and Sales, at most 3 people per department. Production has 10 people (⌈√10⌉ = 4,
capped at 3) and Sales 5 (⌈√5⌉ = 3). Each interview asks one question per stage: INT-01-001
(open), -014 (buttons), -005 (open), -006 in Production or -010 in Sales (open), -017 (buttons).
Every open reply is also redelivered by Slack (retry headers) and then edited by its author.

The planted pattern:
- two Production people answer well but fail the part that doesn't meet the drawing
  (INT-01-006): one outright, one that the grader is unsure of and Helen grades fail in the
  grade modal; the third Production person never replies;
- Sales answer everything well; the grader is unsure of one complaint answer (INT-01-010) and
  Helen passes it with the review DM's button.

What the rules of bot/domain/mock_audit/findings.py make of it, worked out by hand:
- ISO 9001:2015 8.7 is only asked in Production, and both who answered failed: most failed, so
  a major nonconformity;
- ISO 9001:2015 7.3 is on every question: 2 of 25 answers failed, all in Production: minor;
- the person not available for interview makes each other requirement they were asked about an
  observation, most unavailable answers first: 14001 and 45001 7.3 (3 each), 27001 7.3 (2),
  9001 7.5 (1);
- ISO 9001:2015 9.1.2 is only asked in Sales, where all three passed: a strength.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.sandbox.requests import message_ts
from storage import models
from tests.e2e.harness import E2E, message_text
from tests.e2e.interviews import (
    InterviewThread,
    await_grade_notice,
    await_thread,
    click_button,
    interview_threads,
    reply_edited_body,
    start_mock_audit,
    stored_text,
    thread_messages,
    thread_reply_body,
    view_submission_body,
)
from tests.e2e.pages import html_cells
from tests.e2e.payloads import retry_headers
from tests.e2e.workspace import HELEN, MOCK_PRODUCTION, MOCK_SALES, PEOPLE

EVERYONE = (*PEOPLE, *MOCK_PRODUCTION, *MOCK_SALES)
DEPARTMENTS, CAP = ["Production", "Sales"], 3
STAGES = [
    ("policy", "The policy"),
    ("objectives", "Objectives and your contribution"),
    ("procedures", "The procedures for your work"),
    ("problems", "When things go wrong"),
    ("implications", "If the system isn't followed"),
]
RIGHT = {"INT-01-014": "b", "INT-01-017": "b"}  # the closed questions' right options
GOOD = {
    "INT-01-001": "It commits us to customer satisfaction, health and safety and the environment",
    "INT-01-005": "In the IMS library on the intranet; I check the revision number in the footer",
    "INT-01-010": "I take the details and the order number, log it in the CRM complaints log and "
    "pass it to quality",
}
FAILS_006 = "I'd just fix it myself and send it on"
UNSURE_006 = "Put it aside and maybe mention it to the chargehand later?"
UNSURE_010 = "Get the order number and let the despatch office deal with it"
NOTE = "No tag and nobody who decides: the part could still be used."
# For each sampled person in turn: their replies that differ from GOOD; None never replies.
SCRIPTS: dict[str, list[dict[str, str] | None]] = {
    "Production": [{"INT-01-006": FAILS_006}, {"INT-01-006": UNSURE_006}, None],
    "Sales": [{}, {"INT-01-010": UNSURE_010}, {}],
}
FINDINGS = [
    ("MA-01", "major nonconformity", "ISO 9001:2015", "8.7"),
    ("MA-02", "minor nonconformity", "ISO 9001:2015", "7.3"),
    ("MA-03", "observation", "ISO 14001:2015", "7.3"),
    ("MA-04", "observation", "ISO 45001:2018", "7.3"),
    ("MA-05", "observation", "ISO 9001:2015", "7.5"),
    ("MA-06", "observation", "ISO/IEC 27001:2022", "7.3"),
]
STRENGTH = "ISO 9001:2015 9.1.2: what to do when things go wrong"

Message = dict[str, Any]  # as the sandbox stores it, with its channel
Said = dict[tuple[str, str], tuple[str, str]]  # (slack id, question) -> (reply, grader's verdict)


@pytest.mark.usefixtures("slack_env")  # settings as in production, with a Slack token
def test_a_whole_mock_audit_round(mock_company: E2E, cli: Callable[..., str]) -> None:
    e2e = mock_company
    round_id, modal = start_mock_audit(e2e, HELEN, departments=DEPARTMENTS, cap=CAP)
    _check_start_modal(modal)
    threads = _check_sample(e2e, round_id)

    said: Said = {}
    for department, scripts in SCRIPTS.items():
        for thread, script in zip(threads[department], scripts, strict=True):
            if script is not None:
                _interview(e2e, thread, script, said)
    _check_replies(e2e, round_id, said)

    _pass_with_the_button(e2e, _item_replied(e2e, UNSURE_010))
    _fail_in_the_grade_modal(e2e, _item_replied(e2e, UNSURE_006))

    silent = threads["Production"][2].user
    summary, page = _close(e2e, round_id, silent.id)
    _check_summary(summary, round_id)
    assert (_html_findings(page), _html_strengths(page)) == (FINDINGS, [STRENGTH])
    _check_cli(cli, round_id)


# -- 1 and 2: the modal, and whom it sampled ---------------------------------------------------


def _check_start_modal(modal: Message) -> None:
    assert modal["callback_id"] == "mock_audit.start"
    inputs = {b["block_id"]: b["element"] for b in modal["blocks"] if b["type"] == "input"}
    assert {k: (e["type"], e["action_id"]) for k, e in inputs.items()} == {
        "standards": ("checkboxes", "value"),
        "departments": ("multi_static_select", "value"),
        "cap": ("plain_text_input", "value"),
        "hours": ("plain_text_input", "value"),
    }
    assert [o["value"] for o in inputs["standards"]["options"]] == [
        "ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018", "ISO/IEC 27001:2022"
    ]  # fmt: skip
    departments = [o["value"] for o in inputs["departments"]["options"]]
    assert departments == ["Production", "Quality", "Sales", "Warehouse"]


def _check_sample(e2e: E2E, round_id: int) -> dict[str, list[InterviewThread]]:
    with e2e.session() as session:
        people = session.execute(
            select(models.Person.department, func.count())
            .where(models.Person.is_active.is_(True), models.Person.department.in_(DEPARTMENTS))
            .group_by(models.Person.department)
        )
        sizes = {department: int(n) for department, n in people}
    assert sizes == {"Production": 10, "Sales": 5}
    expected = {d: max(1, min(math.ceil(math.sqrt(n)), CAP)) for d, n in sizes.items()}
    threads = interview_threads(e2e, round_id, EVERYONE)
    assert {d: len(t) for d, t in threads.items()} == expected == {"Production": 3, "Sales": 3}
    invited = [
        c.params["channel"]
        for c in e2e.sandbox.calls_to("chat.postMessage")
        if c.ok and c.params.get("text") == "A 5-minute practice interview"
    ]
    sampled = [t.user.id for department in threads.values() for t in department]
    assert sorted(invited) == sorted(sampled)  # one invitation each, to nobody else
    for thread in (t for department in threads.values() for t in department):
        invitation = e2e.sandbox.message(thread.channel, thread.ts)
        assert "thread_ts" not in invitation and "5 short questions" in stored_text(invitation)
    return threads


# -- 3 and 4: the interviews --------------------------------------------------------------------


def _interview(e2e: E2E, thread: InterviewThread, script: dict[str, str], said: Said) -> None:
    """Answer every question, in the auditor's order, the way the script says."""
    for position, (stage, label) in enumerate(STAGES, start=1):
        question = await_thread(e2e, thread, position)[-1]
        assert _context(question) == f"Question {position} of {len(STAGES)} · {label}"
        item_id, code, asked_stage = _asked(e2e, question["ts"])
        assert asked_stage == stage
        if code in RIGHT:
            assert _actions(question)["block_id"] == f"interview:{item_id}"
            _click(e2e, thread, question, RIGHT[code], asked=position)
            said[(thread.user.id, code)] = (RIGHT[code], "pass")
        else:
            assert "Reply in this thread" in stored_text(question)
            text = script.get(code) or GOOD[code]
            _say(e2e, thread, text, asked=position)
            said[(thread.user.id, code)] = (text, _grader_verdict(text))
    thanks = await_thread(e2e, thread, len(STAGES) + 1)[-1]
    assert "that's the whole interview" in thanks["text"]


def _click(e2e: E2E, thread: InterviewThread, question: Message, key: str, asked: int) -> None:
    """Click an option's button, then click it again: only the first click counts."""
    assert "Reply in this thread" not in stored_text(question)
    click_button(e2e, thread.user, question, f"interview.answer.{key}")
    await_thread(e2e, thread, asked + 1)
    click_button(e2e, thread.user, question, f"interview.answer.{key}")
    e2e.settle()
    assert len(thread_messages(e2e, thread)) == asked + 1


def _say(e2e: E2E, thread: InterviewThread, text: str, *, asked: int) -> None:
    """Reply; then Slack redelivers the event and the person edits the reply. Only the first
    delivery counts: nothing more is posted in the thread."""
    ts = message_ts()
    body = thread_reply_body(thread, text=text, ts=ts)
    assert e2e.slack.json(body).status_code == 200
    await_thread(e2e, thread, asked + 1)
    assert e2e.slack.json(body, headers=retry_headers(attempt=1)).status_code == 200
    edit = reply_edited_body(thread, ts=ts, before=text, after=f"{text}, and I'd tell quality")
    assert e2e.slack.json(edit).status_code == 200
    e2e.settle()
    assert len(thread_messages(e2e, thread)) == asked + 1


def _grader_verdict(text: str) -> str:
    return {FAILS_006: "fail", UNSURE_006: "unsure", UNSURE_010: "unsure"}.get(text, "pass")


def _actions(message: Message) -> dict[str, Any]:
    return next(b for b in message["blocks"] if b["type"] == "actions")


def _context(message: Message) -> str:
    return str(next(b for b in message["blocks"] if b["type"] == "context")["elements"][0]["text"])


def _asked(e2e: E2E, ts: str) -> tuple[int, str, str]:
    with e2e.session() as session:
        item = session.scalars(
            select(models.InterviewItem).where(models.InterviewItem.asked_ts == ts)
        )
        (found,) = item.all()
        return found.id, found.question_code, found.stage


def _check_replies(e2e: E2E, round_id: int, said: Said) -> None:
    """Each question ends with exactly one reply, the first one sent, graded once."""
    with e2e.session() as session:
        rows = session.execute(
            select(models.Person.slack_id, models.InterviewItem)
            .join(models.Interview, models.Interview.id == models.InterviewItem.interview_id)
            .join(models.Person, models.Person.id == models.Interview.person_id)
            .where(
                models.Interview.mock_round_id == round_id, models.InterviewItem.reply.is_not(None)
            )
        ).all()
        recorded = {(who, i.question_code): (i.reply, i.verdict) for who, i in rows}
        grades = Counter(session.scalars(select(models.GradeChange.item_id)))
    assert recorded == said
    assert sorted(grades.values()) == [1] * len(said)


def _item_replied(e2e: E2E, reply: str) -> int:
    with e2e.session() as session:
        found = session.scalars(
            select(models.InterviewItem.id).where(models.InterviewItem.reply == reply)
        )
        (item_id,) = found.all()
        return item_id


# -- 5: the admin's grades ----------------------------------------------------------------------


def _review_dm(e2e: E2E, item_id: int) -> Message:
    (message,) = [
        m
        for m in e2e.sandbox.messages(HELEN.id)
        if any(b.get("block_id") == f"review:{item_id}" for b in m["blocks"])
    ]
    return message


def _history(e2e: E2E, item_id: int) -> list[tuple[str, str, str | None]]:
    with e2e.session() as session:
        changes = session.scalars(
            select(models.GradeChange)
            .where(models.GradeChange.item_id == item_id)
            .order_by(models.GradeChange.id)
        )
        return [(c.verdict, c.by, c.note) for c in changes]


def _pass_with_the_button(e2e: E2E, item_id: int) -> None:
    review = _review_dm(e2e, item_id)
    assert UNSURE_010 in stored_text(review)
    click_button(e2e, HELEN, review, "interview.grade.pass")
    await_grade_notice(e2e, HELEN, "pass")
    history = [(verdict, by) for verdict, by, _note in _history(e2e, item_id)]
    assert history == [("unsure", "grader"), ("pass", HELEN.id)]


def _fail_in_the_grade_modal(e2e: E2E, item_id: int) -> None:
    before = len(e2e.sandbox.calls_to("views.open"))
    click_button(e2e, HELEN, _review_dm(e2e, item_id), "mock_audit.change_grade")
    modal = e2e.sandbox.wait_for("views.open", before + 1)[-1].params["view"]
    assert (modal["callback_id"], modal["private_metadata"]) == ("mock_audit.grade", str(item_id))
    assert UNSURE_006 in json.dumps(modal["blocks"])
    verdict = next(b for b in modal["blocks"] if b.get("block_id") == "verdict")["element"]
    fail = next(o for o in verdict["options"] if o["value"] == "fail")
    values = {
        "verdict": {"value": {"type": "radio_buttons", "selected_option": fail}},
        "note": {"value": {"type": "plain_text_input", "value": NOTE}},
    }
    response = e2e.slack.form(view_submission_body(user=HELEN, view=modal, values=values))
    assert response.status_code == 200 and response.text == "", response.text
    await_grade_notice(e2e, HELEN, "fail")
    history = _history(e2e, item_id)
    assert [(v, by) for v, by, _ in history] == [("unsure", "grader"), ("fail", HELEN.id)]
    assert history[-1][2] == NOTE


# -- 6: closing, and the findings ---------------------------------------------------------------


def _close(e2e: E2E, round_id: int, silent: str) -> tuple[str, str]:
    """Close the round; the admin's findings summary and the HTML report uploaded with it."""
    e2e.command(HELEN, "/awareness", f"mock-audit close {round_id}").raise_for_status()
    e2e.sandbox.wait_for("files.completeUploadExternal")
    closing = e2e.reply_text(HELEN)
    assert closing == f"Closing mock audit #{round_id}: 1 not available for interview."
    with e2e.session() as session:
        statuses = session.execute(
            select(models.Person.slack_id, models.Interview.status)
            .join(models.Person, models.Person.id == models.Interview.person_id)
            .where(models.Interview.mock_round_id == round_id)
        )
        by_status = {who: status for who, status in statuses}
    assert by_status.pop(silent) == "unavailable"
    assert set(by_status.values()) == {"completed"}
    (summary,) = [
        c
        for c in e2e.sandbox.calls_to("chat.postMessage")
        if c.ok
        and c.params.get("channel") == HELEN.id
        and c.params.get("text") == f"Mock audit #{round_id} findings"
    ]
    (upload,) = e2e.sandbox.uploads()
    assert upload["filename"] == f"mock-audit-{round_id}.html"
    assert upload["channel_id"] == e2e.sandbox.dm_channel(HELEN.id)
    texts = message_text(summary), bytes(upload["content"]).decode("utf-8")
    for text in texts:
        _names_nobody(text)
    return texts


def _names_nobody(text: str) -> None:
    for user in EVERYONE:
        assert user.id not in text and user.name not in text and str(user.email) not in text


def _check_summary(summary: str, round_id: int) -> None:
    header = (
        f"*Mock audit #{round_id}* (closed): 6 sampled, 5 completed, 1 not available for interview"
    )
    assert header + "\n" in summary  # nothing awaits a grade
    found = re.findall(r"^\*(MA-\d\d) · ([a-z ]+)\* · (ISO\S* \S+) (\S+)$", summary, re.MULTILINE)
    assert found == FINDINGS
    assert f"*Strengths*\n• {STRENGTH}" in summary


def _html_findings(page: str) -> list[tuple[str, str, str, str]]:
    rows = [r for r in html_cells(page)[0] if r]  # the header row has no <td>
    return [(r[0], r[5], *r[1].rsplit(" ", 1)) for r in rows]


def _html_strengths(page: str) -> list[str]:
    return [item.split(". ", 1)[0] for item in html_cells(page)[1]]


def _check_cli(cli: Callable[..., str], round_id: int) -> None:
    report = json.loads(cli("mock-audit", "report", str(round_id), "--format", "json"))
    findings = [
        (f["reference"], f["grade"], f["standard"], f["clause"]) for f in report["findings"]
    ]
    assert findings == FINDINGS
    reasons = {
        f["clause"]: f["reason"] for f in report["findings"] if f["standard"] == "ISO 9001:2015"
    }
    assert reasons["8.7"].startswith("Most of those who answered could not: 2 of 2.")
    assert reasons["7.3"].startswith("Evidence of a nonconformity confined to Production:")
    strengths = [f"{s['standard']} {s['clause']}: {s['topic']}" for s in report["strengths"]]
    assert strengths == [STRENGTH]
    assert (report["interviews"], report["completed"], report["not_available"]) == (6, 5, 1)
    _names_nobody(cli("mock-audit", "report", str(round_id), "--format", "md"))
