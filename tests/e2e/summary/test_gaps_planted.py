"""A pattern of answers planted through Slack comes out of every gap report, and nothing else does.

Seventeen people in three departments ask for questions with `/quiz` and click the options the
plan gives them. Three things are planted:

- Warehouse gets QP-08 wrong: 2 of its 12 answers are right (6 people);
- on QP-08-001, 6 of the 12 answers pick the same wrong option "a";
- QP-05-001 is failed by two people who get everything else right, while Warehouse, the weakest
  department, gets it right: strong performers fail it.

The admin's `/awareness` DM, `auditready report --format json` and `--format html` must each
show exactly these: one gap (anything else at most an observation, worth watching), one
practice flag naming Warehouse, and the question-quality flag
that a significance test worked out here from the plan gives (or none).
"""

from __future__ import annotations

import base64
import json
import math
import statistics
from collections import defaultdict
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest

from bot.sandbox import SandboxUser
from questions.model import Question
from tests.e2e.conftest import Enrol, Plan
from tests.e2e.harness import E2E
from tests.e2e.workspace import HELEN, roster_row, sample_bank, team

PRODUCTION, WAREHOUSE, QUALITY = team("Production", 6), team("Warehouse", 6), team("Quality", 5)
# QP-08-001 draws the common wrong answer, QP-08-003's wrong answers are spread out, strong
# performers fail QP-05-001, and QP-05-002 keeps Production's QP-05 share up.
PRACTICE, SPREAD, STRONG_FAIL, FILLER = "QP-08-001", "QP-08-003", "QP-05-001", "QP-05-002"
PLAN: Plan = [
    (PRACTICE, [*((w, "a") for w in WAREHOUSE), *((p, "c") for p in PRODUCTION)]),
    (
        SPREAD,
        [
            *zip(WAREHOUSE, ["a", "a", "b", "b", "c", "d"], strict=True),
            *((p, "a") for p in PRODUCTION),
            *((q, "a") for q in QUALITY),
        ],
    ),
    (
        STRONG_FAIL,
        [
            *((w, "d") for w in WAREHOUSE),
            *zip(PRODUCTION, ["d", "d", "d", "d", "a", "b"], strict=True),
            *((q, "d") for q in QUALITY),
        ],
    ),
    (FILLER, [(p, "true") for p in PRODUCTION]),
]
# The planted gap: Warehouse × QP-08.
GAP_ANSWERS, GAP_CORRECT, GAP_PEOPLE = 12, 2, 6
INTERVIEWED = 3


def _question(code: str) -> Question:
    return next(q for _path, f in sample_bank().files for q in f.questions if q.id == code)


def _right(code: str) -> str:
    answer = _question(code).answer
    if isinstance(answer, bool):
        return "true" if answer else "false"
    return answer if isinstance(answer, str) else ",".join(answer or [])


def _option(code: str, key: str) -> str:
    return dict(_question(code).options)[key]


def wilson(correct: int, answers: int) -> tuple[float, float]:
    """The 95% Wilson score interval, written out here rather than taken from the product."""
    z = statistics.NormalDist().inv_cdf(0.975)
    share = correct / answers
    centre = share + z * z / (2 * answers)
    spread = z * math.sqrt(share * (1 - share) / answers + z * z / (4 * answers * answers))
    return (centre - spread) / (1 + z * z / answers), (centre + spread) / (1 + z * z / answers)


def discrimination(code: str) -> float:
    """Pearson's r between right on `code` and the share right on every other question."""
    results: dict[str, dict[str, bool]] = defaultdict(dict)
    for question, answers in PLAN:
        for user, keys in answers:
            results[user.id][question] = keys == _right(question)
    pairs = [
        (float(mine[code]), sum(ok for q, ok in mine.items() if q != code) / (len(mine) - 1))
        for mine in results.values()
        if code in mine and len(mine) > 1
    ]
    return statistics.correlation([x for x, _ in pairs], [y for _, y in pairs])


