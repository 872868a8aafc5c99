"""The wrong-option test for practice drift, worked by hand from the binomial."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from bot.domain.summary import practice
from bot.domain.summary.practice import ChoiceSpread


def _tail(chosen: int, wrong: int, options: int) -> float:
    """P(Binomial(wrong, 1/options) ≥ chosen), summed term by term."""
    return float(sum(stats.binom.pmf(k, wrong, 1 / options) for k in range(chosen, wrong + 1)))


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """q_(i) = min over j ≥ i of p_(j) · m / j, capped at 1."""
    m = len(p)
    order = np.argsort(p)
    q = np.empty(m)
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p[index] * m / rank)
        q[index] = running
    return q


def test_the_p_value_is_a_bonferroni_corrected_binomial_tail() -> None:
    by_hand = 3 * _tail(8, 10, 3)
    assert practice.distractor_p_value(chosen=8, wrong=10, wrong_options=3) == pytest.approx(
        by_hand
    )


def test_the_p_value_is_capped_at_one() -> None:
    assert 3 * _tail(2, 6, 3) > 1
    assert practice.distractor_p_value(chosen=2, wrong=6, wrong_options=3) == 1.0


def test_true_false_and_unanswered_questions_have_nothing_to_test() -> None:
    assert practice.distractor_p_value(chosen=30, wrong=30, wrong_options=1) == 1.0
    assert practice.distractor_p_value(chosen=0, wrong=0, wrong_options=3) == 1.0


def test_a_true_false_question_is_never_flagged_however_lopsided() -> None:
    true_false = ChoiceSpread("IT", "ISP-02-003", 1, 60, {"false": 60})
    assert practice.practice_tests([true_false]) == []
    assert practice.practice_flags([true_false]) == []


def test_a_department_drifting_to_one_option_is_flagged_and_an_even_spread_is_not() -> None:
    drift = ChoiceSpread("Production", "QP-08-001", 3, 30, {"a": 18, "b": 1, "d": 1})
    even = ChoiceSpread("Warehouse", "QP-08-001", 3, 30, {"a": 4, "b": 4, "d": 4})
    flags = practice.practice_flags([drift, even])
    assert [(f.spread.department, f.choice, f.chosen) for f in flags] == [("Production", "a", 18)]
    assert flags[0].share == pytest.approx(0.6)
    assert flags[0].p_value == pytest.approx(3 * _tail(18, 20, 3))


def test_each_test_carries_the_p_value_of_its_most_chosen_wrong_option() -> None:
    spreads = [
        ChoiceSpread("D0", "Q1", 3, 20, {"a": 2, "b": 7, "c": 1}),
        ChoiceSpread("D1", "Q1", 2, 15, {"a": 5, "b": 6}),
        ChoiceSpread("D2", "Q2", 4, 40, {"a": 3, "b": 3, "c": 12, "d": 1}),
    ]
    tests = practice.practice_tests(spreads)
    assert [(t.choice, t.chosen) for t in tests] == [("b", 7), ("b", 6), ("c", 12)]
    expected = [3 * _tail(7, 10, 3), min(1.0, 2 * _tail(6, 11, 2)), 4 * _tail(12, 19, 4)]
    assert [t.p_value for t in tests] == pytest.approx(expected)


def test_q_values_match_a_hand_rolled_benjamini_hochberg() -> None:
    spreads = [
        ChoiceSpread(f"D{i}", "Q", 3, 20, {"a": top, "b": 2, "c": 2})
        for i, top in enumerate([3, 6, 9, 12, 5, 9])
    ]
    tests = practice.practice_tests(spreads)
    p = np.asarray([3 * _tail(top, top + 4, 3) for top in [3, 6, 9, 12, 5, 9]])
    p = np.minimum(p, 1.0)
    assert [t.p_value for t in tests] == pytest.approx(list(p))
    assert [t.q_value for t in tests] == pytest.approx(list(_benjamini_hochberg(p)))


def test_a_flag_alone_can_be_lost_among_many_tests() -> None:
    """p ≈ 0.010 passes 5% alone; among ten tests its q-value is about 0.10."""
    borderline = ChoiceSpread("D0", "Q", 3, 20, {"a": 8, "b": 1, "c": 1})
    p = 3 * _tail(8, 10, 3)
    assert p < 0.05 < 10 * p
    assert [f.spread.department for f in practice.practice_flags([borderline])] == ["D0"]
    evens = [ChoiceSpread(f"E{i}", "Q", 3, 20, {"a": 2, "b": 2, "c": 2}) for i in range(9)]
    assert practice.practice_flags([borderline, *evens]) == []


def test_a_small_share_of_the_department_is_not_flagged_however_significant() -> None:
    few = ChoiceSpread("D0", "Q", 3, 100, {"a": 20})  # 20% of the department
    (test,) = practice.practice_tests([few])
    assert test.q_value < 1e-6
    assert practice.practice_flags([few]) == []


def test_fewer_than_five_people_are_not_flagged_however_significant() -> None:
    four = ChoiceSpread("D0", "Q", 3, 8, {"a": 4})
    (test,) = practice.practice_tests([four])
    assert test.q_value == pytest.approx(3 * (1 / 3) ** 4)
    assert test.q_value <= practice.FALSE_DISCOVERY_RATE
    assert practice.practice_flags([four]) == []


def test_flags_come_strongest_evidence_first() -> None:
    weaker = ChoiceSpread("A", "Q", 3, 30, {"a": 10, "b": 1})
    stronger = ChoiceSpread("B", "Q", 3, 30, {"a": 20, "b": 1})
    flags = practice.practice_flags([weaker, stronger])
    assert [f.spread.department for f in flags] == ["B", "A"]
    assert flags[0].p_value < flags[1].p_value
