"""Where a reply may say a phrasing of a key point, how well, and whether in the negative.

Every place in the reply that may say one phrasing of one key point is a candidate, scored 0-100
word by word (allowing for small typos and abbreviations) or with the words run together.
Pure; `questions/point_assignment.py` chooses among the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from questions.clauses import (
    Clause,
    clause_of,
    clauses_of,
    negates,
    negator_after,
    own_negator_before,
)
from questions.key_points import MET_SCORE, KeyPointSpec
from questions.reply_words import DONT_KNOW, LIGHT_VERBS, NOT_KNOWING, Role, Word, words_of

# Two different words rarely score this high; lower word scores count as no match.
WORD_FLOOR = 80.0
NEGATING_PREFIXES = frozenset({"un", "in", "im", "il", "ir", "non", "dis", "mis"})
# Words of up to this many letters must match exactly ("tag" is not "bag").
EXACT_WORD_LENGTH = 3
# A word that another word begins with may be its abbreviation ("rev", "info"): a weak match.
ABBREVIATION_SCORE = 75.0
# An accepted short reply meets its point on its own, without a verb, when its clause has at
# most this many meaningful words besides it ("red tag on it", "the intranet page").
TERSE_EXTRA = 2
FRAGMENT = "not in a statement"
NAMED = "named among others in one clause"
QUOTED = "quoted, not said"
# Words between quotes are named, not said: "the 'Do not use' label", "what 'block the
# sender' meant". An apostrophe inside a word ("don't") opens and closes nothing.
_QUOTE = re.compile(r"""(?<!\w)['‘"“]([^'‘’"“”]+?)['’"”](?!\w)""")
# A phrase may be spread over this many extra words of the reply ("tell my line supervisor").
SPREAD = 3
# Phrases this long are also compared with their spaces removed ("near miss" = "nearmiss").
JOINED_LENGTH = 8


@dataclass(frozen=True)
class _Phrase:
    stems: tuple[str, ...]
    negated: bool
    weights: tuple[int, ...]  # longer words say more


@dataclass(frozen=True)
class Reply:
    text: str
    words: tuple[Word, ...]
    content: tuple[int, ...]  # indexes into words of the meaningful ones
    stems: tuple[str, ...]
    clauses: tuple[Clause, ...]
    quoted: tuple[tuple[int, int], ...] = ()  # where quoted words start and end in the text

    @property
    def states_anything(self) -> bool:
        """False for a bare list of terms: no clause of it is a statement."""
        return any(c.statement for c in self.clauses)


@dataclass(frozen=True)
class Candidate:
    """One place in the reply that may say one phrasing of one key point."""

    point: int
    score: float
    positions: tuple[int, ...]  # indexes into Reply.content
    specificity: int
    negated: bool
    first_word: int
    last_word: int
    # Why a sure match doesn't show the point is met: "hedged", "only a condition", or
    # FRAGMENT when its clause states nothing ("red tag, quarantine").
    doubt: str | None = None
    accepted: bool = False  # one of the point's accepted short replies, on its own
    size: int = 1  # how many meaningful words the phrasing has


def parse_reply(text: str) -> Reply:
    """A reply's words, with the meaningful ones picked out for matching."""
    words = words_of(text)
    content = tuple(i for i, w in enumerate(words) if w.meaningful)
    quoted = tuple(m.span(1) for m in _QUOTE.finditer(text))
    stems = tuple(words[i].stem for i in content)
    return Reply(text, words, content, stems, clauses_of(words), quoted)


def _phrase(text: str) -> _Phrase | None:
    words = words_of(text)
    kept = [w for w in words if w.meaningful] or [w for w in words if w.role is not Role.BOUNDARY]
    if not kept:
        return None
    stems = tuple(w.stem for w in kept)
    weights = tuple(1 if s in LIGHT_VERBS else len(s) for s in stems)
    return _Phrase(stems, any(w.role is Role.NEGATOR for w in kept), weights)


def _word_similarity(a: str, b: str) -> float:
    if a == b:
        return 100.0
    if not (a.isalpha() and b.isalpha()):
        return 0.0
    short, long = sorted((a, b), key=len)
    if _opposite(short, long):
        return 0.0
    abbreviation = ABBREVIATION_SCORE if len(short) >= 3 and long.startswith(short) else 0.0
    if len(short) <= EXACT_WORD_LENGTH:
        return abbreviation
    score = fuzz.ratio(a, b)
    return max(score if score >= WORD_FLOOR else 0.0, abbreviation)


def point_candidates(reply: Reply, spec: KeyPointSpec, point: int) -> list[Candidate]:
    """Every place in the reply that may say one of the point's phrasings."""
    found: list[Candidate] = []
    phrases = [(p, False) for p in spec.phrasings] + [(p, True) for p in spec.accept]
    for text, accept in phrases:
        phrase = _phrase(text)
        if phrase is None:
            continue
        sims = [[_word_similarity(p, r) for r in reply.stems] for p in phrase.stems]
        best: dict[tuple[int, ...], float] = {}
        for start in range(len(reply.stems)):
            for positions, score in _window_matches(phrase, reply.stems, sims, start):
                best[positions] = max(score, best.get(positions, 0.0))
        found += [
            _candidate(reply, phrase, point, positions, score, accept=accept)
            for positions, score in sorted(best.items())
            if _within_a_sentence(reply, positions) and _no_stray_negator(reply, positions)
        ]
    return found


