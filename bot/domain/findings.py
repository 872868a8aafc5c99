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

These match the gap grades of `bot/domain/gaps.py` (systemic in two or more departments or most
failing is major; confined is minor), with one difference on purpose: the gap model grades an
estimate, so a borderline estimate is an observation, while an interview is evidence, so a
single failure already makes a nonconformity. Findings never name people: the evidence counts
people by role and department.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

STRENGTH_MIN_PEOPLE = 2


class FindingGrade(StrEnum):
    MAJOR = "major nonconformity"
    MINOR = "minor nonconformity"
    OBSERVATION = "observation"
    OFI = "opportunity for improvement"


_SEVERITY = {grade: rank for rank, grade in enumerate(FindingGrade)}


@dataclass(frozen=True)
class TopicEvidence:
    standard: str  # "ISO 9001:2015"
    clause: str  # "7.3"
    requirement: str  # paraphrased in our own words, never the standard's text
    topic: str  # "what to do with nonconforming output"
    department: str
    role: str | None
    sampled: int  # people asked about it
    passed: int  # could show or explain it
    failed: int  # could not
    unavailable: int  # not available for interview (never replied)
    weak: int = 0  # of those who passed, how many only just did

    def __post_init__(self) -> None:
        where = f"{self.standard} clause {self.clause}, {self.department}, topic {self.topic!r}"
        counts = ("sampled", "passed", "failed", "unavailable", "weak")
        for name in counts:
            if getattr(self, name) < 0:
                raise ValueError(f"{where}: {name} is {getattr(self, name)}, it cannot be negative")
        if self.passed + self.failed + self.unavailable != self.sampled:
            raise ValueError(
                f"{where}: sampled is {self.sampled}, but passed + failed + unavailable is "
                f"{self.passed + self.failed + self.unavailable}; every person sampled must be "
                "counted once"
            )
        if self.weak > self.passed:
            raise ValueError(
                f"{where}: weak is {self.weak}, but only {self.passed} passed; weak counts "
                "answers that passed"
            )


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


@dataclass
class _Cell:
    """One topic in one department, over all its roles."""

    topic: str
    department: str
    sampled: int = 0
    passed: int = 0
    failed: int = 0
    unavailable: int = 0
    weak: int = 0
    roles: dict[str | None, int] = field(default_factory=dict)
    failed_roles: dict[str | None, int] = field(default_factory=dict)

    def add(self, row: TopicEvidence) -> None:
        self.sampled += row.sampled
        self.passed += row.passed
        self.failed += row.failed
        self.unavailable += row.unavailable
        self.weak += row.weak
        self.roles[row.role] = self.roles.get(row.role, 0) + row.sampled
        if row.failed:
            self.failed_roles[row.role] = self.failed_roles.get(row.role, 0) + row.failed


@dataclass
class _Requirement:
    standard: str
    clause: str
    requirement: str
    cells: list[_Cell] = field(default_factory=list)

    def total(self, count: str) -> int:
        return sum(int(getattr(cell, count)) for cell in self.cells)

    @property
    def answered(self) -> int:
        return self.total("passed") + self.total("failed")

    def failing_departments(self) -> list[str]:
        return _unique(cell.department for cell in self.cells if cell.failed)

    def answered_by_topic(self) -> dict[str, int]:
        answered: dict[str, int] = {}
        for cell in self.cells:
            answered[cell.topic] = answered.get(cell.topic, 0) + cell.passed + cell.failed
        return answered

    def thin_topics(self, least: int) -> list[str]:
        return [topic for topic, n in self.answered_by_topic().items() if n < least]


def write_findings(
    evidence: Sequence[TopicEvidence], *, rules: FindingRules = FindingRules()
) -> tuple[list[Finding], list[Strength]]:
    """Graded findings (most severe first, numbered MA-01…) and the strengths shown."""
    graded: list[tuple[_Requirement, FindingGrade, str]] = []
    strengths: list[Strength] = []
    for requirement in _requirements(evidence):
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


