"""Which groups a manager's view of mock audit findings may count, so no count singles anyone out.

In a small group a count points at a person: if two supervisors were interviewed, "1 supervisor
could not …" is one of two known people. Summaries never identify individuals, so a manager's
view counts no group of fewer than `min_people` people sampled for interview (the setting
AUDITREADY_MIN_PEOPLE, default 3, the same as for the awareness report's gaps):

- a department where fewer than `min_people` were sampled is **withheld**: none of its
  interviews are counted, so no total can be taken apart to find them;
- a department where some role had fewer than `min_people` sampled is counted **without roles**:
  its people are counted as one group, the department.

Everyone sampled counts, whether or not they replied: who did not reply is a result too.
Admins see every count. Pure; the rule is described for people in `docs/mock-audit.md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SmallGroups:
    min_people: int
    withheld: tuple[str, ...]  # departments with too few sampled to count at all, sorted
    without_roles: frozenset[str]  # departments counted as a whole, without their roles


def small_groups(sampled: Mapping[tuple[str, str | None], int], *, min_people: int) -> SmallGroups:
    """The departments a manager's view withholds, and those it counts without roles.

    `sampled` counts the people sampled for interview by department and role (None: no role
    recorded, which is a group of its own).
    """
    if min_people < 1:
        raise ValueError(f"min_people is {min_people}; it must be 1 or more")
    sizes: dict[str, list[int]] = {}
    for (department, _role), people in sampled.items():
        if people > 0:
            sizes.setdefault(department, []).append(people)
    withheld = sorted(d for d, roles in sizes.items() if sum(roles) < min_people)
    without_roles = frozenset(
        d for d, roles in sizes.items() if d not in withheld and min(roles) < min_people
    )
    return SmallGroups(min_people, tuple(withheld), without_roles)
