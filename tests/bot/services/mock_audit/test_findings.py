"""A manager's mock findings never count a group small enough to single someone out.

The rule (docs/mock-audit.md, "Small groups in a manager's view"): in a manager's view, a
department with fewer than `min_people` (default 3) people sampled is withheld, and a
department where a role had fewer than that is counted without roles. Admins see every count.
Each test reads one round twice, as the department's manager and as an admin, in every format.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from slack_sdk import WebClient

from bot.reports.mock_audit import mock_report_html, mock_report_json, mock_report_markdown
from bot.sandbox.blockkit import validate_message
from bot.services.mock_audit.findings import MockReport, mock_report
from bot.services.mock_audit.service import MockAuditService
from bot.slack.mock_audit.export import send_findings
from bot.slack.mock_audit.views import findings_message
from storage.db import UnitOfWork
from tests.bot.services.mock_audit.test_service import (
    ADMIN,
    BAD_REPLY,
    GOOD_REPLY,
    PEOPLE,
    RecordingClient,
    enrol_for_mock,
    interview_all,
    plan,
)
from tests.conftest import Clock

WAREHOUSE_WITHHELD = "Warehouse: fewer than 3 people interviewed; details withheld."
# 9 in Production (6 operators, 3 supervisors): 3 sampled, 2 operators and 1 supervisor.
# 9 pickers in Stores: 3 sampled. 2 drivers in Warehouse: both sampled.
MIXED = (
    [(f"PO{i}", "Production", "operator") for i in range(6)]
    + [(f"PS{i}", "Production", "supervisor") for i in range(3)]
    + [(f"SP{i}", "Stores", "picker") for i in range(9)]
    + [(f"WD{i}", "Warehouse", "driver") for i in range(2)]
)


def every_format(report: MockReport) -> dict[str, str]:
    """Everything a reader sees of the report: the Slack summary and each document."""
    message = findings_message(report)
    assert validate_message(message["text"], message["blocks"]) == []
    slack = "\n".join(block["text"]["text"] for block in message["blocks"])
    return {
        "slack": slack,
        "html": mock_report_html(report),
        "markdown": mock_report_markdown(report),
        "json": mock_report_json(report),
    }


def closed_round(mock: MockAuditService, replies: Callable[[str], str]) -> int:
    """A round over every department, each person sampled replying `replies(slack id)`."""
    started = mock.start(caller=ADMIN, plan=plan())
    interview_all(mock, started, {i.slack_user: replies(i.slack_user) for i in started.invitations})
    mock.close(caller=ADMIN, round_id=started.round_id)
    return started.round_id


@pytest.fixture
def warehouse_fails(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> int:
    """Production (2 sampled) answers well; of the 2 sampled in Warehouse, one fails."""
    mock = enrol_for_mock(uow, clock, tmp_path, PEOPLE)
    failing: list[str] = []

    def reply(user: str) -> str:
        if user.startswith("W") and not failing:
            failing.append(user)
            return BAD_REPLY
        return GOOD_REPLY

    return closed_round(mock, reply)


def test_a_manager_sees_no_counts_for_a_department_of_two(
    uow: Callable[[], UnitOfWork], warehouse_fails: int
) -> None:
    manager = mock_report(uow, round_id=warehouse_fails, departments=["Warehouse"])
    admin = mock_report(uow, round_id=warehouse_fails, departments=None)

    assert (manager.withheld, manager.min_people) == (["Warehouse"], 3)
    assert (manager.interviews, manager.completed, manager.awaiting_review) == (0, 0, 0)
    assert (manager.sampled, manager.findings, manager.strengths) == ({}, [], [])
    for name, text in every_format(manager).items():
        assert "driver" not in text and "could" not in text, name
        assert WAREHOUSE_WITHHELD in text or name == "json", name
    assert "_No findings to show._" in every_format(manager)["slack"]
    document = json.loads(every_format(manager)["json"])
    assert (document["withheld"], document["min_people"], document["sampled"]) == (
        ["Warehouse"],
        3,
        [],
    )

    assert (admin.withheld, admin.min_people) == ([], None)
    assert admin.sampled[("Warehouse", "driver")] == 2
    for name, text in every_format(admin).items():
        assert "withheld" not in text.replace('"withheld": []', ""), name
        assert "Of 2 people sampled in Warehouse (2 drivers), 1 could not" in text, name


def test_the_findings_a_manager_is_sent_withhold_a_department_of_two(
    uow: Callable[[], UnitOfWork], warehouse_fails: int
) -> None:
    # What `/awareness mock-audit report N` sends: a manager passes her departments, an admin
    # passes none.
    sent = {}
    for who, departments in (("UMANAGER", ["Warehouse"]), ("UADMIN", None)):
        client = RecordingClient()
        report = mock_report(uow, round_id=warehouse_fails, departments=departments)
        send_findings(client=cast(WebClient, client), report=report, user=who)
        (message,) = client.messages
        (page,) = client.contents
        sent[who] = json.dumps(message["blocks"]) + page

    assert WAREHOUSE_WITHHELD in sent["UMANAGER"]
    assert "could not" not in sent["UMANAGER"] and "driver" not in sent["UMANAGER"]
    assert "1 could not (1 driver)" in sent["UADMIN"]
    assert "withheld" not in sent["UADMIN"]


@pytest.fixture
def mixed(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> MockAuditService:
    return enrol_for_mock(uow, clock, tmp_path, MIXED)


def test_a_role_too_small_to_show_is_folded_into_its_department(
    uow: Callable[[], UnitOfWork], mixed: MockAuditService
) -> None:
    round_id = closed_round(mixed, lambda user: BAD_REPLY if user.startswith("PS") else GOOD_REPLY)
    manager = mock_report(uow, round_id=round_id, departments=["Production", "Stores", "Warehouse"])
    admin = mock_report(uow, round_id=round_id, departments=None)

    assert manager.withheld == ["Warehouse"]
    assert dict(manager.sampled) == {("Production", "all roles"): 3, ("Stores", "picker"): 3}
    (finding,) = [f for f in manager.findings if f.clause == "8.7"]
    assert finding.statement == (
        "Of 3 people sampled in Production, 1 could not describe what to do when things go wrong."
    )
    assert finding.evidence.startswith(
        "Production, what to do when things go wrong: 3 people sampled; 2 could describe it, "
        "1 could not. Stores, what to do when things go wrong: 3 people sampled (3 pickers);"
    )
    formats = every_format(manager)
    for name, text in formats.items():
        assert "supervisor" not in text and "operator" not in text, name
        assert WAREHOUSE_WITHHELD in text or name == "json", name
    assert json.loads(formats["json"])["withheld"] == ["Warehouse"]
    assert all("3 pickers" in formats[name] for name in ("html", "markdown", "json"))

    (seen,) = [f for f in admin.findings if f.clause == "8.7"]
    assert seen.statement == (
        "Of 3 people sampled in Production (2 operators, 1 supervisor), 1 could not describe what "
        "to do when things go wrong."
    )
    for name, text in every_format(admin).items():
        assert "(2 operators, 1 supervisor)" in text, name
        assert "withheld" not in text.replace('"withheld": []', ""), name
    assert "2 drivers" in every_format(admin)["html"]


def test_the_smallest_group_shown_is_a_setting(
    uow: Callable[[], UnitOfWork], mixed: MockAuditService
) -> None:
    round_id = closed_round(mixed, lambda user: GOOD_REPLY)
    everyone = ["Production", "Stores", "Warehouse"]

    strict = mock_report(uow, round_id=round_id, departments=everyone, min_people=4)
    lenient = mock_report(uow, round_id=round_id, departments=everyone, min_people=1)

    assert strict.withheld == everyone and strict.interviews == 0
    assert (
        "Stores: fewer than 4 people interviewed; details withheld."
        in (every_format(strict)["markdown"])
    )
    assert lenient.withheld == [] and lenient.interviews == 8
    assert lenient.sampled[("Production", "supervisor")] == 1
