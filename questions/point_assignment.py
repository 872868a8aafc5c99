"""Sharing a reply's words out among the key points, so that as many as possible are met.

Pure; `questions/grading.py` grades with the result.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from questions.key_points import MET_SCORE, UNSURE_SCORE, KeyPointSpec, PointMatch
from questions.phrase_matching import Candidate, Reply
from questions.reply_words import Role

# The best few places in the reply for each key point, when sharing the reply's words out,
# and the most combinations tried before settling for the best place of each point in turn.
OPTIONS_PER_POINT = 4
MAX_COMBINATIONS = 20_000


def assign_points(
    specs: Sequence[KeyPointSpec], candidates: list[Candidate]
) -> tuple[Candidate | None, ...]:
    """Give each point a place in the reply, so that as many points as possible are met.

    A word of the reply counts for one key point only: "incident report" names the form, and
    doesn't also count as telling someone.
    """
    options = [_options(candidates, i) for i in range(len(specs))]
    if math.prod(len(o) for o in options) <= MAX_COMBINATIONS:
        return max(itertools.product(*options), key=_assignment_value)
    return _first_come(options)


def unrecognised_words(
    reply: Reply, chosen: tuple[Candidate | None, ...], candidates: list[Candidate]
) -> list[str]:
    """Meaningful words of the reply that no key point accounts for, in plain statements that
    make no point: words that may make a point the bank doesn't word that way."""
    spans = [c for c in chosen if c is not None] + [c for c in candidates if c.negated]
    covered = {i for c in spans for i in range(c.first_word, c.last_word + 1)}
    silent = [
        clause
        for clause in reply.clauses
        if clause.statement
        and not (clause.negated or clause.carried or clause.hedged or clause.conditional)
        and not any(clause.holds(i) for i in covered)
    ]
    return [
        reply.text[w.start : w.end]
        for i, w in enumerate(reply.words)
        if w.role is Role.CONTENT and w.end - w.start >= 4 and any(c.holds(i) for c in silent)
    ]


def _options(candidates: list[Candidate], point: int) -> list[Candidate | None]:
    usable = [c for c in candidates if c.point == point and not c.negated]
    distinct: dict[tuple[int, ...], Candidate] = {}
    for candidate in sorted((c for c in usable if c.score >= UNSURE_SCORE), key=_priority):
        distinct.setdefault(candidate.positions, candidate)
    return [*list(distinct.values())[:OPTIONS_PER_POINT], None]


def _first_come(options: list[list[Candidate | None]]) -> tuple[Candidate | None, ...]:
    claimed: set[int] = set()
    chosen: list[Candidate | None] = []
    for option in options:
        pick = next((c for c in option if c and not claimed.intersection(c.positions)), None)
        claimed.update(pick.positions if pick else ())
        chosen.append(pick)
    return tuple(chosen)


def _assignment_value(chosen: tuple[Candidate | None, ...]) -> tuple[int, int, int, float]:
    picked = [c for c in chosen if c is not None]
    positions = [p for c in picked for p in c.positions]
    if len(positions) != len(set(positions)):
        return (-1, 0, 0, 0.0)
    met = sum(is_sure(c) for c in picked)
    specificity = sum(c.specificity for c in picked)
    return (met, len(picked) - met, specificity, sum(c.score for c in picked))


def _priority(c: Candidate) -> tuple[bool, int, float, int, int, tuple[int, ...]]:
    # Sure matches first; among them the longer phrasing, because it says more ("incident
    # report" is a form, while "report" alone is telling someone); then the tightest.
    width = c.positions[-1] - c.positions[0]
    return (not is_sure(c), -c.specificity, -c.score, width, c.point, c.positions)


def is_sure(c: Candidate) -> bool:
    """A match that meets its point: close enough, and said as a plain statement."""
    return c.score >= MET_SCORE and c.doubt is None


def point_match(
    reply: Reply, spec: KeyPointSpec, chosen: Candidate | None, own: list[Candidate]
) -> PointMatch:
    """How a point fared: its chosen place, else a sure match in the negative, else its best try."""
    if chosen is not None:
        doubt = chosen.doubt if chosen.score >= MET_SCORE else None
        evidence = _evidence(reply, chosen)
        return PointMatch(
            spec.point, is_sure(chosen), round(chosen.score, 1), evidence, doubt=doubt
        )
    negated = sorted((c for c in own if c.negated and c.score >= MET_SCORE), key=_priority)
    if negated:
        return PointMatch(spec.point, False, 0.0, _evidence(reply, negated[0]), negated=True)
    weak = [c.score for c in own if not c.negated and c.score < UNSURE_SCORE]
    return PointMatch(spec.point, False, round(max(weak, default=0.0), 1), None)


def _evidence(reply: Reply, candidate: Candidate) -> str:
    start = reply.words[candidate.first_word].start
    return reply.text[start : reply.words[candidate.last_word].end]
