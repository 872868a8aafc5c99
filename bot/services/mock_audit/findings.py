"""The evidence of a mock audit round, turned into findings as a certification body writes them.

An admin's view counts everything. A manager's view counts no group of fewer than `min_people`
people sampled: see `bot/domain/mock_audit/small_groups.py`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from bot.domain.mock_audit.findings import Finding, Strength, TopicEvidence, write_findings
from bot.domain.mock_audit.requirements import requirement_for, split_clause
from bot.domain.mock_audit.small_groups import SmallGroups, small_groups
from bot.domain.mock_audit.stages import STAGE_TOPICS
from bot.services.mock_audit.errors import UnknownMockRound
from bot.services.mock_audit.interview_plan import STAGE_ORDER
from storage import models
from storage.db import UnitOfWork

# AUDITREADY_MIN_PEOPLE's default (bot/settings.py); callers pass the setting.
MIN_PEOPLE = 3
NO_ROLE = "no role"
ALL_ROLES = "all roles"  # a department counted without roles in a manager's view


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
    # A manager's view only: the smallest group counted, and the departments below it, whose
    # interviews are left out of every count above.
    min_people: int | None = None
    withheld: list[str] = field(default_factory=list)

    def withheld_notes(self) -> list[str]:
        """One line per department whose details this view withholds."""
        return [
            f"{department}: fewer than {self.min_people} people interviewed; details withheld."
            for department in self.withheld
        ]

    def no_findings(self) -> str:
        """What to say when there are no findings; a view that withholds some says so."""
        return "No findings to show." if self.withheld else "No findings."


@dataclass
class _Tally:
    """Outcomes per person for one requirement: each interview counts once."""

    stages: set[str] = field(default_factory=set)
    passed: set[int] = field(default_factory=set)
    failed: set[int] = field(default_factory=set)
    unavailable: set[int] = field(default_factory=set)


Key = tuple[str, str, str, str | None]


def mock_report(
    uow: Callable[[], UnitOfWork],
    *,
    round_id: int,
    departments: Sequence[str] | None,
    min_people: int = MIN_PEOPLE,
) -> MockReport:
    """Findings and strengths for a round, over the departments the viewer may see.

    `departments` is None for an admin, who sees every count. For a manager (their departments),
    groups of fewer than `min_people` people sampled are withheld or counted without roles.
    """
    with uow() as work:
        round_ = work.session.get(models.MockRound, round_id)
        if round_ is None:
            raise UnknownMockRound(round_id)
        report = MockReport(
            round_.id, round_.status, round_.opened_at, round_.closes_at, list(round_.standards)
        )
        statement = select(models.Interview).where(models.Interview.mock_round_id == round_id)
        if departments is not None:
            statement = statement.where(models.Interview.department.in_(departments))
        interviews = list(work.session.scalars(statement))
        groups = None
        if departments is not None:
            groups = small_groups(_sampled_by_role(interviews), min_people=min_people)
        tallies = _count_interviews(report, interviews, groups)
    without_roles = groups.without_roles if groups else frozenset()
    report.findings, report.strengths = write_findings(
        _evidence(tallies), without_roles=without_roles
    )
    return report


def _role(interview: models.Interview) -> str | None:
    return interview.role.casefold() if interview.role else None


def _sampled_by_role(interviews: Sequence[models.Interview]) -> Counter[tuple[str, str | None]]:
    return Counter((interview.department, _role(interview)) for interview in interviews)


def _count_interviews(
    report: MockReport, interviews: Sequence[models.Interview], groups: SmallGroups | None
) -> dict[Key, _Tally]:
    if groups is not None:
        report.min_people, report.withheld = groups.min_people, list(groups.withheld)
    tallies: dict[Key, _Tally] = {}
    for interview in interviews:
        if interview.department in report.withheld:
            continue
        folded = groups is not None and interview.department in groups.without_roles
        _count_interview(report, interview, tallies, folded=folded)
    return tallies


def _count_interview(
    report: MockReport, interview: models.Interview, tallies: dict[Key, _Tally], *, folded: bool
) -> None:
    report.interviews += 1
    role = _role(interview)
    report.sampled[(interview.department, ALL_ROLES if folded else role or NO_ROLE)] += 1
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
