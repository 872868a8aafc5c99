"""Worked examples for the gap statistics, each computed here independently of the product."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import expit

from bot.domain import auditor, funnel, gap_model, item_quality, practice
from bot.domain.gaps import (
    GapRules,
    Grade,
    bayesian_fdr,
    grade,
    sureness,
    systemic_clauses,
    trend,
)
from bot.domain.verdicts import CellCounts, CompanyCounts, judge_company

RULES = GapRules()


@pytest.mark.parametrize(
    ("p_weak", "p_major", "people", "expected"),
    [
        (1.0, 1.0, 2, Grade.NOT_ENOUGH_EVIDENCE),
        (1.0, 0.95, 3, Grade.MAJOR),
        (1.0, 0.949, 3, Grade.MINOR),
        (0.95, 0.0, 3, Grade.MINOR),
        (0.949, 0.0, 3, Grade.OBSERVATION),
        (0.8, 0.0, 3, Grade.OBSERVATION),
        (0.799, 0.0, 3, Grade.NO_GAP),
    ],
)
def test_each_grade_follows_from_the_posterior_probabilities(
    p_weak: float, p_major: float, people: int, expected: Grade
) -> None:
    assert grade(p_weak=p_weak, p_major=p_major, people=people, rules=RULES) is expected


def test_sureness_is_the_probability_of_the_claim_the_grade_makes() -> None:
    assert sureness(Grade.MAJOR, p_weak=1.0, p_major=0.97) == 0.97
    assert sureness(Grade.MINOR, p_weak=0.96, p_major=0.1) == 0.96
    assert sureness(Grade.NO_GAP, p_weak=0.1, p_major=0.0) == pytest.approx(0.9)
    assert sureness(Grade.NOT_ENOUGH_EVIDENCE, p_weak=0.5, p_major=0.1) is None


def test_the_bayesian_false_discovery_rate_is_the_mean_chance_of_being_wrong() -> None:
    assert bayesian_fdr([0.99, 0.95, 0.96]) == pytest.approx((0.01 + 0.05 + 0.04) / 3)
    assert bayesian_fdr([]) is None


def test_a_clause_is_systemic_only_when_two_departments_are_each_established() -> None:
    found = systemic_clauses(
        [("Warehouse", "ISO 9001:2015 8.7"), ("Production", "ISO 9001:2015 8.7"), ("IT", "A.5")],
        departments=2,
    )
    assert found == {"ISO 9001:2015 8.7": ["Production", "Warehouse"]}
    assert trend(0.6, 0.7) == pytest.approx(-0.1) and trend(None, 0.7) is None


def test_the_auditors_chance_with_everyone_alike_is_one_minus_the_share_to_the_k() -> None:
    weights = np.zeros_like(gap_model.GRID)
    weights[140] = 1.0  # all belief on one effect
    curve = auditor.tabulated(lambda x: np.asarray(expit(1.0 + x)))
    share = float(expit(1.0 + gap_model.GRID[140]))
    chance = auditor.auditor_chance(
        effects=gap_model.GRID,
        weights=weights,
        share=curve,
        spread=0.0,
        records=[],
        staff=10,
        interviewed=3,
    )
    assert chance == pytest.approx(1 - share**3, abs=1e-6)


def test_the_auditors_chance_averages_over_every_sample_of_people() -> None:
    weights = np.zeros_like(gap_model.GRID)
    weights[140] = 1.0
    curve = auditor.tabulated(lambda x: np.asarray(expit(1.0 + x)))
    records = [auditor.Record(4, 0, 1), auditor.Record(4, 4, 2)]
    spread = 1.0
    chance = auditor.auditor_chance(
        effects=gap_model.GRID,
        weights=weights,
        share=curve,
        spread=spread,
        records=records,
        staff=5,
        interviewed=3,
    )
    # By hand: each person's chance to answer, from their record, by quadrature over people.
    nodes, node_weights = np.polynomial.hermite_e.hermegauss(61)
    node_weights = node_weights / node_weights.sum()
    s = expit(1.0 + spread * nodes)

    def passes(n: int, c: int) -> float:
        likelihood = node_weights * s**c * (1 - s) ** (n - c)
        return float((likelihood * s).sum() / likelihood.sum())

    people = [passes(4, 0), passes(4, 4), passes(4, 4), passes(0, 0), passes(0, 0)]
    samples = list(itertools.combinations(people, 3))
    all_pass = sum(math.prod(sample) for sample in samples) / len(samples)
    assert chance == pytest.approx(1 - all_pass, abs=2e-3)


def test_a_funnel_limit_worked_by_hand() -> None:
    low, high = funnel.ratio_limits(answers=25, share=0.8, z=funnel.Z_95, phi=1.0)
    spread = 1.959963984540054 * math.sqrt(0.2 / (0.8 * 25))  # 0.196
    assert (low, high) == pytest.approx((1 - spread, 1 + spread))
    assert (round(low, 3), round(high, 3)) == (0.804, 1.196)


def test_overdispersion_is_one_for_binomial_noise_and_more_for_real_spread() -> None:
    rng = np.random.default_rng(4)
    calm = [funnel.FunnelPoint(str(i), 100, int(rng.binomial(100, 0.8)), 80.0) for i in range(40)]
    assert funnel.overdispersion(calm) == 1.0
    wild = [
        funnel.FunnelPoint(str(i), 100, int(rng.binomial(100, p)), 80.0)
        for i, p in enumerate(rng.uniform(0.4, 0.99, 40))
    ]
    assert funnel.overdispersion(wild) > 2.0


def test_the_distractor_test_is_a_bonferroni_corrected_binomial_tail() -> None:
    by_hand = 3 * sum(stats.binom.pmf(k, 10, 1 / 3) for k in range(8, 11))
    assert practice.distractor_p_value(chosen=8, wrong=10, wrong_options=3) == pytest.approx(
        by_hand
    )
    assert practice.distractor_p_value(chosen=9, wrong=9, wrong_options=1) == 1.0


def test_a_department_drifting_to_one_option_is_flagged_and_an_even_spread_is_not() -> None:
    drift = practice.ChoiceSpread("Production", "QP-08-001", 3, 30, {"a": 18, "b": 1, "d": 1})
    even = practice.ChoiceSpread("Warehouse", "QP-08-001", 3, 30, {"a": 4, "b": 4, "d": 4})
    true_false = practice.ChoiceSpread("IT", "ISP-02-003", 1, 30, {"false": 20})
    flags = practice.practice_flags([drift, even, true_false])
    assert [(f.spread.department, f.choice) for f in flags] == [("Production", "a")]


def test_benjamini_hochberg_q_values_match_a_hand_rolled_procedure() -> None:
    spreads = [
        practice.ChoiceSpread(f"D{i}", "Q", 3, 20, {"a": top, "b": 2, "c": 2})
        for i, top in enumerate([3, 6, 9, 12])
    ]
    tests = practice.practice_tests(spreads)
    p = np.asarray([t.p_value for t in tests])
    order = np.argsort(p)
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    expected = np.empty_like(q)
    expected[order] = np.minimum(q, 1.0)
    assert [t.q_value for t in tests] == pytest.approx(list(expected))


def test_question_checks_are_raised_only_when_significant() -> None:
    verdicts = item_quality.item_verdicts(
        [
            item_quality.ItemEvidence("HARD", 50, 3, 20, 0.3),
            item_quality.ItemEvidence("FAIR", 12, 3, 12, 0.3),
            item_quality.ItemEvidence("INVERTED", 60, 40, 40, -0.5),
            item_quality.ItemEvidence("NOISY", 12, 8, 12, -0.1),
        ]
    )
    flags = {v.evidence.question: v.flags for v in verdicts}
    assert flags == {
        "HARD": (item_quality.HARD,),
        "FAIR": (),
        "INVERTED": (item_quality.INVERTED,),
        "NOISY": (),
    }
    inverted = next(v for v in verdicts if v.evidence.question == "INVERTED")
    interval = inverted.discrimination_interval
    assert interval is not None
    half = 1.959963984540054 / math.sqrt(37)
    assert (interval.low, interval.high) == pytest.approx(
        (math.tanh(math.atanh(-0.5) - half), math.tanh(math.atanh(-0.5) + half))
    )


def _company(cells: dict[tuple[str, str], list[tuple[str, int, int]]]) -> CompanyCounts:
    return CompanyCounts(
        procedures=[CellCounts(d, p, 5, tuple(items)) for (d, p), items in cells.items()],
        clauses=[],
        staff={d: 8 for d, _ in cells},
    )


def _even_company(share: float) -> dict[tuple[str, str], list[tuple[str, int, int]]]:
    right = round(8 * share)
    return {
        (f"D{d}", f"P{p}"): [(f"P{p}-{q}", 8, right) for q in range(4)]
        for d in range(6)
        for p in range(3)
    }


def test_a_company_with_no_gaps_comes_out_clean() -> None:
    verdicts = judge_company(_company(_even_company(0.85)), RULES)
    assert {v.grade for v in verdicts.procedures} == {Grade.NO_GAP}
    assert verdicts.top() == [] and verdicts.practice == []


def test_one_weak_cell_is_found_and_ranked_first() -> None:
    cells = _even_company(0.85)
    cells["D2", "P1"] = [(f"P1-{q}", 8, 2) for q in range(4)]
    verdicts = judge_company(_company(cells), RULES)
    established = {
        (v.department, v.subject)
        for v in verdicts.procedures
        if v.grade in (Grade.MINOR, Grade.MAJOR)
    }
    assert established == {("D2", "P1")}
    assert (verdicts.top()[0].department, verdicts.top()[0].subject) == ("D2", "P1")


def test_a_department_asked_only_the_hardest_questions_is_not_taken_for_a_weak_one() -> None:
    cells = {}
    for d in range(6):
        # Question 0 is hard for everyone (about 45% right), the others easy (about 95%).
        cells[f"D{d}", "P0"] = [
            ("P0-0", 10, 4 + d % 2),
            *((f"P0-{q}", 10, 9 + d % 2) for q in (1, 2, 3)),
        ]
    cells["D6", "P0"] = [("P0-0", 30, 14)]  # only the hard question: 47% right
    verdicts = judge_company(_company(cells), RULES)
    d6 = next(v for v in verdicts.procedures if v.department == "D6")
    assert d6.correct / d6.answers < 0.7
    assert d6.grade is Grade.NO_GAP
