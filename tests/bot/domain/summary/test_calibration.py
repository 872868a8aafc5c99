"""Calibration, small: `judge_company` on simulated companies whose truth is known.

The full benchmark is `benchmarks/calibration.py` (figures in docs/benchmarks.md); these are
20 companies without gaps and 20 with three planted gaps at 0.40 against a base of 0.85,
~90 people in 6 departments, with fixed seeds and bounds looser than the benchmark's targets.
"""

from __future__ import annotations

import functools

import pytest

from bot.domain.summary.gaps import ESTABLISHED, GapRules, Grade
from bot.domain.summary.verdicts import CompanyVerdicts, judge_company
from tests.bot.domain.summary.simulated_company import SimulatedCompany, simulate

RULES = GapRules()
COMPANIES = 20


@functools.cache
def judged(gaps: tuple[float, ...]) -> list[tuple[SimulatedCompany, CompanyVerdicts]]:
    companies = [simulate(1000 + seed, gaps=gaps) for seed in range(COMPANIES)]
    return [(company, judge_company(company.counts, RULES)) for company in companies]


def established(verdicts: CompanyVerdicts) -> set[tuple[str, str]]:
    return {(v.department, v.subject) for v in verdicts.procedures if v.grade in ESTABLISHED}


def coverage(runs: list[tuple[SimulatedCompany, CompanyVerdicts]]) -> float:
    inside = [
        v.low <= company.truth[(v.department, v.subject)] <= v.high
        for company, verdicts in runs
        for v in verdicts.procedures
        if v.grade is not Grade.NOT_ENOUGH_EVIDENCE
    ]
    return sum(inside) / len(inside)


def test_the_simulated_counts_add_up() -> None:
    company = simulate(7, gaps=(0.4,))
    counts = company.counts
    for cell in counts.procedures:
        records = counts.records[(cell.department, cell.subject)]
        assert sum(r.people for r in records) == cell.people <= counts.staff[cell.department]
        assert sum(r.answers * r.people for r in records) == sum(n for _, n, _ in cell.items)
        assert sum(r.correct * r.people for r in records) == sum(c for _, _, c in cell.items)
    answered = {(s.department, s.question): s for s in counts.choices}
    for cell in counts.procedures:
        for question, n, c in cell.items:
            assert sum(answered[(cell.department, question)].wrong.values()) == n - c
    assert company.truth[next(iter(company.planted))] == pytest.approx(0.4)
    assert set(company.truth) == {(c.department, c.subject) for c in counts.procedures}


def test_companies_without_gaps_rarely_raise_an_alarm() -> None:
    alarms = [
        company for company, verdicts in judged(()) if established(verdicts) or verdicts.practice
    ]
    assert len(alarms) <= 2


def test_planted_gaps_are_found_and_ranked_first() -> None:
    runs = judged((0.4, 0.4, 0.4))
    found = sum(len(established(v) & c.planted) for c, v in runs)
    listed = sum(len(established(v)) for _, v in runs)
    assert found / (3 * COMPANIES) >= 0.8
    assert found / listed >= 0.8
    in_top = sum(c.planted <= {(t.department, t.subject) for t in v.top(5)} for c, v in runs)
    assert in_top >= 0.7 * COMPANIES


def test_intervals_cover_the_true_standardised_share() -> None:
    assert coverage(judged(())) >= 0.9
    assert coverage(judged((0.4, 0.4, 0.4))) >= 0.85
