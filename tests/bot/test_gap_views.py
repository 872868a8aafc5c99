from __future__ import annotations

import dataclasses

from bot.awareness_views import NOT_ALLOWED
from bot.domain.gaps import Grade
from bot.gap_views import drill_message, evidence_line, gaps_message, manager_home
from bot.sandbox.blockkit import validate_message, validate_view
from bot.views import home_view
from storage.queries import Progress
from tests.bot.reports.sample import empty_report, gap, sample_report

OVERVIEW = [{"type": "section", "text": {"type": "mrkdwn", "text": "*People reached:* 3"}}]


def text_of(message: dict[str, object]) -> str:
    return str(message["blocks"])


def test_the_summary_lists_top_gaps_with_evidence_and_buttons() -> None:
    message = gaps_message(sample_report(), can_quiz=True, overview=OVERVIEW)
    assert validate_message(message["text"], message["blocks"]) == []
    shown = text_of(message)
    assert "Production × QP-08" in shown and "likely *major*" in shown
    assert "3 of 12 answers right, 6 people" in shown
    actions = [b for b in message["blocks"] if b["type"] == "actions"]
    assert {e["action_id"] for e in actions[0]["elements"]} == {
        "gaps.department",
        "gaps.procedure",
        "gaps.quiz",
    }
    assert "EP-03" not in shown  # not enough evidence is never a top gap


def test_not_enough_evidence_shows_no_numbers() -> None:
    thin = gap(
        "Warehouse", "EP-03", correct=0, answers=2, people=2, grade=Grade.NOT_ENOUGH_EVIDENCE
    )
    line = evidence_line(thin, 3)
    assert line.endswith("not enough evidence")
    assert "%" not in line


def test_a_huge_report_still_fits_block_kit() -> None:
    many = [
        gap(f"Department {i:02}", f"QP-{j:02}", correct=1, answers=10, people=5, grade=Grade.MAJOR)
        for i in range(30)
        for j in range(30)
    ]
    report = dataclasses.replace(sample_report(), procedures=many)
    for message in (
        gaps_message(report, can_quiz=True, overview=OVERVIEW),
        drill_message(report, kind="department", name="Department 01"),
        drill_message(report, kind="procedure", name="QP-01"),
    ):
        assert validate_message(message["text"], message["blocks"]) == []
    view = home_view(Progress(3, 2, []), manager_home(report))
    assert validate_view(view, expected="home") == []


def test_an_empty_report_says_so() -> None:
    message = gaps_message(empty_report(), can_quiz=False, overview=OVERVIEW)
    assert "No answers in this period yet" in text_of(message)
    assert all(b["type"] != "actions" for b in message["blocks"])


def test_drill_down_by_department_only_shows_that_department() -> None:
    message = drill_message(sample_report(), kind="department", name="warehouse")
    shown = text_of(message)
    assert "QP-08" in shown and "EP-03" in shown
    assert "QP-09" not in shown


def test_refusal_has_no_data() -> None:
    assert not any(ch.isdigit() for ch in NOT_ALLOWED)
