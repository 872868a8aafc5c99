from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.mock_audit.sampling import (
    Candidate,
    Sampled,
    SampleReason,
    SamplingRules,
    sample_size,
    sample_staff,
)

TODAY = date(2026, 3, 2)
LONG_AGO = date(2019, 5, 1)


def staff(
    department: str,
    roles: dict[str | None, int],
    *,
    first_id: int,
    started_on: date | None = LONG_AGO,
    times_sampled: int = 0,
) -> list[Candidate]:
    people = []
    person_id = first_id
    for role, count in roles.items():
        for _ in range(count):
            people.append(Candidate(person_id, department, role, started_on, times_sampled))
            person_id += 1
    return people


def sample(
    candidates: list[Candidate],
    *,
    departments: list[str] | None = None,
    seed: int = 7,
    rules: SamplingRules | None = None,
) -> list[Sampled]:
    return sample_staff(
        candidates,
        departments=departments,
        today=TODAY,
        seed=seed,
        rules=rules or SamplingRules(),
    )


def by_department(sampled: list[Sampled]) -> Counter[str]:
    return Counter(pick.department for pick in sampled)


@pytest.mark.parametrize(
    ("size", "cap", "expected"),
    [
        (0, 6, 0),
        (1, 6, 1),
        (2, 6, 2),
        (4, 6, 2),
        (5, 6, 3),
        (9, 6, 3),
        (10, 6, 4),
        (50, 6, 6),
        (50, 10, 8),
        (2, 1, 1),
        (10_000, 1_000, 100),
        (10_001, 1_000, 101),
    ],
)
def test_sample_size_is_the_rounded_up_square_root_within_the_cap(
    size: int, cap: int, expected: int
) -> None:
    assert sample_size(size, cap) == expected


def test_sample_size_rejects_impossible_numbers() -> None:
    with pytest.raises(ValueError, match="negative"):
        sample_size(-1, 6)
    with pytest.raises(ValueError, match="cap is 0"):
        sample_size(4, 0)
    with pytest.raises(ValueError, match="at least one person"):
        SamplingRules(cap_per_department=0)


def test_every_department_gets_at_least_one_person_and_about_root_n() -> None:
    candidates = (
        staff("Production", {"operator": 25}, first_id=1)
        + staff("Warehouse", {"picker": 9}, first_id=100)
        + staff("Quality", {"inspector": 1}, first_id=200)
        + staff("Sales", {"account manager": 2}, first_id=300)
    )
    sizes = by_department(sample(candidates))
    assert sizes == {"Production": 5, "Warehouse": 3, "Quality": 1, "Sales": 2}


def test_the_cap_limits_a_large_department() -> None:
    candidates = staff("Production", {"operator": 50}, first_id=1)
    assert len(sample(candidates)) == 6
    assert len(sample(candidates, rules=SamplingRules(cap_per_department=4))) == 4


def test_roles_are_spread_largest_first() -> None:
    # 9 people → 3 places; four roles, so the three largest are covered.
    candidates = staff(
        "Production", {"operator": 4, "supervisor": 2, "engineer": 2, "cleaner": 1}, first_id=1
    )
    roles = Counter(pick.role for pick in sample(candidates))
    assert sum(roles.values()) == 3
    assert set(roles) <= {"operator", "supervisor", "engineer"}
    assert roles["operator"] == 1 and len(roles) == 3


def test_extra_places_go_to_roles_in_proportion_to_their_size() -> None:
    # 30 people → 6 places: both roles covered, then the 24 operators take most of the rest.
    candidates = staff("Production", {"operator": 24, "supervisor": 6}, first_id=1)
    roles = Counter(pick.role for pick in sample(candidates))
    assert roles == {"operator": 5, "supervisor": 1}


def test_the_first_of_each_role_is_there_for_role_coverage() -> None:
    candidates = staff("Production", {"operator": 6, "supervisor": 3}, first_id=1)
    reasons = Counter(pick.reason for pick in sample(candidates))
    assert reasons[SampleReason.ROLE_COVERAGE] == 2
    assert reasons[SampleReason.NOT_SAMPLED_BEFORE] == 1


def test_people_sampled_in_fewer_rounds_come_first() -> None:
    before = staff("Production", {"operator": 6}, first_id=1, times_sampled=2)
    once = staff("Production", {"operator": 3}, first_id=20, times_sampled=1)
    never = staff("Production", {"operator": 2}, first_id=40, times_sampled=0)
    picks = sample(before + once + never)  # 11 people → 4 places
    chosen = {pick.person_id for pick in picks}
    assert {40, 41} <= chosen
    assert len(chosen & {20, 21, 22}) == 2
    assert not chosen & {person.person_id for person in before}
    reasons = {pick.person_id: pick.reason for pick in picks}
    assert reasons[40] == reasons[41] == "not sampled before"
    assert {reasons[i] for i in chosen & {20, 21, 22}} == {"sampled least often before"}


def test_a_recent_starter_is_always_included() -> None:
    old_hands = staff("Production", {"operator": 15}, first_id=1)
    newcomer = Candidate(99, "Production", "operator", TODAY - timedelta(days=30), 0)
    for seed in range(20):
        picks = sample([*old_hands, newcomer], seed=seed)
        assert [p.reason for p in picks if p.person_id == 99] == ["recent starter"]


