"""Learning from confirmations: a reply that is a near copy of one an admin graded gets that grade.

A near copy reads the same once normalised (case, accents, punctuation, contractions) and
filler words ("I", "would", "the") are set aside: it is at least `THRESHOLD` alike by
`rapidfuzz.fuzz.ratio`, says no word the other doesn't (typos allowed), and has the same
negations and hedges, so "I would tell my supervisor" never learns from "I wouldn't tell my
supervisor". Pure and deterministic: no I/O. See docs/learning-from-confirmations.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

from questions.grading import Verdict

# fuzz.ratio is 100 × (1 − letters inserted or deleted ÷ both lengths), here over the words
# that are not filler. At 90 a reply of 50 such letters may differ by about 10: typos
# ("tagg", "quarentine", "tel": 96) pass, while one changed key word in a short reply ("tell
# my supervisor" / "tell my manager": 61) or a reordered one (81) does not. The ratio alone
# can't tell a typo from a new word, though: "…, and tag it" added to a reply still scores 95,
# which is why every word must also be matched. On the labelled replies (benchmarks/learning.py)
# 90 is the highest threshold that keeps typo copies' recall (92%; 89% at 95, on 779 replies).
THRESHOLD = 90
# A word of one reply that the other lacks is a typo of one of the other's words at this ratio:
# one letter added or dropped in a 4-letter word (86), one swapped in a 5-letter word (80).
TYPO_RATIO = 80
# Replies shorter than this (in words), or of filler only, say too little to learn from.
MIN_WORDS = 2

NEGATIONS = frozenset(
    {"not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without"}
)
HEDGES = frozenset({"maybe", "perhaps", "think", "guess", "probably", "unsure"})
# Words that change no grade when one reply has them and the other doesn't.
FILLER = frozenset(
    {"a", "an", "the", "and", "then", "so", "also", "just", "really", "i", "we", "would",
     "will", "should", "it", "s", "well", "um", "erm", "ok", "okay"}
)  # fmt: skip

_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"\bcan't\b|\bcannot\b"), "can not"),
    (re.compile(r"\bain't\b"), "is not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"\b(it|that|there|what|he|she)'s\b"), r"\1 is"),
    (re.compile(r"\blet's\b"), "let us"),
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_NOT_A_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class ConfirmedReply:
    """A reply whose grade an admin set: confirmed or changed from the grader's."""

    item_id: int
    reply: str
    verdict: Verdict


@dataclass(frozen=True)
class LearntVerdict:
    """The verdict a reply takes from the confirmed reply it is a near copy of."""

    verdict: Verdict
    similarity: int  # fuzz.ratio of the normalised texts without filler words, 0-100
    confirmed: ConfirmedReply


def normalised(text: str) -> str:
    """Casefolded, accents dropped, contractions opened, punctuation as spaces, spaces single."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return " ".join(_NOT_A_WORD.sub(" ", text).split())


def polarity(normalised_text: str) -> Counter[str]:
    """The negations and hedges a normalised reply says, with how often it says each."""
    words = normalised_text.split()
    found = Counter(w for w in words if w in NEGATIONS or w in HEDGES)
    found["not sure"] = sum(1 for pair in pairwise(words) if pair == ("not", "sure"))
    return +found


def closest_confirmed(reply: str, confirmed: Sequence[ConfirmedReply]) -> LearntVerdict | None:
    """The verdict of the confirmed reply most like `reply`, when it is a near copy of one.

    None when no confirmed reply is near enough, when `reply` is too short, or when the near
    ones were given different verdicts (then a person should decide again).
    """
    text = normalised(reply)
    if len(text.split()) < MIN_WORDS or not _content(text):
        return None
    near = []
    for candidate in confirmed:
        other = normalised(candidate.reply)
        score = fuzz.ratio(_content(text), _content(other))
        if score >= THRESHOLD and _same_words(text, other) and polarity(text) == polarity(other):
            near.append((score, candidate))
    if not near or len({c.verdict for _, c in near}) > 1:
        return None
    score, best = max(near, key=lambda found: (found[0], found[1].item_id))
    return LearntVerdict(best.verdict, round(score), best)


def _content(text: str) -> str:
    return " ".join(w for w in text.split() if w not in FILLER)


def _same_words(one: str, other: str) -> bool:
    """Each reply's words, filler aside, are the other's or a typo of one of them."""
    mine, theirs = set(_content(one).split()), set(_content(other).split())
    return _covered(mine - theirs, theirs - mine) and _covered(theirs - mine, mine - theirs)


def _covered(extra: set[str], counterparts: set[str]) -> bool:
    return all(any(fuzz.ratio(word, c) >= TYPO_RATIO for c in counterparts) for word in extra)
