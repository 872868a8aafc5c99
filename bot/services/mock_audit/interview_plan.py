"""Which questions a practice interview asks, in the order an auditor asks them. Pure."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from questions.model import Audience, Stage

STAGE_ORDER = (
    Stage.POLICY,
    Stage.OBJECTIVES,
    Stage.PROCEDURES,
    Stage.PROBLEMS,
    Stage.IMPLICATIONS,
)


@dataclass(frozen=True)
class StagedQuestion:
    """A live question with an interview stage."""

    version_id: int
    code: str
    kind: str
    stage: Stage
    clauses: tuple[str, ...]
    departments: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


def in_scope(question: StagedQuestion, standards: Sequence[str]) -> bool:
    """True when one of the question's clauses belongs to a standard in scope."""
    return not standards or any(c.startswith(s) for c in question.clauses for s in standards)


def interview_plan(
    bank: Sequence[StagedQuestion],
    *,
    department: str,
    role: str | None,
    standards: Sequence[str],
    seed: int,
) -> list[StagedQuestion]:
    """One question per stage, in the auditor's order, alternating open and closed ones.

    Open questions come first at even positions and closed ones at odd positions where the
    stage has both, so an interview mixes "in your own words" with quick checks.
    """
    rng = random.Random(seed)
    plan: list[StagedQuestion] = []
    for position, stage in enumerate(STAGE_ORDER):
        fitting = [
            q
            for q in sorted(bank, key=lambda q: q.code)
            if q.stage is stage
            and in_scope(q, standards)
            and Audience(departments=list(q.departments), roles=list(q.roles)).includes(
                department=department, role=role
            )
        ]
        if not fitting:
            continue
        rng.shuffle(fitting)
        want_open = position % 2 == 0
        fitting.sort(key=lambda q: (q.kind == "open") != want_open)
        plan.append(fitting[0])
    return plan
