"""The evidence behind mock audit findings: interview counts, grouped by requirement.

Pure. Each row counts the people of one role in one department who were asked about one topic
of a requirement; `group_by_requirement` sums the roles of a department into one cell per topic.
`bot/domain/mock_audit/findings.py` grades the groups and `bot/domain/mock_audit/wording.py`
words them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field


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


@dataclass
class TopicCell:
    """One topic in one department, over all its roles.

    With `roles_shown` off, the people are counted without their roles: `roles` and
    `failed_roles` stay empty.
    """

    topic: str
    department: str
    roles_shown: bool = True
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
        if not self.roles_shown:
            return
        self.roles[row.role] = self.roles.get(row.role, 0) + row.sampled
        if row.failed:
            self.failed_roles[row.role] = self.failed_roles.get(row.role, 0) + row.failed


@dataclass
class RequirementEvidence:
    """Everything asked about one standard and clause, one cell per topic and department."""

    standard: str
    clause: str
    requirement: str
    cells: list[TopicCell] = field(default_factory=list)

    def total(self, count: str) -> int:
        return sum(int(getattr(cell, count)) for cell in self.cells)

    @property
    def answered(self) -> int:
        return self.total("passed") + self.total("failed")

    def failing_departments(self) -> list[str]:
        return unique(cell.department for cell in self.cells if cell.failed)

    def answered_by_topic(self) -> dict[str, int]:
        answered: dict[str, int] = {}
        for cell in self.cells:
            answered[cell.topic] = answered.get(cell.topic, 0) + cell.passed + cell.failed
        return answered

    def thin_topics(self, least: int) -> list[str]:
        return [topic for topic, n in self.answered_by_topic().items() if n < least]


def group_by_requirement(
    evidence: Sequence[TopicEvidence], *, without_roles: Collection[str] = ()
) -> list[RequirementEvidence]:
    """Rows grouped by standard + clause, then by topic and department; empty rows dropped.

    The departments in `without_roles` count their people without roles.
    """
    requirements: dict[tuple[str, str], RequirementEvidence] = {}
    cells: dict[tuple[str, str, str, str], TopicCell] = {}
    for row in evidence:
        if row.sampled == 0:
            continue
        requirement = requirements.setdefault(
            (row.standard, row.clause),
            RequirementEvidence(row.standard, row.clause, row.requirement),
        )
        key = (row.standard, row.clause, row.topic, row.department)
        if key not in cells:
            shown = row.department not in without_roles
            cells[key] = TopicCell(row.topic, row.department, roles_shown=shown)
            requirement.cells.append(cells[key])
        cells[key].add(row)
    ordered = sorted(requirements.values(), key=lambda r: (r.standard, clause_key(r.clause)))
    for requirement in ordered:
        topics = unique(cell.topic for cell in requirement.cells)
        requirement.cells.sort(key=lambda c: (topics.index(c.topic), -c.failed, c.department))
    return ordered


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def clause_key(clause: str) -> tuple[tuple[int, int | str], ...]:
    """'7.10' after '7.2', and 'A.5.1' after the numbered clauses."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.\s]+", clause)
    )