def pct(value: float) -> str:
    return f"{value * 100:.0f}%"


@pytest.fixture
def planted(e2e: E2E, enrol: Enrol, plant: Callable[[Plan], None]) -> E2E:
    people: list[tuple[SandboxUser, str]] = [
        *((u, "Production") for u in PRODUCTION),
        *((u, "Warehouse") for u in WAREHOUSE),
        *((u, "Quality") for u in QUALITY),
    ]
    enrol([u for u, _ in people], [roster_row(u, d) for u, d in people])
    plant(PLAN)
    return e2e


def test_a_planted_pattern_surfaces_in_the_dm_the_json_and_the_html(
    planted: E2E, cli: Callable[..., str]
) -> None:
    _check_awareness_dm(planted)
    _check_json(json.loads(cli("report", "--format", "json")))
    _check_html(cli("report", "--format", "html"))


# -- Slack -------------------------------------------------------------------------------------


def _check_awareness_dm(e2e: E2E) -> None:
    e2e.command(HELEN, "/awareness").raise_for_status()
    assert "direct message" in e2e.reply_text(HELEN)
    (summary,) = e2e.posts_to(HELEN)
    blocks = summary.params["blocks"]
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    gap, *watch = [t for t in texts if "likely *" in t]
    # Anything else listed is only worth watching: an observation, not a finding.
    assert all("likely *observation*" in t for t in watch), watch
    title, evidence = gap.split("\n", 1)
    assert title.startswith(
        ":red_circle: *Warehouse × QP-08*: likely *major*, "
    ) or title.startswith(":large_orange_circle: *Warehouse × QP-08*: likely *minor*, "), title
    assert title.endswith("% sure")
    assert f"{GAP_CORRECT} of {GAP_ANSWERS} answers right, {GAP_PEOPLE} people" in evidence
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons][:3] == [
        ("gaps.department", "Warehouse"),
        ("gaps.procedure", "QP-08"),
        ("gaps.quiz", "Warehouse"),
    ]
    (practice,) = [t for t in texts if t.startswith("*Practice may differ from the procedure*")]
    assert "Warehouse" in practice and PRACTICE in practice
    assert f"“{_option(PRACTICE, 'a')}”" in practice and f"“{_option(PRACTICE, 'c')}”" in practice
    checks = [t for t in texts if t.startswith("*Check these questions before blaming staff*")]
    assert bool(checks) == bool(strong_fail_flagged())
    contexts = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    assert any(" as of " in t for t in contexts)


def strong_fail_flagged() -> list[str]:
    """The questions a one-sided Fisher-z test of r < 0, with Benjamini–Hochberg at 5% over the
    questions with 10 or more people, flags: worked out here from the plan, not by the product."""
    people = {q: len(answers) for q, answers in PLAN}
    tested = sorted(q for q in people if people[q] >= 10 and q != FILLER)
    p_values = {
        q: statistics.NormalDist().cdf(math.atanh(discrimination(q)) * math.sqrt(people[q] - 3))
        for q in tested
    }
    ordered = sorted(tested, key=p_values.__getitem__)
    cut = max(
        (rank for rank, q in enumerate(ordered, 1) if p_values[q] <= 0.05 * rank / len(tested)),
        default=0,
    )
    return ordered[:cut]


# -- JSON --------------------------------------------------------------------------------------


