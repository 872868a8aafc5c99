"""Grades from posterior probabilities, and the numbers shown beside them, worked by hand."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from bot.domain.summary.gaps import (
    FINDINGS,
    GapRules,
    Grade,
    bayesian_fdr,
    correlation_from_sums,
    finding_chance,
    grade,
    ranked,
    sureness,
    systemic_clauses,
    trend,
    wilson,
)

RULES = GapRules()


def _grade(p_weak: float, p_major: float = 0.0, people: int = 3) -> Grade:
    return grade(p_weak=p_weak, p_major=p_major, people=people, rules=RULES)


def test_the_default_rules_are_the_documented_ones() -> None:
    assert (RULES.weak_below, RULES.major_below) == (0.7, 0.5)
    assert (RULES.sure, RULES.suggestive, RULES.min_people) == (0.95, 0.35, 3)
    assert RULES.thresholds == (0.7, 0.5)


@pytest.mark.parametrize(("people", "expected"), [(2, Grade.NOT_ENOUGH_EVIDENCE), (3, Grade.MAJOR)])
def test_too_few_people_is_not_enough_evidence_however_clear_the_answers(
    people: int, expected: Grade
) -> None:
    assert _grade(1.0, 1.0, people) is expected


@pytest.mark.parametrize(
    ("p_weak", "p_major", "expected"),
    [
        (1.0, 0.95, Grade.MAJOR),
        (1.0, 0.9499, Grade.MINOR),
        (0.95, 0.0, Grade.MINOR),
        (0.9499, 0.0, Grade.OBSERVATION),
        (0.35, 0.0, Grade.OBSERVATION),
        (0.3499, 0.0, Grade.NO_GAP),
        (0.0, 0.0, Grade.NO_GAP),
    ],
)
def test_each_grade_starts_exactly_at_its_rule(
    p_weak: float, p_major: float, expected: Grade
) -> None:
    assert _grade(p_weak, p_major) is expected


def test_the_rules_can_be_tightened() -> None:
    strict = GapRules(min_people=5, sure=0.99, suggestive=0.9)
    assert grade(p_weak=0.98, p_major=0.98, people=5, rules=strict) is Grade.OBSERVATION
    assert grade(p_weak=0.89, p_major=0.0, people=5, rules=strict) is Grade.NO_GAP
    assert grade(p_weak=1.0, p_major=1.0, people=4, rules=strict) is Grade.NOT_ENOUGH_EVIDENCE


def test_sureness_is_the_probability_of_the_claim_the_grade_makes() -> None:
    assert sureness(Grade.MAJOR, p_weak=1.0, p_major=0.97) == 0.97
    assert sureness(Grade.MINOR, p_weak=0.96, p_major=0.1) == 0.96
    assert sureness(Grade.OBSERVATION, p_weak=0.85, p_major=0.1) == 0.85
    assert sureness(Grade.NO_GAP, p_weak=0.1, p_major=0.0) == pytest.approx(0.9)
    assert sureness(Grade.NOT_ENOUGH_EVIDENCE, p_weak=0.5, p_major=0.1) is None


def test_a_grades_sureness_is_never_below_the_rule_that_gave_it() -> None:
    for p_weak in (0.0, 0.3, 0.34, 0.35, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0):
        for p_major in (0.0, 0.5, 0.95, 1.0):
            if p_major > p_weak:
                continue  # share < 0.5 implies share < 0.7
            found = _grade(p_weak, p_major)
            sure = sureness(found, p_weak=p_weak, p_major=p_major)
            assert sure is not None
            floor = {Grade.MAJOR: 0.95, Grade.MINOR: 0.95, Grade.OBSERVATION: 0.35}
            assert sure >= floor.get(found, 0.35)


def test_the_finding_chance_is_the_chance_it_is_real_times_the_chance_it_is_met() -> None:
    assert finding_chance(p_weak=0.9, auditor_chance=0.5) == pytest.approx(0.45)
    assert finding_chance(p_weak=1.0, auditor_chance=0.0) == 0.0


def test_the_bayesian_false_discovery_rate_is_the_mean_chance_of_being_wrong() -> None:
    assert bayesian_fdr([0.99, 0.95, 0.96]) == pytest.approx((0.01 + 0.05 + 0.04) / 3)
    assert bayesian_fdr([1.0]) == 0.0
    assert bayesian_fdr(iter([0.5, 0.7])) == pytest.approx(0.4)
    assert bayesian_fdr([]) is None


def test_a_clause_is_systemic_when_two_departments_are_each_established() -> None:
    found = systemic_clauses(
        [("Warehouse", "8.7"), ("Production", "8.7"), ("IT", "A.5")], departments=2
    )
    assert found == {"8.7": ["Production", "Warehouse"]}


def test_one_department_twice_on_a_clause_is_not_systemic() -> None:
    assert systemic_clauses([("IT", "A.5"), ("IT", "A.5")], departments=2) == {}
    assert systemic_clauses([], departments=2) == {}


def test_the_number_of_departments_for_a_systemic_finding_is_a_rule() -> None:
    pairs = [("A", "7.2"), ("B", "7.2"), ("C", "7.2"), ("A", "8.5"), ("B", "8.5")]
    assert systemic_clauses(pairs, departments=3) == {"7.2": ["A", "B", "C"]}


def test_findings_are_the_graded_gaps() -> None:
    assert set(FINDINGS) == {Grade.MAJOR, Grade.MINOR, Grade.OBSERVATION}


@pytest.mark.parametrize(("correct", "answers"), [(0, 10), (7, 10), (10, 10), (33, 120)])
def test_the_wilson_interval_is_where_the_score_test_does_not_reject(
    correct: int, answers: int
) -> None:
    """At each end p of the interval, (share − p) / sqrt(p(1 − p)/n) is exactly ±1.96."""
    interval = wilson(correct, answers)
    assert interval is not None
    share = correct / answers
    z = stats.norm.ppf(0.975)
    for end in (interval.low, interval.high):
        if share in (0.0, 1.0) and end == pytest.approx(share):
            continue  # at an observed 0% or 100% the interval ends at the observation
        assert abs(share - end) / math.sqrt(end * (1 - end) / answers) == pytest.approx(z)


def test_no_answers_give_no_interval() -> None:
    assert wilson(0, 0) is None


def test_a_trend_needs_both_periods() -> None:
    assert trend(0.6, 0.7) == pytest.approx(-0.1)
    assert trend(None, 0.7) is None and trend(0.7, None) is None


def test_the_correlation_from_running_sums_is_pearsons_r() -> None:
    x = [1, 0, 1, 1, 0, 1]
    y = [8.0, 3.0, 6.0, 9.0, 5.0, 4.0]
    r = correlation_from_sums(
        len(x),
        sum(x),
        sum(y),
        sum(a * b for a, b in zip(x, y, strict=True)),
        sum(a * a for a in x),
        sum(b * b for b in y),
    )
    assert r == pytest.approx(stats.pearsonr(x, y).statistic)


def test_no_correlation_without_spread() -> None:
    assert correlation_from_sums(3, 3, 6.0, 6.0, 3, 14.0) is None  # everyone got it right
    assert correlation_from_sums(1, 1, 2.0, 2.0, 1, 4.0) is None


def test_gaps_are_ranked_by_finding_chance_then_by_evidence() -> None:
    assert ranked([(0.2, 50), (0.6, 10), (0.6, 40), (0.1, 99)]) == [2, 1, 0, 3]
