"""Whole companies judged at once: tiny hand-made ones where the right answer is plain."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.domain.summary.gaps import ESTABLISHED, GapRules, Grade
from bot.domain.summary.practice import ChoiceSpread
from bot.domain.summary.verdicts import CellCounts, CompanyCounts, CompanyVerdicts, judge_company

RULES = GapRules()
DEPARTMENTS = [f"D{d}" for d in range(6)]
PROCEDURES = [f"P{p}" for p in range(3)]
PER_QUESTION = (8, 8, 7, 7)  # 30 answers per cell over four questions


def _cell(department: str, procedure: str, share: float, people: int = 10) -> CellCounts:
    items = tuple((f"{procedure}-Q{q}", n, round(n * share)) for q, n in enumerate(PER_QUESTION))
    return CellCounts(department, procedure, people, items)


def _even_choices(cells: list[CellCounts]) -> list[ChoiceSpread]:
    """Each cell's wrong answers spread as evenly as they can be over three wrong options."""
    spreads = []
    for cell in cells:
        for question, answers, correct in cell.items:
            wrong = answers - correct
            counts = {o: wrong // 3 + (i < wrong % 3) for i, o in enumerate("abc")}
            spreads.append(ChoiceSpread(cell.department, question, 3, answers, counts))
    return spreads


def _judge(cells: list[CellCounts], clauses: Sequence[CellCounts] = ()) -> CompanyVerdicts:
    counts = CompanyCounts(
        procedures=cells,
        clauses=clauses,
        staff={d: 12 for d in DEPARTMENTS},
        choices=_even_choices(cells),
    )
    return judge_company(counts, RULES)


def _company(weak: dict[tuple[str, str], float] | None = None) -> list[CellCounts]:
    weak = weak or {}
    return [_cell(d, p, weak.get((d, p), 0.85)) for d in DEPARTMENTS for p in PROCEDURES]


def _established(verdicts: CompanyVerdicts) -> set[tuple[str, str]]:
    return {(v.department, v.subject) for v in verdicts.procedures if v.grade in ESTABLISHED}


def test_a_company_where_every_cell_is_at_85_percent_has_no_gaps() -> None:
    verdicts = _judge(_company())
    assert len(verdicts.procedures) == 18
    assert _established(verdicts) == set()
    assert verdicts.practice == []
    assert verdicts.false_discovery is None


def test_one_weak_cell_is_the_only_gap_and_comes_first() -> None:
    verdicts = _judge(_company({("D2", "P1"): 0.30}))
    assert _established(verdicts) == {("D2", "P1")}
    first = verdicts.top()[0]
    assert (first.department, first.subject) == ("D2", "P1")
    assert first.correct / first.answers < 0.3


def test_a_weak_cell_is_far_likelier_to_be_met_by_an_auditor() -> None:
    verdicts = _judge(_company({("D2", "P1"): 0.30}))
    weak = next(v for v in verdicts.procedures if (v.department, v.subject) == ("D2", "P1"))
    others = [v for v in verdicts.procedures if v is not weak]
    assert all(weak.auditor_chance > v.auditor_chance for v in others)


def test_each_verdict_ranks_by_the_chance_it_is_real_times_the_chance_it_is_met() -> None:
    verdicts = _judge(_company({("D2", "P1"): 0.30, ("D4", "P0"): 0.55, ("D0", "P2"): 0.6}))
    for v in verdicts.procedures:
        assert v.finding_chance == pytest.approx(v.p_weak * v.auditor_chance)
        assert v.p_major <= v.p_weak
    chances = [v.finding_chance for v in verdicts.top()]
    assert chances == sorted(chances, reverse=True)
    assert len(verdicts.top(limit=1)) == 1


def test_the_false_discovery_rate_is_over_the_established_gaps() -> None:
    verdicts = _judge(_company({("D2", "P1"): 0.30, ("D4", "P0"): 0.40}))
    established = [v for v in verdicts.procedures if v.grade in ESTABLISHED]
    assert len(established) == 2
    by_hand = sum(1 - v.p_weak for v in established) / len(established)
    assert verdicts.false_discovery == pytest.approx(by_hand)


def test_a_weak_cell_with_too_few_people_is_not_enough_evidence() -> None:
    cells = _company()
    cells = [c for c in cells if (c.department, c.subject) != ("D2", "P1")]
    cells.append(_cell("D2", "P1", 0.30, people=2))
    verdicts = _judge(cells)
    weak = next(v for v in verdicts.procedures if (v.department, v.subject) == ("D2", "P1"))
    assert weak.grade is Grade.NOT_ENOUGH_EVIDENCE
    assert weak.sureness is None
    assert verdicts.top() == []


def test_a_department_given_only_the_hardest_question_is_not_taken_for_a_weak_one() -> None:
    cells = [
        # Question 0 is hard for everyone (about 45% right), the others easy (about 95%).
        CellCounts(
            f"D{d}",
            "P0",
            10,
            (("P0-Q0", 10, 4 + d % 2), *((f"P0-Q{q}", 10, 9 + d % 2) for q in (1, 2, 3))),
        )
        for d in range(6)
    ]
    cells.append(CellCounts("D6", "P0", 10, (("P0-Q0", 30, 14),)))  # 47% on the hard one
    verdicts = _judge(cells)
    d6 = next(v for v in verdicts.procedures if v.department == "D6")
    assert d6.correct / d6.answers < 0.7
    assert d6.grade is Grade.NO_GAP
    assert d6.estimate > 0.7


def test_half_right_over_the_usual_questions_is_a_gap() -> None:
    """The control for the case above: 50% spread over all four questions is a gap."""
    cells = [
        CellCounts(
            f"D{d}",
            "P0",
            10,
            (("P0-Q0", 10, 4 + d % 2), *((f"P0-Q{q}", 10, 9 + d % 2) for q in (1, 2, 3))),
        )
        for d in range(6)
    ]
    cells.append(CellCounts("D6", "P0", 10, tuple((f"P0-Q{q}", 10, 5) for q in range(4))))
    verdicts = _judge(cells)
    d6 = next(v for v in verdicts.procedures if v.department == "D6")
    assert d6.grade in ESTABLISHED


def _clauses(weak: set[str]) -> list[CellCounts]:
    return [
        CellCounts(d, clause, 10, ((clause, 30, 9 if d in weak and clause == "8.7" else 26),))
        for d in DEPARTMENTS
        for clause in ("7.3", "8.7")
    ]


def test_two_departments_weak_on_one_clause_make_a_systemic_finding() -> None:
    verdicts = _judge(_company(), clauses=_clauses({"D1", "D4"}))
    weak = {(v.department, v.subject) for v in verdicts.clauses if v.grade in ESTABLISHED}
    assert weak == {("D1", "8.7"), ("D4", "8.7")}
    assert verdicts.systemic == {"8.7": ["D1", "D4"]}


def test_one_department_weak_on_a_clause_is_not_systemic() -> None:
    verdicts = _judge(_company(), clauses=_clauses({"D1"}))
    assert {(v.department, v.subject) for v in verdicts.clauses if v.grade in ESTABLISHED} == {
        ("D1", "8.7")
    }
    assert verdicts.systemic == {}


def test_a_department_choosing_one_wrong_option_is_flagged_for_practice() -> None:
    cells = _company({("D2", "P1"): 0.30})
    counts = CompanyCounts(
        procedures=cells,
        clauses=[],
        staff={d: 12 for d in DEPARTMENTS},
        choices=[
            *_even_choices(cells[:5]),
            ChoiceSpread("D2", "P1-Q0", 3, 30, {"a": 18, "b": 1, "c": 1}),
        ],
    )
    verdicts = judge_company(counts, RULES)
    assert [(t.spread.department, t.spread.question, t.choice) for t in verdicts.practice] == [
        ("D2", "P1-Q0", "a")
    ]
