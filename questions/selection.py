"""Which question to ask a person next, as a pure function of plain data."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Candidate:
    """A live question version the person belongs to the audience of."""

    question_code: str
    procedure_code: str


@dataclass(frozen=True)
class Asked:
    """What a person did with a question before."""

    last_asked: datetime
    last_correct: bool | None


def choose_question(
    *,
    candidates: Sequence[Candidate],
    history: Mapping[str, Asked],
    now: datetime,
    recent_days: int,
    seed: int,
) -> Candidate | None:
    """Pick one question: never asked first, then ones answered wrongly, then the stalest.

    A question asked within `recent_days` is only chosen when nothing else remains, and
    then the one asked longest ago. Ties are broken by a seeded shuffle so a person does
    not walk the bank in file order.
    """
    if not candidates:
        return None
    rng = random.Random(seed)
    shuffled = list(candidates)
    rng.shuffle(shuffled)
    cutoff = now - timedelta(days=recent_days)
    return min(shuffled, key=lambda c: _rank(history.get(c.question_code), cutoff))


def _rank(asked: Asked | None, cutoff: datetime) -> tuple[int, datetime]:
    if asked is None:
        return (0, datetime.min)
    if asked.last_asked >= cutoff:
        return (3, asked.last_asked)
    if asked.last_correct is False:
        return (1, asked.last_asked)
    return (2, asked.last_asked)