def _check_json(document: dict[str, Any]) -> None:
    top, *watch = document["top_gaps"]
    assert {g["grade"] for g in watch} <= {"observation"}
    assert top["department"] == "Warehouse" and top["procedure"] == "QP-08"
    assert (top["answers"], top["correct"], top["people_answered"]) == (12, 2, 6)
    assert top["grade"] in ("minor", "major") and top["enough_evidence"] is True
    assert top["p_weak"] >= 0.95
    assert top["share"] == pytest.approx(GAP_CORRECT / GAP_ANSWERS, abs=5e-5)
    assert top["interval"]["low"] <= top["estimate"] <= top["interval"]["high"] < 0.7
    # Warehouse's own questions were answered right by everyone else, so it was expected to get
    # nearly all of them right.
    assert top["expected"] > 10
    assert 0 < top["auditor_chance"] <= 1
    others = {(c["department"], c["procedure"]): c["grade"] for c in document["procedures"]}
    others.pop(("Warehouse", "QP-08"))
    assert set(others.values()) <= {"no gap", "not enough evidence", "observation"}, others
    _check_json_flags(document)


def _check_json_flags(document: dict[str, Any]) -> None:
    (flag,) = document["practice"]
    assert (flag["department"], flag["question"], flag["procedure"]) == (
        "Warehouse",
        PRACTICE,
        "QP-08",
    )
    assert flag["wrong_choice"] == "a"
    assert (flag["chosen"], flag["answers"]) == (6, 6)
    assert flag["wrong_text"] == _option(PRACTICE, "a")
    assert flag["right_text"] == _option(PRACTICE, "c")
    assert flag["q_value"] <= 0.05
    quality = {q["question"]: q for q in document["question_quality"]}
    flagged = {code for code, q in quality.items() if q["flags"]}
    assert flagged == set(strong_fail_flagged())
    for code in (PRACTICE, SPREAD, STRONG_FAIL):
        expected = discrimination(code)
        assert quality[code]["discrimination"] == pytest.approx(expected, abs=5e-5), code
    assert quality[STRONG_FAIL]["discrimination"] < 0
    assert quality[FILLER]["discrimination"] is None  # everyone got it right


# -- HTML --------------------------------------------------------------------------------------


class ReportPage(HTMLParser):
    """Each <h2> section's table rows and list items as text, and every <img>'s attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[list[str]]] = defaultdict(list)
        self.items: dict[str, list[str]] = defaultdict(list)
        self.images: list[dict[str, str | None]] = []
        self._section, self._tag, self._text = "", "", ""
        self._row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "tr":
            self._row = []
        if tag in ("h2", "td", "li"):
            self._tag, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row:  # header rows hold <th>, not <td>
            self.rows[self._section].append(self._row)
        if tag != self._tag:
            return
        if tag == "h2":
            self._section = self._text
        elif tag == "td":
            self._row.append(self._text)
        else:
            self.items[self._section].append(self._text)
        self._tag = ""


def _check_html(page: str) -> None:
    parsed = ReportPage()
    parsed.feed(page)
    parsed.close()
    row, *watch = parsed.rows["Where an auditor would find gaps"]
    assert all(w[0].startswith("observation") for w in watch), watch
    assert row[1:3] == ["Warehouse", "QP-08"] and row[0].startswith(("major", "minor")), row
    (practice,) = parsed.items["Where practice may differ from the procedure"]
    assert "Warehouse" in practice and PRACTICE in practice
    assert f"“{_option(PRACTICE, 'a')}”" in practice
    grades = {(row[1], row[2]): row[0] for row in parsed.rows["Every department × procedure"]}
    assert grades.pop(("Warehouse", "QP-08")).startswith(("major", "minor"))
    others = ("no gap", "not enough evidence", "observation")
    assert all(g.startswith(others) for g in grades.values()), grades
    _check_heatmap(parsed.images)


def _check_heatmap(images: list[dict[str, str | None]]) -> None:
    heatmap, funnel = images
    assert "funnel" in (funnel.get("alt") or "").lower()
    for image in (heatmap, funnel):
        _check_png(image)


def _check_png(image: dict[str, str | None]) -> None:
    source = image["src"] or ""
    prefix = "data:image/png;base64,"
    assert source.startswith(prefix)
    png = base64.b64decode(source.removeprefix(prefix), validate=True)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png[12:16] == b"IHDR"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (int(image["width"] or 0), int(image["height"] or 0))
