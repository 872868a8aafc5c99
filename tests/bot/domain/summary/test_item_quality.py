"""Question checks, worked from the binomial and Fisher's z."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from bot.domain.summary import item_quality
from bot.domain.summary.item_quality import HARD, INVERTED, ItemEvidence

Z_95 = 1.959963984540054


def _flags(*items: ItemEvidence) -> dict[str, tuple[str, ...]]:
    return {v.evidence.question: v.flags for v in item_quality.item_verdicts(list(items))}


def test_a_question_almost_everyone_fails_is_flagged() -> None:
    assert _flags(ItemEvidence("HARD", 50, 5, 20, 0.3)) == {"HARD": (HARD,)}


def test_a_hard_looking_question_with_few_answers_is_not() -> None:
    assert _flags(ItemEvidence("FAIR", 12, 3, 12, 0.3)) == {"FAIR": ()}


def test_a_question_strong_performers_fail_is_flagged() -> None:
    assert _flags(ItemEvidence("INVERTED", 60, 40, 40, -0.5)) == {"INVERTED": (INVERTED,)}


def test_a_slightly_negative_correlation_in_few_people_is_not() -> None:
    assert _flags(ItemEvidence("NOISY", 12, 8, 12, -0.1)) == {"NOISY": ()}


def test_a_question_can_be_both_hard_and_inverted() -> None:
    assert _flags(ItemEvidence("BOTH", 80, 4, 40, -0.6)) == {"BOTH": (HARD, INVERTED)}


def test_fewer_than_ten_people_are_never_flagged() -> None:
    assert item_quality.MIN_PEOPLE == 10
    assert _flags(ItemEvidence("SMALL", 45, 0, 9, -0.9)) == {"SMALL": ()}


def test_the_facility_p_value_is_the_exact_binomial_tail() -> None:
    by_hand = sum(stats.binom.pmf(k, 50, 0.2) for k in range(0, 6))
    assert item_quality.facility_p_value(5, 50) == pytest.approx(by_hand)
    assert item_quality.facility_p_value(0, 0) == 1.0


def test_the_discrimination_p_value_is_fishers_z() -> None:
    z = math.atanh(-0.5) * math.sqrt(40 - 3)
    assert item_quality.discrimination_p_value(-0.5, 40) == pytest.approx(stats.norm.cdf(z))
    assert item_quality.discrimination_p_value(None, 40) == 1.0
    assert item_quality.discrimination_p_value(-0.9, 3) == 1.0


def test_the_discrimination_interval_is_fishers_z_back_transformed() -> None:
    (verdict,) = item_quality.item_verdicts([ItemEvidence("Q", 60, 40, 40, -0.5)])
    interval = verdict.discrimination_interval
    assert interval is not None
    half = Z_95 / math.sqrt(40 - 3)
    low, high = math.tanh(math.atanh(-0.5) - half), math.tanh(math.atanh(-0.5) + half)
    assert (interval.low, interval.high) == pytest.approx((low, high))
    assert interval.low < -0.5 < interval.high < 0


def test_no_discrimination_interval_without_a_correlation() -> None:
    (verdict,) = item_quality.item_verdicts([ItemEvidence("Q", 12, 6, 12, None)])
    assert verdict.discrimination_interval is None


@pytest.mark.parametrize(("correct", "answers"), [(5, 50), (1, 12), (12, 12), (0, 7)])
def test_the_facility_interval_is_clopper_pearson(correct: int, answers: int) -> None:
    """Each end is where the one-sided binomial tail is exactly 2.5%."""
    interval = item_quality.clopper_pearson(correct, answers)
    if correct == 0:
        assert interval.low == 0.0
    else:
        assert stats.binom.sf(correct - 1, answers, interval.low) == pytest.approx(0.025)
    if correct == answers:
        assert interval.high == 1.0
    else:
        assert stats.binom.cdf(correct, answers, interval.high) == pytest.approx(0.025)


def test_the_verdict_reports_the_facility() -> None:
    (verdict,) = item_quality.item_verdicts([ItemEvidence("Q", 40, 10, 20, 0.2)])
    assert verdict.facility == pytest.approx(0.25)
    assert verdict.facility_interval.low < 0.25 < verdict.facility_interval.high


def test_the_checks_share_one_false_discovery_control() -> None:
    """p ≈ 0.03 passes 5% alone; among five questions its q-value is about 0.15."""
    borderline = ItemEvidence("EDGE", 40, 3, 20, 0.3)
    p = stats.binom.cdf(3, 40, 0.2)
    assert p < 0.05 < 5 * p
    assert _flags(borderline) == {"EDGE": (HARD,)}
    fine = [ItemEvidence(f"F{i}", 40, 30, 20, 0.3) for i in range(4)]
    assert _flags(borderline, *fine)["EDGE"] == ()


def test_unanswered_questions_get_no_verdict() -> None:
    assert item_quality.item_verdicts([ItemEvidence("NEW", 0, 0, 0, None)]) == []
