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
from bot.services.interview_plan import STAGE_ORDER
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
    """Outcomes per person for one requirement: each interview counts once."""

    stages: set[str] = field(default_factory=set)
    passed: set[int] = field(default_factory=set)
    failed: set[int] = field(default_factory=set)
    unavailable: set[int] = field(default_factory=set)


Key = tuple[str, str, str, str | None]


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
        tallies: dict[Key, _Tally] = {}
        for interview in interviews:
            if departments is not None and interview.department not in departments:
                continue
            _count_interview(report, interview, tallies)
    report.findings, report.strengths = write_findings(_evidence(tallies))
    return report


def _count_interview(
    report: MockReport, interview: models.Interview, tallies: dict[Key, _Tally]
) -> None:
    report.interviews += 1
    role = interview.role.casefold() if interview.role else None
    report.sampled[(interview.department, role or "no role")] += 1
    report.completed += interview.status == "completed"
    report.unavailable += interview.status == "unavailable"
    verdicts: dict[Key, list[str]] = {}
    for item in interview.items:
        for reference in item.question_version.clauses:
            if report.standards and not any(reference.startswith(s) for s in report.standards):
                continue
            standard, clause = split_clause(reference)
            key = (standard, clause, interview.department, role)
            tallies.setdefault(key, _Tally()).stages.add(item.stage)
            verdicts.setdefault(key, []).append(item.verdict or "")
    for key, given in verdicts.items():
        _count_person(report, interview, tallies[key], given)


def _count_person(
    report: MockReport, interview: models.Interview, tally: _Tally, verdicts: list[str]
) -> None:
    # A person fails a requirement if any answer about it failed, and passes only if every
    # answer about it passed; answers awaiting an admin's grade hold the person back.
    if interview.status == "unavailable":
        tally.unavailable.add(interview.id)
    elif "fail" in verdicts:
        tally.failed.add(interview.id)
    elif "unsure" in verdicts:
        report.awaiting_review += verdicts.count("unsure")
    elif verdicts and all(v == "pass" for v in verdicts):
        tally.passed.add(interview.id)


def _topic(stages: set[str]) -> str:
    ordered = [s for s in STAGE_ORDER if s.value in stages]
    return "; ".join(STAGE_TOPICS.get(s.value, s.value) for s in ordered)


def _evidence(tallies: dict[Key, _Tally]) -> list[TopicEvidence]:
    evidence = []
    for (standard, clause, department, role), t in sorted(
        tallies.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3] or "")
    ):
        sampled = len(t.passed) + len(t.failed) + len(t.unavailable)
        if not sampled:
            continue
        evidence.append(
            TopicEvidence(
                standard=standard,
                clause=clause,
                requirement=requirement_for(clause),
                topic=_topic(t.stages),
                department=department,
                role=role,
                sampled=sampled,
                passed=len(t.passed),
                failed=len(t.failed),
                unavailable=len(t.unavailable),
            )
        )
    return evidence