def _requirements(evidence: Sequence[TopicEvidence]) -> list[_Requirement]:
    """Rows grouped by standard + clause, then by topic and department; empty rows dropped."""
    requirements: dict[tuple[str, str], _Requirement] = {}
    cells: dict[tuple[str, str, str, str], _Cell] = {}
    for row in evidence:
        if row.sampled == 0:
            continue
        requirement = requirements.setdefault(
            (row.standard, row.clause), _Requirement(row.standard, row.clause, row.requirement)
        )
        key = (row.standard, row.clause, row.topic, row.department)
        if key not in cells:
            cells[key] = _Cell(row.topic, row.department)
            requirement.cells.append(cells[key])
        cells[key].add(row)
    ordered = sorted(requirements.values(), key=lambda r: (r.standard, _clause_key(r.clause)))
    for requirement in ordered:
        topics = _unique(cell.topic for cell in requirement.cells)
        requirement.cells.sort(key=lambda c: (topics.index(c.topic), -c.failed, c.department))
    return ordered


def _grade(requirement: _Requirement, rules: FindingRules) -> tuple[FindingGrade, str] | None:
    if requirement.total("failed"):
        return _nonconformity(requirement, rules)
    weaknesses = _weaknesses(requirement, rules)
    if weaknesses:
        return FindingGrade.OBSERVATION, (
            f"Nobody failed, but {_and_list(weaknesses)}: a potential weakness an auditor "
            "notices too. Nothing has to be done about an observation."
        )
    weak = requirement.total("weak")
    if weak:
        return FindingGrade.OFI, (
            f"Everyone asked could describe it, but {_count(weak, 'answer was', 'answers were')} "
            "weak: room to improve, with nothing that has to be done."
        )
    return None


def _nonconformity(requirement: _Requirement, rules: FindingRules) -> tuple[FindingGrade, str]:
    failed, answered = requirement.total("failed"), requirement.answered
    departments = requirement.failing_departments()
    reasons = []
    if len(departments) >= rules.systemic_departments:
        reasons.append(
            f"Systemic: people could not describe it in {len(departments)} departments "
            f"({_and_list(departments)}). A failure against the same requirement in "
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
        f"Evidence of a nonconformity confined to {_and_list(departments)}: {failed} of "
        f"{answered} who answered could not. It is not systemic, so it is minor. A person who "
        "cannot show a requirement is evidence of a nonconformity, so it is not softened into "
        "an observation."
    )


def _weaknesses(requirement: _Requirement, rules: FindingRules) -> list[str]:
    weaknesses = []
    unavailable = requirement.total("unavailable")
    if unavailable:
        weaknesses.append(
            f"{_count(unavailable, 'person sampled was', 'people sampled were')} not available "
            "for interview"
        )
    thin = requirement.thin_topics(rules.min_answered)
    if thin:
        weaknesses.append(
            f"fewer than {_count(rules.min_answered, 'person', 'people')} answered on "
            f"{_and_list(thin)}"
        )
    return weaknesses


def _is_strength(requirement: _Requirement, rules: FindingRules) -> bool:
    least = max(STRENGTH_MIN_PEOPLE, rules.min_answered)
    clean = not any(requirement.total(c) for c in ("failed", "unavailable", "weak"))
    return clean and not requirement.thin_topics(least)


def _strength(requirement: _Requirement) -> Strength:
    return Strength(
        standard=requirement.standard,
        clause=requirement.clause,
        topic="; ".join(_unique(cell.topic for cell in requirement.cells)),
        evidence=_evidence(requirement),
    )


def _finding(
    reference: str,
    requirement: _Requirement,
    grade: FindingGrade,
    reason: str,
    rules: FindingRules,
) -> Finding:
    return Finding(
        reference=reference,
        standard=requirement.standard,
        clause=requirement.clause,
        requirement=requirement.requirement,
        evidence=_evidence(requirement),
        statement=_statement(requirement, grade, rules),
        grade=grade,
        reason=reason,
    )


