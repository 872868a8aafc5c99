"""Key points of an open question, and how one of them fared in a reply.

Pure; `questions/grading.py` grades with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# A phrasing scores 0-100: every word present, at most lightly misspelt, scores 85 or more.
MET_SCORE = 85.0
# Below this, too little of any phrasing is there to be worth a person's look.
UNSURE_SCORE = 70.0


class KeyPointLike(Protocol):
    """What the grader needs of a key point: questions.model.KeyPoint has it."""

    @property
    def point(self) -> str: ...

    @property
    def phrasings(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class KeyPointSpec:
    """A key point as plain data, for key points read back from the database as JSON."""

    point: str
    phrasings: tuple[str, ...]


@dataclass(frozen=True)
class PointMatch:
    """How one key point fared: met, how well (0-100), and the words of the reply that showed it.

    A point said in the negative is not met, scores 0 and keeps the negated words as evidence.
    """

    point: str
    matched: bool
    score: float
    evidence: str | None
    negated: bool = False

    @property
    def uncertain(self) -> bool:
        """Neither clearly met nor clearly missing: a person should decide."""
        return not self.matched and not self.negated and self.score >= UNSURE_SCORE


def key_points_from_json(raw: Sequence[Mapping[str, Any]]) -> tuple[KeyPointSpec, ...]:
    """Key points stored as JSON ({"point": ..., "phrasings": [...]}) as grader input."""
    return tuple(spec_of(item) for item in raw)


def spec_of(item: KeyPointLike | Mapping[str, Any]) -> KeyPointSpec:
    """A key point from the bank or from stored JSON, as plain data."""
    if isinstance(item, Mapping):
        return KeyPointSpec(str(item["point"]), tuple(str(p) for p in item["phrasings"]))
    return KeyPointSpec(item.point, tuple(item.phrasings))
