"""Computing the company's verdicts from SQL aggregates, and storing them as judged.

One computation for the whole company (`bot.domain.summary.verdicts.judge_company`), stored
(`storage.verdicts`) so every view reads the same verdict for a cell. It is recomputed when
answers came in since, or when the period moved to a new day.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.domain.summary.auditor import Record
from bot.domain.summary.gaps import GapRules, correlation_from_sums
from bot.domain.summary.item_quality import ItemEvidence
from bot.domain.summary.practice import ChoiceSpread
from bot.domain.summary.verdicts import CellCounts, CompanyCounts, CompanyVerdicts, judge_company
from storage import analysis
from storage import verdicts as stored
from storage.reports import Cell, Period, clause_cells, first_day, procedure_cells
from storage.tallies import AnalysisRun


def gather(session: Session, *, period: Period) -> CompanyCounts:
    """Every aggregate the verdicts need, for the whole company, in a handful of queries."""
    since = first_day(period)
    choices = sorted(analysis.choice_counts(session, period=period), key=_choice_order)
    items: dict[tuple[str, str], list[tuple[str, int, int]]] = defaultdict(list)
    # Rows in a fixed order, so the same answers always give the very same floating-point sums.
    for row in sorted(analysis.item_counts(session, since=since), key=_item_order):
        items[(row.department, row.procedure)].append((row.question, row.answers, row.correct))
    records: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in sorted(analysis.person_records(session, since=since), key=_record_order):
        records[(r.department, r.procedure)].append(Record(r.answers, r.correct, r.people))
    return CompanyCounts(
        procedures=[
            CellCounts(
                c.department, c.subject, c.people_answered, tuple(items[(c.department, c.subject)])
            )
            for c in procedure_cells(session, departments=None, since=since)
            if items.get((c.department, c.subject))
        ],
        clauses=[
            _clause_counts(c)
            for c in clause_cells(session, departments=None, since=since)
            if c.answers
        ],
        records=dict(records),
        staff=analysis.staff_by_department(session),
        choices=_choice_spreads(choices, analysis.option_counts(session)),
        items=_item_evidence(session, period, choices),
    )


def _item_order(row: analysis.ItemRow) -> tuple[str, str, str]:
    return (row.department, row.procedure, row.question)


def _record_order(row: analysis.RecordRow) -> tuple[str, str, int, int]:
    return (row.department, row.procedure, row.answers, row.correct)


def _choice_order(row: analysis.ChoiceRow) -> tuple[str, str, str]:
    return (row.department, row.question, row.choice)


def _clause_counts(cell: Cell) -> CellCounts:
    return CellCounts(
        cell.department,
        cell.subject,
        cell.people_answered,
        ((cell.subject, cell.answers, cell.correct),),
    )


def _choice_spreads(
    choices: list[analysis.ChoiceRow], options: dict[str, tuple[str, int]]
) -> list[ChoiceSpread]:
    answers: dict[tuple[str, str], int] = defaultdict(int)
    wrong: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for row in choices:
        key = (row.department, row.question)
        answers[key] += row.answers
        if not row.is_correct:
            wrong[key][row.choice] = wrong[key].get(row.choice, 0) + row.answers
    return [
        ChoiceSpread(
            department,
            question,
            _wrong_options(options.get(question)),
            total,
            wrong[(department, question)],
        )
        for (department, question), total in sorted(answers.items())
    ]


def _wrong_options(found: tuple[str, int] | None) -> int:
    """Options a person could wrongly pick, for single-choice and true/false questions.

    "Choose all that apply" answers are combinations, not options, so they are not tested.
    """
    if found is None:
        return 0
    kind, options = found
    if kind == "single":
        return max(options - 1, 0)
    if kind == "true_false":
        return 1
    return 0


def _item_evidence(
    session: Session, period: Period, choices: list[analysis.ChoiceRow]
) -> list[ItemEvidence]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in choices:
        totals[row.question][0] += row.answers
        totals[row.question][1] += row.answers if row.is_correct else 0
    people = analysis.question_people(session, period=period)
    moments = {m.question: m for m in analysis.moments(session, period=period)}
    evidence = []
    for question, (answers, correct) in sorted(totals.items()):
        m = moments.get(question)
        r = None if m is None else _point_biserial(m)
        evidence.append(ItemEvidence(question, answers, correct, people.get(question, 0), r))
    return evidence


def _point_biserial(m: analysis.MomentRow) -> float | None:
    return correlation_from_sums(m.people, m.sx, m.sy, m.sxy, m.sxx, m.syy)


def judged(session: Session, *, period: Period, rules: GapRules) -> CompanyVerdicts:
    """The verdicts for a period, computed now and not stored."""
    return judge_company(gather(session, period=period), rules)


def as_stored(verdicts: CompanyVerdicts) -> stored.StoredVerdicts:
    return stored.StoredVerdicts(
        cells=[
            stored.StoredCell(
                kind=v.kind,
                department=v.department,
                subject=v.subject,
                answers=v.answers,
                correct=v.correct,
                expected=v.expected,
                estimate=v.estimate,
                low=v.low,
                high=v.high,
                p_weak=v.p_weak,
                p_major=v.p_major,
                grade=str(v.grade),
                sureness=v.sureness,
                auditor_chance=v.auditor_chance,
                finding_chance=v.finding_chance,
            )
            for v in (*verdicts.procedures, *verdicts.clauses)
        ],
        practice=[
            stored.StoredPractice(
                department=t.spread.department,
                question_code=t.spread.question,
                choice=t.choice,
                chosen=t.chosen,
                answers=t.spread.answers,
                wrong_options=t.spread.wrong_options,
                p_value=t.p_value,
                q_value=t.q_value,
            )
            for t in verdicts.practice
        ],
        checks=[
            stored.StoredCheck(
                question_code=i.evidence.question,
                answers=i.evidence.answers,
                correct=i.evidence.correct,
                people=i.evidence.people,
                facility_low=i.facility_interval.low,
                facility_high=i.facility_interval.high,
                discrimination=i.evidence.discrimination,
                discrimination_low=i.discrimination_interval.low
                if i.discrimination_interval
                else None,
                discrimination_high=(
                    i.discrimination_interval.high if i.discrimination_interval else None
                ),
                flags=list(i.flags),
            )
            for i in verdicts.items
        ],
    )


def parameters(verdicts: CompanyVerdicts) -> dict[str, float | None]:
    return {
        "cell_spread": verdicts.cell_spread,
        "person_spread": verdicts.person_spread,
        "false_discovery": verdicts.false_discovery,
    }


def refresh(session: Session, *, period: Period, rules: GapRules, now: datetime) -> AnalysisRun:
    """Recompute and store the company's verdicts; the caller commits."""
    analysis.refresh_lock(session)
    started = time.perf_counter()
    last_answer = analysis.last_answer_id(session)
    verdicts = judged(session, period=period, rules=rules)
    stored.replace(session, as_stored(verdicts))
    session.execute(delete(AnalysisRun))
    run = AnalysisRun(
        computed_at=now,
        period_start=period.start,
        period_end=period.end,
        last_answer_id=last_answer,
        parameters=parameters(verdicts) | {"seconds": time.perf_counter() - started},
    )
    session.add(run)
    session.flush()
    return run
