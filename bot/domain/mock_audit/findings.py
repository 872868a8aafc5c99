"""Mock audit findings, written and graded the way a certification body writes them.

Pure functions over interview counts. The rules, in the words of `docs/mock-audit.md`:

- Evidence is grouped by standard and clause: one requirement, one finding at most.
- A person who could not show or explain a requirement is evidence of a nonconformity, so any
  failure is at least a **minor nonconformity**. It is never softened into an observation.
- **Major nonconformity**: systemic. The failure appears in `systemic_departments` or more
  departments (default 2) for the same requirement, or most of those who answered failed
  (failed > passed, over all departments), so the system isn't achieving its intended result.
- **Minor nonconformity**: any other failure, confined to one department.
- **Observation**: nobody failed, but people were not available for interview, or fewer than
  `min_answered` people (default 2) answered on a topic of the requirement.
- **Opportunity for improvement**: everyone answered and passed, but some answers were weak.
- **Strength**: everyone answered well, on every topic, with at least two people per topic.

These match the gap grades of `bot/domain/summary/gaps.py` (systemic in two or more departments or
most failing is major; confined is minor), with one difference on purpose: the gap model grades an
estimate, so a borderline estimate is an observation, while an interview is evidence, so a single
failure already makes a nonconformity. Findings never name people: the evidence counts people by
role and department (`bot/domain/mock_audit/evidence.py` groups the counts and
`bot/domain/mock_audit/wording.py` words them).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.mock_audit.evidence import RequirementEvidence, TopicEvidence, group_by_requirement
from bot.domain.mock_audit.wording import (
    and_list,
    count,
    evidence_text,
    failure_sentences,
    observation_sentences,
    topics_text,
    weak_sentences,
)

__all__ = [
    "STRENGTH_MIN_PEOPLE",
    "Finding",
    "FindingGrade",
    "FindingRules",
    "Strength",
    "TopicEvidence",
    "write_findings",
]

STRENGTH_MIN_PEOPLE = 2


class FindingGrade(StrEnum):
    MAJOR = "major nonconformity"
    MINOR = "minor nonconformity"
    OBSERVATION = "observation"
    OFI = "opportunity for improvement"


_SEVERITY = {grade: rank for rank, grade in enumerate(FindingGrade)}


@dataclass(frozen=True)
class FindingRules:
    systemic_departments: int = 2
    min_answered: int = 2

    def __post_init__(self) -> None:
        if self.systemic_departments < 1 or self.min_answered < 1:
            raise ValueError(
                f"systemic_departments is {self.systemic_departments} and min_answered is "
                f"{self.min_answered}: both must be 1 or more"
            )


@dataclass(frozen=True)
class Finding:
    reference: str  # "MA-01", "MA-02", … most severe first
    standard: str
    clause: str
    requirement: str
    evidence: str  # who by role and department, how many, what they could show; never names
    statement: str  # the statement of nonconformity, or of the observation
    grade: FindingGrade
    reason: str  # why this grade


@dataclass(frozen=True)
class Strength:
    standard: str
    clause: str
    topic: str  # the topics asked, joined with "; " when there were several
    evidence: str


Graded = tuple[RequirementEvidence, FindingGrade, str]


def write_findings(
    evidence: Sequence[TopicEvidence],
    *,
    rules: FindingRules = FindingRules(),
    without_roles: Collection[str] = (),
) -> tuple[list[Finding], list[Strength]]:
    """Graded findings (most severe first, numbered MA-01…) and the strengths shown.

    The departments in `without_roles` count their people without roles, for a view in which
    a role has too few people to be shown (`bot/domain/mock_audit/small_groups.py`).
    """
    graded: list[Graded] = []
    strengths: list[Strength] = []
    for requirement in group_by_requirement(evidence, without_roles=without_roles):
        outcome = _grade(requirement, rules)
        if outcome is not None:
            graded.append((requirement, *outcome))
        elif _is_strength(requirement, rules):
            strengths.append(_strength(requirement))
    graded.sort(key=_severity)
    findings = [
        _finding(f"MA-{number:02d}", requirement, grade, reason, rules)
        for number, (requirement, grade, reason) in enumerate(graded, start=1)
    ]
    return findings, strengths


def _grade(
    requirement: RequirementEvidence, rules: FindingRules
) -> tuple[FindingGrade, str] | None:
    if requirement.total("failed"):
        return _nonconformity(requirement, rules)
    weaknesses = _weaknesses(requirement, rules)
    if weaknesses:
        return FindingGrade.OBSERVATION, (
            f"Nobody failed, but {and_list(weaknesses)}: a potential weakness an auditor "
            "notices too. Nothing has to be done about an observation."
        )
    weak = requirement.total("weak")
    if weak:
        return FindingGrade.OFI, (
            f"Everyone asked could describe it, but {count(weak, 'answer was', 'answers were')} "
            "weak: room to improve, with nothing that has to be done."
        )
    return None


def _nonconformity(
    requirement: RequirementEvidence, rules: FindingRules
) -> tuple[FindingGrade, str]:
    failed, answered = requirement.total("failed"), requirement.answered
    departments = requirement.failing_departments()
    reasons = []
    if len(departments) >= rules.systemic_departments:
        reasons.append(
            f"Systemic: people could not describe it in {len(departments)} departments "
            f"({and_list(departments)}). A failure against the same requirement in "
            f"{rules.systemic_departments} or more departments means the system is not "
            "achieving its intended result."
        )
    if failed > answered - failed:
        reasons.append(
            f"Most of those who answered could not: {failed} of {answered}. The system is not "
            "achieving its intended result."
        )
    if reasons:
        return FindingGrade.MAJOR, " ".join(reasons)
    return FindingGrade.MINOR, (
        f"Evidence of a nonconformity confined to {and_list(departments)}: {failed} of "
        f"{answered} who answered could not. It is not systemic, so it is minor. A person who "
        "cannot show a requirement is evidence of a nonconformity, so it is not softened into "
        "an observation."
    )


def _weaknesses(requirement: RequirementEvidence, rules: FindingRules) -> list[str]:
    weaknesses = []
    unavailable = requirement.total("unavailable")
    if unavailable:
        weaknesses.append(
            f"{count(unavailable, 'person sampled was', 'people sampled were')} not available "
            "for interview"
        )
    thin = requirement.thin_topics(rules.min_answered)
    if thin:
        weaknesses.append(
            f"fewer than {count(rules.min_answered, 'person', 'people')} answered on "
            f"{and_list(thin)}"
        )
    return weaknesses


def _is_strength(requirement: RequirementEvidence, rules: FindingRules) -> bool:
    least = max(STRENGTH_MIN_PEOPLE, rules.min_answered)
    clean = not any(requirement.total(c) for c in ("failed", "unavailable", "weak"))
    return clean and not requirement.thin_topics(least)


def _strength(requirement: RequirementEvidence) -> Strength:
    return Strength(
        standard=requirement.standard,
        clause=requirement.clause,
        topic=topics_text(requirement),
        evidence=evidence_text(requirement),
    )


def _finding(
    reference: str,
    requirement: RequirementEvidence,
    grade: FindingGrade,
    reason: str,
    rules: FindingRules,
) -> Finding:
    return Finding(
        reference=reference,
        standard=requirement.standard,
        clause=requirement.clause,
        requirement=requirement.requirement,
        evidence=evidence_text(requirement),
        statement=_statement(requirement, grade, rules),
        grade=grade,
        reason=reason,
    )


def _severity(graded: Graded) -> tuple[int, int, int, int]:
    # The sort is stable, so equal findings stay in standard and clause order.
    requirement, grade, _ = graded
    failed, unavailable, weak = (requirement.total(c) for c in ("failed", "unavailable", "weak"))
    return _SEVERITY[grade], -failed, -unavailable, -weak


def _statement(requirement: RequirementEvidence, grade: FindingGrade, rules: FindingRules) -> str:
    if grade in (FindingGrade.MAJOR, FindingGrade.MINOR):
        sentences = failure_sentences(requirement)
    elif grade is FindingGrade.OBSERVATION:
        sentences = observation_sentences(requirement, rules.min_answered)
    else:
        sentences = weak_sentences(requirement)
    return " ".join(sentences)
