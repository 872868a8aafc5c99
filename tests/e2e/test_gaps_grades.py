"""Every grade rule, end to end: answers clicked in Slack, grades read in Slack and in JSON.

Each department × procedure cell is planted to meet one rule (min_people 3, weak below 70%):

| cell               | answers | people | why                                                     |
|--------------------|---------|--------|---------------------------------------------------------|
| Quality × QP-14    | 0 of 4  | 4      | major: the whole 95% interval is below one half         |
| Production × SP-06 | 1 of 3  | 3      | major: clause 45001 7.3 is weak in two departments      |
| Warehouse × SP-06  | 1 of 3  | 3      | major: the same clause                                  |
| Warehouse × QP-08  | 0 of 3  | 3      | minor: weak, the interval tops out between 50 and 70%   |
| Production × EP-03 | 1 of 3  | 3      | observation: weak, but the interval reaches 79%         |
| Quality × QP-08    | 3 of 3  | 3      | no gap                                                  |
| Production × QP-08 | 0 of 2  | 2      | not enough evidence, so clause 8.7 is weak in one place |
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.conftest import Enrol, Plan
from tests.e2e.harness import E2E
from tests.e2e.workspace import HELEN, roster_row, team

P1, P2, P3 = team("Production", 3)
W1, W2, W3 = team("Warehouse", 3)
QUALITY = team("Quality", 4)
PLAN: Plan = [
    ("QP-08-001", [(W1, "a"), (W2, "b"), (W3, "d"), (P1, "a"), (P2, "b")]
     + [(q, "c") for q in QUALITY[:3]]),
    ("QP-14-001", [(q, "a") for q in QUALITY]),
    ("SP-06-002", [(P1, "true"), (P2, "false"), (P3, "false"),
                   (W1, "true"), (W2, "false"), (W3, "false")]),
    ("EP-03-005", [(P1, "a"), (P2, "b"), (P3, "c")]),
]  # fmt: skip
GRADES = {
    ("Quality", "QP-14"): "major",
    ("Production", "SP-06"): "major",
    ("Warehouse", "SP-06"): "major",
    ("Warehouse", "QP-08"): "minor",
    ("Production", "EP-03"): "observation",
    ("Quality", "QP-08"): "no gap",
    ("Production", "QP-08"): "not enough evidence",
}
GAP_TITLES = [
    ":red_circle: *Quality × QP-14*: likely *major*",
    ":red_circle: *Production × SP-06*: likely *major*",
    ":red_circle: *Warehouse × SP-06*: likely *major*",
    ":large_orange_circle: *Warehouse × QP-08*: likely *minor*",
    ":large_yellow_circle: *Production × EP-03*: likely *observation*",
]


@pytest.fixture
def graded(e2e: E2E, enrol: Enrol, plant: Callable[[Plan], None]) -> E2E:
    people = [
        *((u, "Production") for u in (P1, P2, P3)),
        *((u, "Warehouse") for u in (W1, W2, W3)),
        *((u, "Quality") for u in QUALITY),
    ]
    enrol([u for u, _ in people], [roster_row(u, d) for u, d in people])
    plant(PLAN)
    return e2e


def _cells(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["department"], c["procedure"]): c for c in document["procedures"]}


def _sections(e2e: E2E, text: str) -> list[str]:
    """The section texts of the DM that `/awareness <text>` sends the admin."""
    before = len(e2e.posts_to(HELEN))
    response = e2e.command(HELEN, "/awareness", text)
    assert response.status_code == 200, response.text
    e2e.settle()
    post = e2e.wait_for_post(HELEN, before + 1)
    return [b["text"]["text"] for b in post.params["blocks"] if b["type"] == "section"]


def test_each_cell_gets_the_grade_its_rule_gives_in_slack_and_json(
    graded: E2E, cli: Callable[..., str]
) -> None:
    cells = _cells(json.loads(cli("report", "--format", "json")))
    assert {key: cell["grade"] for key, cell in cells.items()} == GRADES
    interval = {key: cell["interval"] for key, cell in cells.items()}
    assert interval["Quality", "QP-14"]["high"] < 0.5
    # Alone, these intervals would make an observation; the clause shared across departments
    # is what makes them major.
    assert interval["Production", "SP-06"]["high"] >= 0.7
    assert interval["Warehouse", "SP-06"]["high"] >= 0.7
    assert 0.5 <= interval["Warehouse", "QP-08"]["high"] < 0.7
    assert interval["Production", "EP-03"]["high"] >= 0.7

    titles = [t.split("\n")[0] for t in _sections(graded, "") if "likely *" in t]
    assert titles == GAP_TITLES


def test_too_few_people_is_not_enough_evidence_with_no_share_in_slack_or_json(
    graded: E2E, cli: Callable[..., str]
) -> None:
    cell = _cells(json.loads(cli("report", "--format", "json")))["Production", "QP-08"]
    assert (cell["answers"], cell["correct"], cell["people_answered"]) == (2, 0, 2)
    assert cell["enough_evidence"] is False
    assert cell["grade"] == "not enough evidence"
    for figure in ("share", "interval", "estimate", "auditor_chance", "previous_share", "trend"):
        assert cell[figure] is None, figure

    drill = _sections(graded, "department Production")
    (line,) = [s for s in drill if s.startswith(":white_circle: *QP-08*")]
    assert line == (
        ":white_circle: *QP-08*: not enough evidence\n"
        "0 of 2 answers right, 2 people: not enough evidence"
    )
    assert "%" not in line
    summary = "\n".join(_sections(graded, ""))
    assert "Production × QP-08" not in summary  # not a finding, so not among the top gaps


def test_the_drill_down_by_procedure_shows_each_departments_grade(graded: E2E) -> None:
    drill = _sections(graded, "procedure QP-08")
    heads = [s.split("\n")[0] for s in drill if s.startswith(":")]
    assert heads == [
        ":large_orange_circle: *Warehouse*: minor",
        ":white_circle: *Production*: not enough evidence",
        ":large_green_circle: *Quality*: no gap",
    ]