def _window_matches(
    phrase: _Phrase, stems: tuple[str, ...], sims: list[list[float]], start: int
) -> list[tuple[tuple[int, ...], float]]:
    """Matches of a phrase in the reply's words from `start`, word by word and run together."""
    size = len(phrase.stems)
    window = range(start, min(start + size + SPREAD, len(stems)))
    picks = [_best_in(row, window) for row in sims]
    total = sum(w * row[j] for w, row, j in zip(phrase.weights, sims, picks, strict=True))
    positions = tuple(sorted({j for row, j in zip(sims, picks, strict=True) if row[j] > 0}))
    matches = [(positions, total / sum(phrase.weights))] if positions else []
    joined = "".join(phrase.stems)
    if len(joined) < JOINED_LENGTH:
        return matches
    # Run together, "near miss" meets "nearmiss": only as a clear match of the same letters.
    for length in (size - 1, size, size + 1):
        if length < 1 or (length == 1 and size == 1) or start + length > len(stems):
            continue
        run = "".join(stems[start : start + length])
        together = fuzz.ratio(joined, run)
        close = together >= MET_SCORE and abs(len(run) - len(joined)) <= 2
        if close and not _opposite(*sorted((joined, run), key=len)):
            matches.append((tuple(range(start, start + length)), together))
    return matches


def _opposite(short: str, long: str) -> bool:
    """ "uncontrolled" says the opposite of "controlled": no small typo."""
    return long.endswith(short) and long[: len(long) - len(short)] in NEGATING_PREFIXES


def _best_in(row: list[float], window: range) -> int:
    """The best-matching word in the window; the first of equals."""
    return max(window, key=lambda j: (row[j], -j))


def _no_stray_negator(reply: Reply, positions: tuple[int, ...]) -> bool:
    """A negator of a phrasing must be said in the clause of its other words: in "I call IT at
    once, no waiting", the "no" is not "wouldn't call IT"."""
    indexes = [reply.content[p] for p in positions]
    negators = [i for i in indexes if reply.words[i].role is Role.NEGATOR]
    others = {clause_of(reply.clauses, i).first for i in indexes if i not in negators}
    return all(clause_of(reply.clauses, i).first in others for i in negators) or not others


def _within_a_sentence(reply: Reply, positions: tuple[int, ...]) -> bool:
    first, last = reply.content[positions[0]], reply.content[positions[-1]]
    return all(w.stem != "." for w in reply.words[first:last])


def _candidate(
    reply: Reply,
    phrase: _Phrase,
    point: int,
    positions: tuple[int, ...],
    score: float,
    *,
    accept: bool = False,
) -> Candidate:
    first, last = reply.content[positions[0]], reply.content[positions[-1]]
    clause = clause_of(reply.clauses, first)
    inside = any(negates(reply.words, i) for i in range(first, last + 1))
    before = own_negator_before(reply.words, clause, first)
    after = negator_after(reply.words, clause, last, first)
    governed = before is not None or after is not None or clause.carried
    # In the negative when the reply negates what the phrasing doesn't, or the other way round
    # ("will be punished" against the phrasing "won't be punished").
    negated = (inside or governed) != phrase.negated
    spanned = [c for c in reply.clauses if c.first <= last and c.last >= first]
    doubt = "hedged" if any(c.hedged for c in spanned) else None
    doubt = doubt or _doubt(reply, clause, len(phrase.stems), accept=accept)
    if _inside_quotes(reply, first, last):
        doubt = QUOTED
    return Candidate(
        point=point,
        score=score,
        positions=positions,
        specificity=sum(phrase.weights),
        negated=negated,
        first_word=before if negated and before is not None else first,
        last_word=after if negated and after is not None else last,
        doubt=doubt,
        accepted=accept and doubt is None and not clause.statement,
        size=len(phrase.stems),
    )


def _inside_quotes(reply: Reply, first: int, last: int) -> bool:
    start, end = reply.words[first].start, reply.words[last].end
    return any(left <= start and end <= right for left, right in reply.quoted)


def _doubt(reply: Reply, clause: Clause, size: int, *, accept: bool) -> str | None:
    if clause.hedged:
        return "hedged"
    if clause.statement:
        return None
    meaningful = sum(reply.words[i].meaningful for i in range(clause.first, clause.last + 1))
    return None if accept and meaningful <= size + TERSE_EXTRA else FRAGMENT


def says_dont_know(reply: Reply) -> bool:
    """True when the reply says the person doesn't know ("no idea", "dunno"), other than as a
    condition ("if I'm unsure I ask")."""
    for index, word in enumerate(reply.words):
        if clause_of(reply.clauses, index).conditional:
            continue
        if word.stem in DONT_KNOW:
            return True
        if word.role is Role.NEGATOR:
            after = [w for w in reply.words[index + 1 : index + 4] if w.role is not Role.BOUNDARY]
            if any(w.stem in NOT_KNOWING for w in after[:2]):
                return True
    return False
