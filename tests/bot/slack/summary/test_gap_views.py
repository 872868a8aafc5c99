from __future__ import annotations

import dataclasses
import re
from typing import Any

from bot.domain.summary.gaps import Grade, Interval
from bot.sandbox.blockkit import validate_message, validate_view
from bot.services.access import Scope
from bot.services.summary.gap_report import Drill, GapReport, SystemicFinding, cells_for
from bot.slack.home import home_view
from bot.slack.summary.gap_views import (
    drill_message,
    evidence_line,
    gap_title,
    gaps_message,
    manager_home,
    practice_line,
)
from bot.slack.texts import NOT_ALLOWED
from questions import limits
from storage.queries import Progress
from tests.bot.reports.sample import empty_report, flag, gap, sample_report

OVERVIEW = [{"type": "section", "text": {"type": "mrkdwn", "text": "*People reached:* 3"}}]
NASTY = "<!channel> & <http://x|click>"


def drill(report: GapReport, *, kind: str, name: str) -> Drill:
    return Drill(report=report, kind=kind, name=name, cells=cells_for(report, kind, name))


def text_of(message: dict[str, Any]) -> str:
    return str(message["blocks"])


def sections(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_the_summary_lists_top_gaps_with_evidence_and_buttons() -> None:
    message = gaps_message(sample_report(), can_quiz=True, overview=OVERVIEW)
    assert validate_message(message["text"], message["blocks"]) == []
    shown = text_of(message)
    assert "Production × QP-08*: likely *major*, 97% sure" in shown
    assert "Warehouse × QP-08*: likely *minor*, 96% sure" in shown
    actions = [b for b in message["blocks"] if b["type"] == "actions"]
    assert {e["action_id"] for e in actions[0]["elements"]} == {
        "gaps.department",
        "gaps.procedure",
        "gaps.quiz",
    }
    assert "EP-03" not in shown  # not enough evidence is never a top gap


def test_top_gaps_come_in_the_reports_rank() -> None:
    report = sample_report()
    shown = sections(gaps_message(report, can_quiz=False, overview=[])["blocks"])
    listed = [s for s in shown if s.startswith(":")]
    ranked = [f"*{g.cell.department} × {g.cell.subject}*" for g in report.top_gaps()]
    assert len(listed) == len(ranked) == 2
    assert all(name in text for name, text in zip(ranked, listed, strict=True))
    # The minor is the likelier finding, so it comes before the major.
    assert ranked[0] == "*Warehouse × QP-08*"


def test_the_evidence_line_shows_counts_standardised_share_expected_and_chance() -> None:
    minor = sample_report().procedures[2]
    line = evidence_line(minor, 3)
    assert line.startswith("7 of 12 answers right, 5 people; ")
    assert "57% on the company's usual questions (95%: 38–70%)" in line
    assert "7 right where the others' level would give 9" in line
    assert "+8 pts on last period" in line
    assert line.endswith(
        "An auditor talking to 3 people would meet someone who can't answer: *91%*"
    )


def test_every_grade_says_how_sure_it_is() -> None:
    report = sample_report()
    clean = report.procedures[1]
    assert gap_title(clean).endswith("likely *no gap*, 98% sure")
    sure = dataclasses.replace(report.procedures[0], sureness=0.9996)
    assert gap_title(sure).endswith("likely *major*, >99% sure")


def test_not_enough_evidence_shows_no_numbers() -> None:
    thin = gap(
        "Warehouse", "EP-03", correct=0, answers=2, people=2, grade=Grade.NOT_ENOUGH_EVIDENCE
    )
    line = evidence_line(thin, 3)
    assert "not enough evidence" in line.casefold()
    assert not re.search(r"\d", line)
    assert "not enough evidence" in gap_title(thin) and "sure" not in gap_title(thin)


def test_a_huge_report_still_fits_block_kit() -> None:
    many = [
        gap(f"Department {i:02}", f"QP-{j:02}", correct=1, answers=10, people=5, grade=Grade.MAJOR)
        for i in range(30)
        for j in range(30)
    ]
    long_name = "Department " + "x" * 200
    many.append(gap(long_name, "QP-01", correct=1, answers=10, people=5, grade=Grade.MAJOR))
    report = dataclasses.replace(
        sample_report(),
        procedures=many,
        practice=[
            flag(long_name, f"Q-{i}", chosen=5, p_value=0.01, q_value=0.02) for i in range(9)
        ],
        systemic=[SystemicFinding(f"Clause {i}", (long_name,) * 40) for i in range(20)],
    )
    overview = OVERVIEW * 60
    for message in (
        gaps_message(report, can_quiz=True, overview=overview),
        drill_message(drill(report, kind="department", name="Department 01")),
        drill_message(drill(report, kind="procedure", name="QP-01")),
    ):
        assert validate_message(message["text"], message["blocks"]) == []
        assert len(message["blocks"]) <= limits.MESSAGE_BLOCKS
    view = home_view(Progress(3, 2, []), manager_home(report))
    assert validate_view(view, expected="home") == []


def test_a_long_section_is_cut_without_breaking_an_escape() -> None:
    report = sample_report()
    amp = "&" * 3000
    report.practice = [flag(amp, "Q-1", chosen=5, p_value=0.01, q_value=0.02)]
    message = gaps_message(report, can_quiz=False, overview=[])
    [practice] = [s for s in sections(message["blocks"]) if s.startswith("*Practice")]
    assert len(practice) <= limits.SECTION_TEXT
    assert practice.endswith("&amp;…")


def test_user_and_bank_text_is_escaped_everywhere() -> None:
    cell = gap(NASTY, NASTY, correct=1, answers=10, people=5, grade=Grade.MAJOR)
    report = dataclasses.replace(
        sample_report(),
        procedures=[cell],
        practice=[flag(NASTY, NASTY, chosen=5, p_value=0.01, q_value=0.02)],
        systemic=[SystemicFinding(NASTY, (NASTY, "Warehouse"))],
    )
    messages = [
        gaps_message(report, can_quiz=True, overview=[]),
        drill_message(drill(report, kind="department", name=NASTY)),
        {"text": "", "blocks": manager_home(report)},
    ]
    for message in messages:
        mrkdwn = [message["text"], *sections(message["blocks"])]
        mrkdwn += [
            e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"]
        ]
        assert not any("<!channel>" in t or "<http" in t for t in mrkdwn)
    drilled = messages[1]
    assert drilled["text"] == "Department &lt;!channel&gt; &amp; &lt;http://x|click&gt;"
    assert "&lt;!channel&gt;" in text_of(messages[0])


def test_an_empty_report_says_so() -> None:
    message = gaps_message(empty_report(), can_quiz=False, overview=OVERVIEW)
    assert "No answers in this period yet" in text_of(message)
    assert all(b["type"] != "actions" for b in message["blocks"])


def test_drill_down_by_department_only_shows_that_department() -> None:
    message = drill_message(drill(sample_report(), kind="department", name="warehouse"))
    shown = text_of(message)
    assert "QP-08" in shown and "EP-03" in shown
    assert "QP-09" not in shown


def test_drill_down_follows_the_rank_not_the_raw_estimate() -> None:
    # The lower estimate is the less likely finding: an auditor seldom meets that cell.
    rare = gap(
        "Production",
        "QP-01",
        correct=2,
        answers=12,
        people=4,
        grade=Grade.MAJOR,
        estimate=0.2,
        auditor_chance=0.3,
    )
    common = gap(
        "Production",
        "QP-02",
        correct=7,
        answers=12,
        people=6,
        grade=Grade.MINOR,
        estimate=0.55,
        interval=Interval(0.4, 0.69),
        auditor_chance=0.95,
    )
    thin = gap(
        "Production", "QP-03", correct=0, answers=1, people=1, grade=Grade.NOT_ENOUGH_EVIDENCE
    )
    report = dataclasses.replace(sample_report(), procedures=[thin, rare, common])
    shown = sections(drill_message(drill(report, kind="department", name="Production"))["blocks"])
    order = [code for s in shown for code in re.findall(r"\*(QP-\d+)\*", s)[:1]]
    assert order == ["QP-02", "QP-01", "QP-03"]
    assert "likely *minor*, 96% sure" in shown[0]


def test_practice_flags_name_the_department_strongest_first_top_three() -> None:
    message = gaps_message(sample_report(), can_quiz=False, overview=[])
    [practice] = [s for s in sections(message["blocks"]) if s.startswith("*Practice")]
    lines = practice.splitlines()[1:]
    assert [line.split("*")[1] for line in lines] == ["Warehouse", "Production", "Assembly"]
    assert "q < 0.001" in lines[0]
    assert practice_line(sample_report().practice[1]).startswith(
        "*Production*, *QP-08-001* (7 of 12 answers, q = 0.002): people may be doing"
    )


def test_systemic_findings_are_shown_to_admins() -> None:
    message = gaps_message(sample_report(), can_quiz=False, overview=[])
    [systemic] = [s for s in sections(message["blocks"]) if s.startswith("*Systemic")]
    assert (
        "*ISO 14001:2015 8.1* established weak in Production and Warehouse — "
        "a major nonconformity at company level"
    ) in systemic
    # A manager's report comes from the service without them (tests/bot/services/summary).
    manager = dataclasses.replace(
        sample_report(), scope=Scope(departments=["Warehouse"], is_admin=False), systemic=[]
    )
    shown = sections(gaps_message(manager, can_quiz=False, overview=[])["blocks"])
    assert not any(s.startswith("*Systemic") for s in shown)


def test_only_flagged_questions_are_to_be_checked() -> None:
    message = gaps_message(sample_report(), can_quiz=False, overview=[])
    [check] = [s for s in sections(message["blocks"]) if s.startswith("*Check these")]
    assert "QP-08-001" in check and "QP-09-001" not in check
    assert "15% right, 95%: 4–40%; 11 people" in check


def test_the_analysis_time_and_false_alarm_share_are_given() -> None:
    message = gaps_message(sample_report(), can_quiz=False, overview=[])
    context = message["blocks"][-1]["elements"][0]["text"]
    assert context.startswith("Grades and question analysis as of 01 Nov 00:00 UTC")
    assert "about 2% may be false alarms" in context


def test_the_home_tab_shows_sureness_and_evidence() -> None:
    blocks = manager_home(sample_report())
    shown = sections(blocks)
    assert "likely *minor*, 96% sure" in shown[0]
    assert "on the company's usual questions" in shown[0]


def test_refusal_has_no_data() -> None:
    assert not any(ch.isdigit() for ch in NOT_ALLOWED)