def test_a_recent_starter_in_a_small_role_takes_the_smallest_covered_role() -> None:
    # 4 people → 2 places; the newcomer is the only cleaner, a role too small to be covered.
    candidates = staff("Production", {"operator": 2, "supervisor": 1}, first_id=1)
    newcomer = Candidate(99, "Production", "cleaner", TODAY - timedelta(days=5), 3)
    roles = {pick.role for pick in sample([*candidates, newcomer])}
    assert roles == {"operator", "cleaner"}


def test_recent_means_within_the_days_and_not_in_the_future() -> None:
    old_hands = staff("Production", {"operator": 15}, first_id=1, times_sampled=0)
    edge = Candidate(98, "Production", "operator", TODAY - timedelta(days=90), 5)
    future = Candidate(99, "Production", "operator", TODAY + timedelta(days=3), 5)
    picks = {p.person_id: p.reason for p in sample([*old_hands, edge, future])}
    assert picks.get(98) == "recent starter"
    assert 99 not in picks
    stale = Candidate(98, "Production", "operator", TODAY - timedelta(days=91), 5)
    assert 98 not in {p.person_id for p in sample([*old_hands, stale])}


def test_only_departments_in_scope_are_sampled_whatever_their_capitals() -> None:
    candidates = staff("Production", {"operator": 9}, first_id=1) + staff(
        "Warehouse", {"picker": 4}, first_id=100
    )
    picks = sample(candidates, departments=["warehouse", "Finance"])
    assert by_department(picks) == {"Warehouse": 2}
    assert sample(candidates, departments=[]) == []


def test_a_departments_sample_does_not_change_when_another_comes_into_scope() -> None:
    candidates = staff("Production", {"operator": 16}, first_id=1) + staff(
        "Warehouse", {"picker": 9}, first_id=100
    )
    alone = sample(candidates, departments=["Production"])
    together = sample(candidates, departments=["Production", "Warehouse"])
    assert [p for p in together if p.department == "Production"] == alone


def test_the_same_seed_gives_the_same_sample_whatever_the_input_order() -> None:
    candidates = staff("Production", {"operator": 30, "supervisor": 8}, first_id=1)
    shuffled = list(candidates)
    random.Random(3).shuffle(shuffled)
    assert sample(candidates, seed=42) == sample(shuffled, seed=42)


def test_different_seeds_give_different_samples() -> None:
    candidates = staff("Production", {"operator": 60}, first_id=1)
    samples = {tuple(p.person_id for p in sample(candidates, seed=seed)) for seed in range(10)}
    assert len(samples) >= 5


def test_a_person_listed_twice_is_refused() -> None:
    twice = [
        Candidate(1, "Production", "operator", None, 0),
        Candidate(1, "Warehouse", "picker", None, 0),
    ]
    with pytest.raises(ValueError, match="person 1 appears more than once"):
        sample(twice)


DEPARTMENTS = ["Production", "Warehouse", "Quality", "IT"]
ROLES = [None, "operator", "supervisor", "engineer", "temp"]


@st.composite
def pools(draw: st.DrawFn) -> list[Candidate]:
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=80))
    return [
        Candidate(
            person_id,
            draw(st.sampled_from(DEPARTMENTS)),
            draw(st.sampled_from(ROLES)),
            draw(st.one_of(st.none(), st.dates(TODAY - timedelta(days=400), TODAY))),
            draw(st.integers(0, 4)),
        )
        for person_id in ids
    ]


@settings(max_examples=200, deadline=None)
@given(
    pools(),
    st.one_of(st.none(), st.lists(st.sampled_from(DEPARTMENTS), unique=True)),
    st.integers(1, 8),
    st.integers(0, 2**32),
)
def test_sampling_properties(
    candidates: list[Candidate], departments: list[str] | None, cap: int, seed: int
) -> None:
    rules = SamplingRules(cap_per_department=cap)
    picks = sample(candidates, departments=departments, seed=seed, rules=rules)
    ids = [pick.person_id for pick in picks]
    assert len(ids) == len(set(ids))

    scope = set(DEPARTMENTS if departments is None else departments)
    pool = {c.person_id: c for c in candidates}
    assert all(pick.department in scope for pick in picks)
    assert all(pool[pick.person_id].role == pick.role for pick in picks)

    sizes = Counter(c.department for c in candidates if c.department in scope)
    expected = {d: min(cap, math.ceil(math.sqrt(n)), n) for d, n in sizes.items()}
    assert by_department(picks) == expected

    for department in sizes:
        _check_department(department, candidates, picks, rules)


def _check_department(
    department: str, candidates: list[Candidate], picks: list[Sampled], rules: SamplingRules
) -> None:
    people = [c for c in candidates if c.department == department]
    chosen = {p.person_id for p in picks if p.department == department}
    roles = {c.role for c in people}
    assert len({c.role for c in people if c.person_id in chosen}) == min(len(chosen), len(roles))
    recent = [
        c
        for c in people
        if c.started_on and (TODAY - c.started_on).days <= rules.recent_starter_days
    ]
    if recent:
        assert chosen & {c.person_id for c in recent}
    starters = {p.person_id for p in picks if p.reason == SampleReason.RECENT_STARTER}
    for role in roles:
        members = [c for c in people if c.role == role]
        taken = [c.times_sampled for c in members if c.person_id in chosen - starters]
        left = [c.times_sampled for c in members if c.person_id not in chosen]
        if taken and left:
            assert max(taken) <= min(left)
