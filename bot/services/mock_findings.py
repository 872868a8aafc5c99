"""The evidence of a mock audit round, turned into findings as a certification body writes them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from bot.domain.findings import Finding, Strength, TopicEvidence, write_findings
from bot.domain.requirements import requirement_for, split_clause
from bot.interview_stages import STAGE_TOPICS
from bot.services.mock_audit import UnknownMockRound
from storage import models
from storage.db import UnitOfWork


@dataclass
class MockReport:
    round_id: int
    status: str
    opened_at: datetime
    closes_at: datetime
    standards: list[str]
    interviews: int = 0
    completed: int = 0
    unavailable: int = 0
    awaiting_review: int = 0
    sampled: Counter[tuple[str, str]] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    strengths: list[Strength] = field(default_factory=list)


@dataclass
class _Tally:
    sampled: int = 0
    passed: int = 0
    failed: int = 0
    unavailable: int = 0


def mock_report(
    uow: Callable[[], UnitOfWork], *, round_id: int, departments: Sequence[str] | None
) -> MockReport:
    """Findings and strengths for a round, over the departments the viewer may see."""
    with uow() as work:
        round_ = work.session.get(models.MockRound, round_id)
        if round_ is None:
            raise UnknownMockRound(round_id)
        report = MockReport(
            round_.id, round_.status, round_.opened_at, round_.closes_at, list(round_.standards)
        )
        interviews = list(
            work.session.scalars(
                select(models.Interview).where(models.Interview.mock_round_id == round_id)
            )
        )
        tallies: dict[tuple[str, str, str, str | None, str], _Tally] = {}
        for interview in interviews:
            if departments is not None and interview.department not in departments:
                continue
            _count_interview(report, interview, tallies)
    report.findings, report.strengths = write_findings(_evidence(tallies))
    return report


def _count_interview(
    report: MockReport,
    interview: models.Interview,
    tallies: dict[tuple[str, str, str, str | None, str], _Tally],
) -> None:
    report.interviews += 1
    report.sampled[(interview.department, interview.role or "no role")] += 1
    report.completed += interview.status == "completed"
    report.unavailable += interview.status == "unavailable"
    for item in interview.items:
        for reference in item.question_version.clauses:
            if report.standards and not any(reference.startswith(s) for s in report.standards):
                continue
            standard, clause = split_clause(reference)
            key = (standard, clause, interview.department, interview.role, item.stage)
            tally = tallies.setdefault(key, _Tally())
            _count_item(report, interview, item, tally)


def _count_item(
    report: MockReport, interview: models.Interview, item: models.InterviewItem, tally: _Tally
) -> None:
    if interview.status == "unavailable":
        tally.sampled += 1
        tally.unavailable += 1
    elif item.verdict == "pass":
        tally.sampled += 1
        tally.passed += 1
    elif item.verdict == "fail":
        tally.sampled += 1
        tally.failed += 1
    elif item.verdict == "unsure":
        report.awaiting_review += 1


def _evidence(
    tallies: dict[tuple[str, str, str, str | None, str], _Tally],
) -> list[TopicEvidence]:
    return [
        TopicEvidence(
            standard=standard,
            clause=clause,
            requirement=requirement_for(clause),
            topic=STAGE_TOPICS.get(stage, stage),
            department=department,
            role=role,
            sampled=t.sampled,
            passed=t.passed,
            failed=t.failed,
            unavailable=t.unavailable,
        )
        for (standard, clause, department, role, stage), t in sorted(
            tallies.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3] or "", kv[0][4])
        )
        if t.sampled
    ]
