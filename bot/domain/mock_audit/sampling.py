"""Choosing whom to interview in a mock audit round, the way a Stage 2 auditor samples staff.

Pure functions over plain data. The rules, in the words of `docs/mock-audit.md`:

- Stratify by department (only those in scope), then by role within a department.
- Sample about √n people of a department of n (rounded up), borrowed from the √n multi-site
  sampling in IAF MD 1, capped at `cap_per_department`; at least one person per department.
- Cover as many distinct roles as that size allows, largest roles first; extra places go to
  roles in proportion to their size (the D'Hondt method).
- Within a role, prefer people sampled in fewer earlier rounds.
- Where a department has a recent starter (started within `recent_starter_days`), one of them is
  always in the sample: auditors ask new staff on purpose.
- Ties are broken by a random draw seeded from the seed and the department, so a round can be
  repeated exactly, different seeds give different samples, and one department's sample does not
  change when another department comes into scope.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction


class SampleReason(StrEnum):
    """Why a person is in the sample; the first that applies, in this order."""

    RECENT_STARTER = "recent starter"
    ROLE_COVERAGE = "role coverage"
    NOT_SAMPLED_BEFORE = "not sampled before"
    SAMPLED_LEAST = "sampled least often before"


@dataclass(frozen=True)
class Candidate:
    person_id: int
    department: str
    role: str | None
    started_on: date | None
    times_sampled: int  # in earlier mock rounds


@dataclass(frozen=True)
class SamplingRules:
    cap_per_department: int = 6
    recent_starter_days: int = 90

    def __post_init__(self) -> None:
        if self.cap_per_department < 1:
            raise ValueError(
                f"cap_per_department is {self.cap_per_department}, but every department in "
                "scope needs at least one person interviewed: use 1 or more"
            )
        if self.recent_starter_days < 0:
            raise ValueError(
                f"recent_starter_days is {self.recent_starter_days}: use 0 or more days"
            )


@dataclass(frozen=True)
class Sampled:
    person_id: int
    department: str
    role: str | None
    reason: str  # a SampleReason value


@dataclass(frozen=True)
class _Role:
    key: str | None
    members: tuple[Candidate, ...]  # in order of preference


def sample_size(department_size: int, cap: int) -> int:
    """How many of a department of `department_size` to interview: ⌈√n⌉, within 1..cap and n."""
    if department_size < 0:
        raise ValueError(f"department_size is {department_size}: it cannot be negative")
    if cap < 1:
        raise ValueError(f"cap is {cap}: use 1 or more")
    if department_size == 0:
        return 0
    # isqrt keeps ⌈√n⌉ exact where a float square root could round the wrong way.
    root = math.isqrt(department_size - 1) + 1
    return min(root, cap, department_size)


def sample_staff(
    candidates: Sequence[Candidate],
    *,
    departments: Sequence[str] | None,
    today: date,
    seed: int,
    rules: SamplingRules = SamplingRules(),
) -> list[Sampled]:
    """The people to interview, department by department (None = every department)."""
    _check_unique(candidates)
    sampled: list[Sampled] = []
    for people in _strata(candidates, departments):
        sampled.extend(_sample_department(people, today=today, seed=seed, rules=rules))
    return sampled


def is_recent_starter(candidate: Candidate, *, today: date, rules: SamplingRules) -> bool:
    """Started within the last `recent_starter_days` days (a future start date doesn't count)."""
    if candidate.started_on is None:
        return False
    return 0 <= (today - candidate.started_on).days <= rules.recent_starter_days


def _fold(name: str | None) -> str | None:
    # Names match whatever their capitals, as in the question audience rules.
    return None if name is None else name.strip().casefold()


def _check_unique(candidates: Sequence[Candidate]) -> None:
    seen: set[int] = set()
    for candidate in candidates:
        if candidate.person_id in seen:
            raise ValueError(
                f"person {candidate.person_id} appears more than once among the candidates: "
                "list each person once, in one department"
            )
        seen.add(candidate.person_id)


def _strata(
    candidates: Sequence[Candidate], departments: Sequence[str] | None
) -> list[list[Candidate]]:
    """Candidates grouped by department, in scope order (or by name when all are in scope)."""
    groups: dict[str, list[Candidate]] = {}
    for candidate in sorted(candidates, key=lambda c: c.person_id):
        groups.setdefault(_fold(candidate.department) or "", []).append(candidate)
    if departments is None:
        return [groups[key] for key in sorted(groups)]
    scope: list[str] = []
    for name in departments:
        key = _fold(name) or ""
        if key in groups and key not in scope:
            scope.append(key)
    return [groups[key] for key in scope]


def _sample_department(
    people: list[Candidate], *, today: date, seed: int, rules: SamplingRules
) -> list[Sampled]:
    # Seeded per department, so adding a department to the scope leaves the others unchanged.
    rng = random.Random(f"{seed}:{_fold(people[0].department)}")
    draw = {person.person_id: rng.random() for person in people}
    preferred = sorted(people, key=lambda c: (c.times_sampled, draw[c.person_id]))
    roles = _roles_by_size(preferred, rng)
    size = sample_size(len(people), rules.cap_per_department)
    starter = next((c for c in preferred if is_recent_starter(c, today=today, rules=rules)), None)
    covered = _covered_roles(roles, size, starter)
    quotas = _quotas([len(role.members) for role in covered], size)
    sampled: list[Sampled] = []
    for role, quota in zip(covered, quotas, strict=True):
        sampled.extend(_pick(role, quota, starter, several_roles=len(roles) > 1))
    return sampled


def _roles_by_size(preferred: list[Candidate], rng: random.Random) -> list[_Role]:
    """The department's roles, largest first; equal sizes in a seeded random order."""
    members: dict[str | None, list[Candidate]] = {}
    for person in preferred:
        members.setdefault(_fold(person.role), []).append(person)
    keys = sorted(members, key=lambda key: (key is not None, key or ""))
    draw = {key: rng.random() for key in keys}
    keys.sort(key=lambda key: (-len(members[key]), draw[key]))
    return [_Role(key, tuple(members[key])) for key in keys]


def _covered_roles(roles: list[_Role], size: int, starter: Candidate | None) -> list[_Role]:
    """The roles that get at least one place: as many as `size` allows, largest first.

    When a recent starter's role would be left out, it takes the place of the smallest covered
    role, so the number of roles covered stays the same.
    """
    covered = roles[:size]
    if starter is None:
        return covered
    starter_role = next(role for role in roles if starter in role.members)
    if starter_role not in covered:
        covered[-1] = starter_role
    return covered


def _quotas(role_sizes: list[int], size: int) -> list[int]:
    """Places per covered role: one each, then the rest in proportion to size (D'Hondt)."""
    quotas = [1] * len(role_sizes)
    # Extra places only exist once every role is covered, so the roles always have room.
    for _ in range(size - len(role_sizes)):
        open_roles = [i for i, room in enumerate(role_sizes) if quotas[i] < room]
        best = max(open_roles, key=lambda i: (Fraction(role_sizes[i], quotas[i] + 1), -i))
        quotas[best] += 1
    return quotas


def _pick(
    role: _Role, quota: int, starter: Candidate | None, *, several_roles: bool
) -> list[Sampled]:
    ordered = list(role.members)
    if starter in ordered:
        ordered.remove(starter)
        ordered.insert(0, starter)
    return [
        Sampled(
            person_id=person.person_id,
            department=person.department,
            role=person.role,
            reason=_reason(person, first=index == 0, starter=starter, several_roles=several_roles),
        )
        for index, person in enumerate(ordered[:quota])
    ]


def _reason(
    person: Candidate, *, first: bool, starter: Candidate | None, several_roles: bool
) -> SampleReason:
    if person == starter:
        return SampleReason.RECENT_STARTER
    if first and several_roles:
        return SampleReason.ROLE_COVERAGE
    if person.times_sampled == 0:
        return SampleReason.NOT_SAMPLED_BEFORE
    return SampleReason.SAMPLED_LEAST
