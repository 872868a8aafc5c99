"""Every grade rule, end to end: answers clicked in Slack, grades read in Slack and in JSON.

The cells are planted through Slack (min_people 3):

| cell               | answers | people | planted                                  |
|--------------------|---------|--------|------------------------------------------|
| Quality × QP-14    | 0 of 4  | 4      | everyone wrong                           |
| Production × SP-06 | 1 of 3  | 3      | mostly wrong                             |
| Warehouse × SP-06  | 1 of 3  | 3      | mostly wrong: the same clause            |
| Warehouse × QP-08  | 0 of 3  | 3      | everyone wrong where Quality is right    |
| Production × EP-03 | 1 of 3  | 3      | mostly wrong                             |
| Quality × QP-08    | 3 of 3  | 3      | everyone right                           |
| Production × QP-08 | 0 of 2  | 2      | too few people: not enough evidence      |

Which grade a 0-of-3 cell earns is the model's business (tests/bot/domain and the calibration
benchmark); here every cell's grade must follow from its probabilities by the documented rule,
and read the same in Slack as in JSON.
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


def rule(cell: dict[str, Any]) -> str:
    """The grade docs/statistics.md gives for a cell's people and probabilities."""
    if cell["people_answered"] < 3:
        return "not enough evidence"
    if cell["p_major"] >= 0.95:
        return "major"
    if cell["p_weak"] >= 0.95:
        return "minor"
    return "observation" if cell["p_weak"] >= 0.8 else "no gap"


def sure(probability: float) -> str:
    return ">99%" if probability > 0.995 else f"{probability * 100:.0f}%"


def test_each_cell_gets_the_grade_its_rule_gives_in_slack_and_json(
    graded: E2E, cli: Callable[..., str]
) -> None:
    document = json.loads(cli("report", "--format", "json"))
    cells = _cells(document)
    assert set(cells) == {
        ("Quality", "QP-14"),
        ("Production", "SP-06"),
        ("Warehouse", "SP-06"),
        ("Warehouse", "QP-08"),
        ("Production", "EP-03"),
        ("Quality", "QP-08"),
        ("Production", "QP-08"),
    }
    for key, cell in cells.items():
        assert cell["grade"] == rule(cell), key
    # Everyone else was right on QP-08, so Warehouse's 0 of 3 there is a gap of some grade.
    assert cells["Warehouse", "QP-08"]["grade"] in ("observation", "minor", "major")
    assert cells["Quality", "QP-08"]["grade"] == "no gap"

    titles = [t.split("\n")[0] for t in _sections(graded, "") if "likely *" in t]
    expected = [
        f"*{g['department']} × {g['procedure']}*: likely *{g['grade']}*, {sure(g['sureness'])} sure"
        for g in document["top_gaps"]
    ]
    assert [t.split(" ", 1)[1] for t in titles] == expected


def test_too_few_people_is_not_enough_evidence_with_no_share_in_slack_or_json(
    graded: E2E, cli: Callable[..., str]
) -> None:
    cell = _cells(json.loads(cli("report", "--format", "json")))["Production", "QP-08"]
    assert (cell["answers"], cell["correct"], cell["people_answered"]) == (2, 0, 2)
    assert cell["enough_evidence"] is False
    assert cell["grade"] == "not enough evidence"
    for figure in ("interval", "estimate", "auditor_chance", "p_weak", "p_major", "sureness"):
        assert cell[figure] is None, figure

    drill = _sections(graded, "department Production")
    (line,) = [s for s in drill if s.startswith(":white_circle: *QP-08*")]
    assert "not enough evidence" in line
    assert "%" not in line
    summary = "\n".join(_sections(graded, ""))
    assert "Production × QP-08" not in summary  # not a finding, so not among the top gaps


def test_the_drill_down_by_procedure_lists_departments_in_the_reports_order(
    graded: E2E, cli: Callable[..., str]
) -> None:
    cells = [c for c in json.loads(cli("report", "--format", "json"))["procedures"]]
    judged = sorted(
        (c for c in cells if c["procedure"] == "QP-08" and c["enough_evidence"]),
        key=lambda c: (-c["finding_chance"], -c["answers"], c["department"]),
    )
    drill = _sections(graded, "procedure QP-08")
    heads = [s.split("\n")[0] for s in drill if s.startswith(":")]
    assert [h.split("*")[1] for h in heads] == [
        *(c["department"] for c in judged),
        "Production",  # not enough evidence comes last
    ]
    for head, cell in zip(heads, judged, strict=False):
        assert f"likely *{cell['grade']}*" in head
