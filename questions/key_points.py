"""Key points of an open question, and how one of them fared in a reply.

Pure; `questions/grading.py` grades with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from questions.vocabulary import Vocabulary, with_vocabulary

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

    @property
    def accept(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class KeyPointSpec:
    """A key point as plain data, for key points read back from the database as JSON."""

    point: str
    phrasings: tuple[str, ...]
    accept: tuple[str, ...] = ()


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
    # Why words that say the point don't meet it: "hedged", "only a condition", "not in a
    # statement". Such a point is unclear, for a person to judge.
    doubt: str | None = None

    @property
    def uncertain(self) -> bool:
        """Neither clearly met nor clearly missing: a person should decide."""
        return not self.matched and not self.negated and self.score >= UNSURE_SCORE


def key_points_from_json(raw: Sequence[Mapping[str, Any]]) -> tuple[KeyPointSpec, ...]:
    """Key points stored as JSON ({"point": ..., "phrasings": [...], "accept": [...]})."""
    return tuple(spec_of(item) for item in raw)


def spec_of(
    item: KeyPointLike | Mapping[str, Any], vocabulary: Vocabulary | None = None
) -> KeyPointSpec:
    """A key point from the bank or from stored JSON, as plain data, in the company's words."""
    if isinstance(item, Mapping):
        point, phrasings = str(item["point"]), [str(p) for p in item["phrasings"]]
        accept = [str(a) for a in item.get("accept") or ()]
    else:
        point, phrasings, accept = item.point, list(item.phrasings), list(item.accept)
    return KeyPointSpec(
        point, with_vocabulary(phrasings, vocabulary), with_vocabulary(accept, vocabulary)
    )