def _severity(graded: tuple[_Requirement, FindingGrade, str]) -> tuple[int, int, int, int]:
    # The sort is stable, so equal findings stay in standard and clause order.
    requirement, grade, _ = graded
    failed, unavailable, weak = (requirement.total(c) for c in ("failed", "unavailable", "weak"))
    return _SEVERITY[grade], -failed, -unavailable, -weak


def _evidence(requirement: _Requirement) -> str:
    return " ".join(_evidence_sentence(cell) for cell in requirement.cells)


def _evidence_sentence(cell: _Cell) -> str:
    could = f"{cell.passed} could describe it"
    if cell.weak:
        could += f" ({cell.weak} only weakly)"
    could_not = f"{cell.failed} could not"
    if cell.failed:
        could_not += f" ({_roles(cell.failed_roles)})"
    parts = [could, could_not]
    if cell.unavailable:
        parts.append(f"{_count(cell.unavailable, 'was', 'were')} not available for interview")
    return (
        f"{cell.department}, {cell.topic}: {_people(cell.sampled)} sampled "
        f"({_roles(cell.roles)}); {', '.join(parts)}."
    )


def _statement(requirement: _Requirement, grade: FindingGrade, rules: FindingRules) -> str:
    if grade in (FindingGrade.MAJOR, FindingGrade.MINOR):
        sentences = [_failure_sentence(cell) for cell in requirement.cells if cell.failed]
    elif grade is FindingGrade.OBSERVATION:
        sentences = [_unavailable_sentence(cell) for cell in requirement.cells if cell.unavailable]
        answered = requirement.answered_by_topic()
        sentences += [
            _thin_sentence(topic, answered[topic])
            for topic in requirement.thin_topics(rules.min_answered)
        ]
    else:
        sentences = [_weak_sentence(cell) for cell in requirement.cells if cell.weak]
    return " ".join(sentences)


def _of_people(cell: _Cell) -> str:
    return f"Of {_people(cell.sampled)} sampled in {cell.department} ({_roles(cell.roles)})"


def _failure_sentence(cell: _Cell) -> str:
    sentence = f"{_of_people(cell)}, {cell.failed} could not describe {cell.topic}"
    if cell.unavailable:
        sentence += f" and {_count(cell.unavailable, 'was', 'were')} not available for interview"
    return sentence + "."


def _unavailable_sentence(cell: _Cell) -> str:
    were = _count(cell.unavailable, "was", "were")
    return f"{_of_people(cell)}, {were} not available to be interviewed on {cell.topic}."


def _thin_sentence(topic: str, answered: int) -> str:
    if answered == 0:
        return f"Nobody sampled answered on {topic}."
    return f"Only {_people(answered)} answered on {topic}, too few to show it is understood."


def _weak_sentence(cell: _Cell) -> str:
    weak = _count(cell.weak, "answer was", "answers were")
    return f"{_of_people(cell)}, all could describe {cell.topic}, but {weak} weak."


def _people(n: int) -> str:
    return _count(n, "person", "people")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _roles(counts: dict[str | None, int]) -> str:
    """'3 operators, 2 supervisors, 1 engineer': most first, no role recorded last."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return ", ".join(_role_count(n, role) for role, n in ordered if n)


def _role_count(n: int, role: str | None) -> str:
    if role is None:
        return f"{n} with no role recorded"
    return f"{n} {role if n == 1 else _plural(role)}"


_UNCOUNTABLE = {"staff", "personnel"}


def _plural(role: str) -> str:
    head, of, tail = role.partition(" of ")
    if of:
        return f"{_plural(head)}{of}{tail}"
    last = role.rsplit(" ", 1)[-1].casefold()
    if last in _UNCOUNTABLE:
        return role
    if last.endswith(("s", "x", "z", "ch", "sh")):
        return role + "es"
    if re.search(r"[^aeiou]y$", last):
        return role[:-1] + "ies"
    return role + "s"


def _and_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _clause_key(clause: str) -> tuple[tuple[int, int | str], ...]:
    """'7.10' after '7.2', and 'A.5.1' after the numbered clauses."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.\s]+", clause)
    )
