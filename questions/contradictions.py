"""Whether a reply makes one of a question's wrong claims about the procedure.

A bank's `contradicts` lists what a person says when they do the opposite of the procedure
("we never fill it in", "whichever copy is nearest"). Said plainly, it fails the reply whatever
else it says: an auditor who hears it writes a finding. Said hedged or as a condition, it keeps
the reply from passing and a person reads it. Said in the negative ("we don't just bin it"), it
is no wrong claim. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from questions.clauses import SUBORDINATORS
from questions.key_points import MET_SCORE, KeyPointSpec
from questions.phrase_matching import Candidate, Reply, point_candidates
from questions.reply_words import Role, words_of

_PLAIN_DOUBTS = (None, "not in a statement")  # a wrong claim needs no verb to be wrong


@dataclass(frozen=True)
class WrongClaim:
    evidence: str  # the reply's words that make it
    hedged: bool


def wrong_claim(reply: Reply, contradicts: Sequence[str]) -> WrongClaim | None:
    """The wrong claim the reply makes most plainly, if it makes one."""
    if not contradicts:
        return None
    said = [
        c
        for phrase in contradicts
        for c in point_candidates(reply, KeyPointSpec("wrong claim", (phrase,)), 0)
        if c.score >= MET_SCORE
        and not c.negated
        and _said_as_written(reply, phrase, c)
        and not _across_a_reason(reply, c)
    ]
    if not said:
        return None
    plain = [c for c in said if c.doubt in _PLAIN_DOUBTS]
    best = max(plain or said, key=lambda c: (c.score, c.specificity))
    return WrongClaim(_words(reply, best), hedged=not plain)


def denied_claims(reply: Reply, contradicts: Sequence[str]) -> list[Candidate]:
    """Where the reply says no to a wrong claim ("I wouldn't fix it myself"): that makes a
    point, like a key point does."""
    return [
        c
        for phrase in contradicts
        for c in point_candidates(reply, KeyPointSpec("wrong claim", (phrase,)), 0)
        if c.score >= MET_SCORE and c.negated
    ]


def _said_as_written(reply: Reply, phrase: str, candidate: Candidate) -> bool:
    """A wrong claim of one meaningful word among filler ("just bin it") is the filler too:
    "bin" alone is the right "reject bin", so the claim must be said word for word."""
    words = [w.plain for w in words_of(phrase) if w.role is not Role.BOUNDARY]
    if sum(w.meaningful for w in words_of(phrase)) > 1 or len(words) == 1:
        return True
    start = max(candidate.first_word - len(words), 0)
    around = [w.plain for w in reply.words[start : candidate.last_word + len(words) + 1]]
    return any(around[i : i + len(words)] == words for i in range(len(around)))


def _across_a_reason(reply: Reply, candidate: Candidate) -> bool:
    """A claim's words split by a "because" or an "if" are two thoughts, not the claim: "even
    if it's a near miss, because if it's not written down it didn't happen" argues for the form."""
    return any(
        candidate.first_word < clause.first <= candidate.last_word and clause.lead in SUBORDINATORS
        for clause in reply.clauses
    )


def _words(reply: Reply, candidate: Candidate) -> str:
    start = reply.words[candidate.first_word].start
    return reply.text[start : reply.words[candidate.last_word].end]
