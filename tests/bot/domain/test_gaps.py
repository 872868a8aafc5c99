from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.gaps import (
    GapRules,
    Grade,
    auditor_finds_gap,
    correlation_from_sums,
    grade,
    point_biserial,
    posterior_share,
    trend,
    wilson,
)

RULES = GapRules()


def test_wilson_matches_a_worked_example() -> None:
    # 8 of 10: the textbook Wilson 95% interval is about 0.490 to 0.943.
    interval = wilson(8, 10)
    assert interval is not None
    assert interval.low == pytest.approx(0.4902, abs=1e-4)
    assert interval.high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_is_none_without_answers_and_stays_in_bounds_at_the_edges() -> None:
    assert wilson(0, 0) is None
    none_right, all_right = wilson(0, 5), wilson(5, 5)
    assert none_right is not None and none_right.low == 0.0
    assert all_right is not None and all_right.high == 1.0


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_contains_the_observed_share(correct: int, extra: int) -> None:
    answers = correct + extra - 1 if correct + extra - 1 >= correct else correct
    answers = max(answers, 1)
    correct = min(correct, answers)
    interval = wilson(correct, answers)
    assert interval is not None
    assert interval.low - 1e-12 <= correct / answers <= interval.high + 1e-12


def test_posterior_and_auditor_chance() -> None:
    assert posterior_share(0, 0) == 0.5
    assert posterior_share(9, 10) == pytest.approx(10 / 12)
    assert auditor_finds_gap(9, 10, 3) == pytest.approx(1 - (10 / 12) ** 3)
    assert auditor_finds_gap(2, 10, 3) > auditor_finds_gap(8, 10, 3)


def test_too_few_people_is_not_enough_evidence_whatever_the_share() -> None:
    assert grade(correct=0, answers=20, people=2, weak_departments_for_clause=5, rules=RULES) == (
        Grade.NOT_ENOUGH_EVIDENCE
    )


def test_most_people_failing_is_major() -> None:
    assert grade(correct=3, answers=20, people=6, weak_departments_for_clause=1, rules=RULES) == (
        Grade.MAJOR
    )


def test_the_same_clause_weak_in_several_departments_is_major() -> None:
    # 9/20 alone is a minor gap; weak in two departments it is systemic.
    alone = grade(correct=9, answers=20, people=6, weak_departments_for_clause=1, rules=RULES)
    systemic = grade(correct=9, answers=20, people=6, weak_departments_for_clause=2, rules=RULES)
    assert (alone, systemic) == (Grade.MINOR, Grade.MAJOR)


def test_a_weak_cell_with_a_wide_interval_is_an_observation() -> None:
    assert grade(correct=3, answers=6, people=4, weak_departments_for_clause=1, rules=RULES) == (
        Grade.OBSERVATION
    )


def test_a_strong_cell_is_no_gap() -> None:
    assert grade(correct=18, answers=20, people=6, weak_departments_for_clause=0, rules=RULES) == (
        Grade.NO_GAP
    )


def test_trend_needs_both_periods() -> None:
    assert trend(0.8, 0.6) == pytest.approx(0.2)
    assert trend(0.8, None) is None


def test_point_biserial_is_positive_when_strong_performers_get_it_right() -> None:
    good = [(True, 0.9), (True, 0.8), (False, 0.3), (False, 0.2)]
    strong = point_biserial(good)
    assert strong is not None and strong > 0.9
    bad = [(False, 0.9), (False, 0.8), (True, 0.3), (True, 0.2)]
    inverted = point_biserial(bad)
    assert inverted is not None and inverted < -0.9


def test_point_biserial_matches_pearson_correlation() -> None:
    pairs = [(True, 0.7), (False, 0.4), (True, 0.9), (False, 0.6), (True, 0.5)]
    xs = [1.0 if ok else 0.0 for ok, _ in pairs]
    ys = [score for _, score in pairs]
    mx, my = sum(xs) / 5, sum(ys) / 5
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    pearson = cov / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))
    assert point_biserial(pairs) == pytest.approx(pearson)


def test_point_biserial_is_undefined_without_variation() -> None:
    assert point_biserial([(True, 0.5), (True, 0.7)]) is None
    assert point_biserial([(True, 0.5), (False, 0.5)]) is None


def test_correlation_from_sums_agrees_with_point_biserial() -> None:
    pairs = [(True, 0.7), (False, 0.4), (True, 0.9), (False, 0.6), (True, 0.5)]
    xs = [1.0 if ok else 0.0 for ok, _ in pairs]
    ys = [score for _, score in pairs]
    sums = (
        len(pairs),
        sum(xs),
        sum(ys),
        sum(x * y for x, y in zip(xs, ys, strict=True)),
        sum(x * x for x in xs),
        sum(y * y for y in ys),
    )
    assert correlation_from_sums(*sums) == pytest.approx(point_biserial(pairs))
    assert correlation_from_sums(1, 1, 1, 1, 1, 1) is None
