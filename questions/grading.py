"""Grading a free-text reply to an open question against its key points.

A reply meets a key point when it says one of the point's phrasings, allowing for case,
punctuation, word order, plurals and verb endings, and small typos. A phrasing said in the
negative ("I wouldn't tell anyone") doesn't count. Each point is met, uncertain or not met;
the verdict is PASS or FAIL only when the uncertain points can't change it, and otherwise
UNSURE, for a person to confirm. Pure and deterministic: no I/O, no randomness.
See docs/grading.md for the rules and how well they do on labelled replies.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from rapidfuzz import fuzz

# A phrasing scores 0-100: every word present, at most lightly misspelt, scores 85 or more.
MET_SCORE = 85.0
# Below this, too little of any phrasing is there to be worth a person's look.
UNSURE_SCORE = 70.0
# Two different words rarely score this high; lower word scores count as no match.
WORD_FLOOR = 80.0
# Words of up to this many letters must match exactly ("tag" is not "bag").
EXACT_WORD_LENGTH = 3
# A word that another word begins with may be its abbreviation ("rev", "info"): a weak match.
ABBREVIATION_SCORE = 75.0
# How many words before a phrase a negator still applies to it.
NEGATION_REACH = 3
# A reply with fewer meaningful words than this shows nothing.
MIN_CONTENT_WORDS = 2
# A reply one point short that has this many meaningful words (of 4 letters or more) matching no
# key point may make the missing point in other words: a person reads it.
UNRECOGNISED_WORDS = 3
# A phrase may be spread over this many extra words of the reply ("tell my line supervisor").
SPREAD = 3
# Phrases this long are also compared with their spaces removed ("near miss" = "nearmiss").
JOINED_LENGTH = 8
# The best few places in the reply for each key point, when sharing the reply's words out,
# and the most combinations tried before settling for the best place of each point in turn.
OPTIONS_PER_POINT = 4
MAX_COMBINATIONS = 20_000


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNSURE = "unsure"


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


@dataclass(frozen=True)
class Grading:
    """The grade of one reply: the verdict, how each key point fared, and why."""

    verdict: Verdict
    points: tuple[PointMatch, ...]
    points_met: int
    pass_mark: int
    reason: str  # in plain words, for the admin who confirms grades


def key_points_from_json(raw: Sequence[Mapping[str, Any]]) -> tuple[KeyPointSpec, ...]:
    """Key points stored as JSON ({"point": ..., "phrasings": [...]}) as grader input."""
    return tuple(_spec(item) for item in raw)


def _spec(item: KeyPointLike | Mapping[str, Any]) -> KeyPointSpec:
    if isinstance(item, Mapping):
        return KeyPointSpec(str(item["point"]), tuple(str(p) for p in item["phrasings"]))
    return KeyPointSpec(item.point, tuple(item.phrasings))


# --- Words ------------------------------------------------------------------------------------


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"I\.T\.?|\d+(?:[.,]\d+)+|\w+(?:['’]\w+)*|%|[.,;:!?()\n]+")
_PUNCTUATION = re.compile(r"[.,;:!?()\n]+")
_SENTENCE_END = re.compile(r"[.;!?\n]")
NEGATORS = _word_set(
    "not no never nobody noone none nothing neither nor without instead rather hardly nowhere"
)
# Where a clause ends: a negator before one of these doesn't reach the words after it.
_CLAUSE_WORDS = _word_set(
    "but though although however then because so if and when while i we they he she"
)
_STOP_WORDS = _word_set(
    """a an the my our your their his her its it them this that these those to of in on at for
    with by from into onto about as you me us him is am are was were be been being
    do does did done doing would will should could can shall must might may just or also really
    probably maybe basically like some any all every what which who whom how where why there
    here very quite too well ok okay yes yeah yep um erm uh hmm tbh lol think guess sure even
    someone somebody everyone everybody anyone anybody people
    thing things stuff something anything everything"""
)
# Keyed without apostrophes, since Slack replies often leave them out.
_CONTRACTIONS = {
    "wont": ["will", "not"], "cant": ["can", "not"], "cannot": ["can", "not"],
    "shant": ["shall", "not"], "aint": ["not"], "dnt": ["not"], "im": ["i", "am"],
    "ive": ["i", "have"],
}  # fmt: skip
_NT_WORDS = _word_set(
    "dont doesnt didnt isnt arent wasnt werent wouldnt shouldnt couldnt havent hasnt hadnt "
    "mustnt neednt"
)
_SUFFIX_WORDS = {"'d": "would", "'ll": "will", "'re": "are", "'ve": "have", "'m": "am", "'s": ""}
_IRREGULAR = {
    "told": "tell", "found": "find", "took": "take", "taken": "take", "spoke": "speak",
    "wrote": "write", "written": "write", "went": "go", "gone": "go", "kept": "keep",
    "threw": "throw", "thrown": "throw", "spilt": "spill", "got": "get", "brought": "bring",
    "caught": "catch", "fell": "fall", "made": "make", "sent": "send", "rang": "ring",
    "saw": "see", "seen": "see", "knew": "know", "gave": "give", "ran": "run", "left": "leave",
    "said": "say", "spoken": "speak", "gotten": "get", "fallen": "fall", "known": "know",
    "felt": "feel", "given": "give", "stuck": "stick", "paid": "pay", "fewer": "less",
}  # fmt: skip


class Role(StrEnum):
    CONTENT = "content"
    NEGATOR = "negator"
    STOP = "stop"
    BOUNDARY = "boundary"


@dataclass(frozen=True)
class Word:
    """One word of a text: its stem for matching, its role, and where it sits in the text."""

    stem: str
    role: Role
    start: int
    end: int

    @property
    def meaningful(self) -> bool:
        return self.role in (Role.CONTENT, Role.NEGATOR)


def words_of(text: str) -> tuple[Word, ...]:
    """The words of a text, contractions opened up ("don't" is "do not"), with their roles."""
    found: list[Word] = []
    for match in _WORD.finditer(text):
        raw, start, end = match.group(), match.start(), match.end()
        if _PUNCTUATION.fullmatch(raw):
            # A full stop ends a sentence, and no phrase is matched across one.
            found.append(Word("." if _SENTENCE_END.search(raw) else ",", Role.BOUNDARY, start, end))
            continue
        for part in _expand(_plain(raw)):
            role = _role(part)
            # A negator matches only a negator: "not" is not "note".
            found.append(Word("!" + part if role is Role.NEGATOR else stem(part), role, start, end))
    return tuple(found)


def _plain(raw: str) -> str:
    if raw in ("IT", "I.T", "I.T."):  # in capitals, the department rather than the pronoun
        return "infotech"
    text = unicodedata.normalize("NFKD", raw).replace("’", "'")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _expand(word: str) -> list[str]:
    bare = word.replace("'", "")
    if word == "%":
        return ["percent"]
    if bare in _CONTRACTIONS:
        return _CONTRACTIONS[bare]
    if bare in _NT_WORDS or word.endswith("n't"):
        return [bare[:-2], "not"]
    for suffix, meaning in _SUFFIX_WORDS.items():
        if word.endswith(suffix) and len(word) > len(suffix):
            return [word[: -len(suffix)]] + ([meaning] if meaning else [])
    return [bare]


def _role(word: str) -> Role:
    if word in NEGATORS:
        return Role.NEGATOR
    if word in _CLAUSE_WORDS:
        return Role.BOUNDARY
    return Role.STOP if word in _STOP_WORDS else Role.CONTENT


def stem(word: str) -> str:
    """A crude stem, the same for "tag", "tags", "tagged" and "tagging"; doubled letters go."""
    word = _IRREGULAR.get(word, word)
    if not word.isalpha():
        return word
    word = _strip_suffix(re.sub(r"([a-z])\1+", r"\1", word))
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def _strip_suffix(word: str) -> str:
    if word.endswith(("ies", "ied")) and len(word) >= 5:
        return word[:-3] + "y"
    for suffix, rest in (("ing", 3), ("ed", 3), ("ly", 4), ("ty", 3)):  # safely, safety: safe
        if word.endswith(suffix) and len(word) - len(suffix) >= rest:
            return word[: -len(suffix)]
    if word.endswith("s") and len(word) >= 4 and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# After a negator, these make it about something else: "not sure", "not only", "not just".
_NEGATION_TAKEN_BY = frozenset(stem(w) for w in ("sure", "certain", "only", "just"))
_NOT_KNOWING = frozenset(stem(w) for w in ("know", "idea", "sure", "clue", "remember", "certain"))
_DONT_KNOW = frozenset(stem(w) for w in ("dunno", "idk", "unsure", "forget", "forgot"))
# Light verbs say little on their own: "get hurt" is about "hurt".
_LIGHT_VERBS = frozenset(map(stem, _word_set("get put make take go have come keep let give")))


# --- Matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Phrase:
    stems: tuple[str, ...]
    negated: bool
    weights: tuple[int, ...]  # longer words say more


@dataclass(frozen=True)
class _Reply:
    text: str
    words: tuple[Word, ...]
    content: tuple[int, ...]  # indexes into words of the meaningful ones
    stems: tuple[str, ...]


@dataclass(frozen=True)
class _Candidate:
    """One place in the reply that may say one phrasing of one key point."""

    point: int
    score: float
    positions: tuple[int, ...]  # indexes into _Reply.content
    specificity: int
    negated: bool
    first_word: int
    last_word: int


def _parse_reply(text: str) -> _Reply:
    words = words_of(text)
    content = tuple(i for i, w in enumerate(words) if w.meaningful)
    return _Reply(text, words, content, tuple(words[i].stem for i in content))


def _phrase(text: str) -> _Phrase | None:
    words = words_of(text)
    kept = [w for w in words if w.meaningful] or [w for w in words if w.role is not Role.BOUNDARY]
    if not kept:
        return None
    stems = tuple(w.stem for w in kept)
    weights = tuple(1 if s in _LIGHT_VERBS else len(s) for s in stems)
    return _Phrase(stems, any(w.role is Role.NEGATOR for w in kept), weights)


def _word_similarity(a: str, b: str) -> float:
    if a == b:
        return 100.0
    if not (a.isalpha() and b.isalpha()):
        return 0.0
    short, long = sorted((a, b), key=len)
    abbreviation = ABBREVIATION_SCORE if len(short) >= 3 and long.startswith(short) else 0.0
    if len(short) <= EXACT_WORD_LENGTH:
        return abbreviation
    score = fuzz.ratio(a, b)
    return max(score if score >= WORD_FLOOR else 0.0, abbreviation)


def _point_candidates(reply: _Reply, spec: KeyPointSpec, point: int) -> list[_Candidate]:
    found: list[_Candidate] = []
    for phrase in filter(None, map(_phrase, spec.phrasings)):
        sims = [[_word_similarity(p, r) for r in reply.stems] for p in phrase.stems]
        best: dict[tuple[int, ...], float] = {}
        for start in range(len(reply.stems)):
            for positions, score in _window_matches(phrase, reply.stems, sims, start):
                best[positions] = max(score, best.get(positions, 0.0))
        found += [
            _candidate(reply, phrase, point, positions, score)
            for positions, score in sorted(best.items())
            if _within_a_sentence(reply, positions)
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
        if together >= MET_SCORE and abs(len(run) - len(joined)) <= 2:
            matches.append((tuple(range(start, start + length)), together))
    return matches


def _best_in(row: list[float], window: range) -> int:
    """The best-matching word in the window; the first of equals."""
    return max(window, key=lambda j: (row[j], -j))


def _within_a_sentence(reply: _Reply, positions: tuple[int, ...]) -> bool:
    first, last = reply.content[positions[0]], reply.content[positions[-1]]
    return all(w.stem != "." for w in reply.words[first:last])


def _candidate(
    reply: _Reply, phrase: _Phrase, point: int, positions: tuple[int, ...], score: float
) -> _Candidate:
    first, last = reply.content[positions[0]], reply.content[positions[-1]]
    inside = any(_negates(reply.words, i) for i in range(first, last + 1))
    before = _negator_before(reply.words, first)
    # In the negative when the reply negates what the phrasing doesn't, or the other way round
    # ("will be punished" against the phrasing "won't be punished").
    negated = (inside or before is not None) != phrase.negated
    return _Candidate(
        point=point,
        score=score,
        positions=positions,
        specificity=sum(phrase.weights),
        negated=negated,
        first_word=before if negated and before is not None else first,
        last_word=last,
    )


def _negates(words: tuple[Word, ...], index: int) -> bool:
    if words[index].role is not Role.NEGATOR:
        return False
    for word in words[index + 1 : index + 1 + NEGATION_REACH]:
        if word.stem in _NEGATION_TAKEN_BY:
            return False
        if word.role is not Role.STOP:
            break
    return True


def _negator_before(words: tuple[Word, ...], first: int) -> int | None:
    """The negator shortly before a match and in the same clause, if there is one."""
    for index in range(first - 1, max(first - 1 - NEGATION_REACH, -1), -1):
        if words[index].role is Role.BOUNDARY:
            return None
        if _negates(words, index):
            return index
    return None


def _says_dont_know(reply: _Reply) -> bool:
    for index, word in enumerate(reply.words):
        if word.stem in _DONT_KNOW:
            return True
        if word.role is Role.NEGATOR:
            after = [w for w in reply.words[index + 1 : index + 4] if w.role is not Role.BOUNDARY]
            if any(w.stem in _NOT_KNOWING for w in after[:2]):
                return True
    return False


# --- Grading ----------------------------------------------------------------------------------


def grade_open_answer(
    reply: str, key_points: Sequence[KeyPointLike | Mapping[str, Any]], pass_mark: int
) -> Grading:
    """Grade a reply: PASS or FAIL when the key points found make it certain, else UNSURE."""
    specs = tuple(_spec(k) for k in key_points)
    if not 1 <= pass_mark <= len(specs):
        raise ValueError(f"pass_mark {pass_mark} must be between 1 and {len(specs)}")
    parsed = _parse_reply(reply)
    if len(parsed.content) < MIN_CONTENT_WORDS:
        empty = not reply.strip()
        return _clear_fail(specs, pass_mark, "is empty" if empty else "is too short to judge")
    candidates = [c for i, spec in enumerate(specs) for c in _point_candidates(parsed, spec, i)]
    chosen = _assign(specs, candidates)
    points = tuple(
        _point_match(parsed, spec, chosen[i], [c for c in candidates if c.point == i])
        for i, spec in enumerate(specs)
    )
    met = sum(p.matched for p in points)
    if met == 0 and _says_dont_know(parsed):
        return _clear_fail(specs, pass_mark, "says they don't know")
    found = met + sum(p.uncertain for p in points)
    unrecognised = _unrecognised(parsed, chosen, candidates)
    verdict = _verdict(met, found, pass_mark, len(unrecognised))
    reason = _reason(verdict, points, pass_mark, unrecognised if found < pass_mark else [])
    return Grading(verdict, points, met, pass_mark, reason)


def _verdict(met: int, found: int, pass_mark: int, unrecognised: int) -> Verdict:
    """PASS on the points surely met; FAIL only when no unclear point or other wording could
    reach the pass mark; UNSURE otherwise."""
    if met >= pass_mark:
        return Verdict.PASS
    if found >= pass_mark:
        return Verdict.UNSURE
    one_short = found == pass_mark - 1 > 0
    return Verdict.UNSURE if one_short and unrecognised >= UNRECOGNISED_WORDS else Verdict.FAIL


def _clear_fail(specs: Sequence[KeyPointSpec], pass_mark: int, why: str) -> Grading:
    points = tuple(PointMatch(s.point, False, 0.0, None) for s in specs)
    return Grading(Verdict.FAIL, points, 0, pass_mark, f"Fail: the reply {why}.")


def _assign(
    specs: Sequence[KeyPointSpec], candidates: list[_Candidate]
) -> tuple[_Candidate | None, ...]:
    """Give each point a place in the reply, so that as many points as possible are met.

    A word of the reply counts for one key point only: "incident report" names the form, and
    doesn't also count as telling someone.
    """
    options = [_options(candidates, i) for i in range(len(specs))]
    if math.prod(len(o) for o in options) <= MAX_COMBINATIONS:
        return max(itertools.product(*options), key=_assignment_value)
    return _first_come(options)


def _unrecognised(
    reply: _Reply, chosen: tuple[_Candidate | None, ...], candidates: list[_Candidate]
) -> list[str]:
    """Meaningful words of the reply that no key point accounts for, met, unclear or negated."""
    spans = [c for c in chosen if c is not None] + [c for c in candidates if c.negated]
    covered = {i for c in spans for i in range(c.first_word, c.last_word + 1)}
    return [
        reply.text[w.start : w.end]
        for i, w in enumerate(reply.words)
        if w.role is Role.CONTENT and w.end - w.start >= 4 and i not in covered
    ]


def _options(candidates: list[_Candidate], point: int) -> list[_Candidate | None]:
    usable = [c for c in candidates if c.point == point and not c.negated]
    distinct: dict[tuple[int, ...], _Candidate] = {}
    for candidate in sorted((c for c in usable if c.score >= UNSURE_SCORE), key=_priority):
        distinct.setdefault(candidate.positions, candidate)
    return [*list(distinct.values())[:OPTIONS_PER_POINT], None]


def _first_come(options: list[list[_Candidate | None]]) -> tuple[_Candidate | None, ...]:
    claimed: set[int] = set()
    chosen: list[_Candidate | None] = []
    for option in options:
        pick = next((c for c in option if c and not claimed.intersection(c.positions)), None)
        claimed.update(pick.positions if pick else ())
        chosen.append(pick)
    return tuple(chosen)


def _assignment_value(chosen: tuple[_Candidate | None, ...]) -> tuple[int, int, int, float]:
    picked = [c for c in chosen if c is not None]
    positions = [p for c in picked for p in c.positions]
    if len(positions) != len(set(positions)):
        return (-1, 0, 0, 0.0)
    met = sum(c.score >= MET_SCORE for c in picked)
    specificity = sum(c.specificity for c in picked)
    return (met, len(picked) - met, specificity, sum(c.score for c in picked))


def _priority(c: _Candidate) -> tuple[bool, int, float, int, int, tuple[int, ...]]:
    # Sure matches first; among them the longer phrasing, because it says more ("incident
    # report" is a form, while "report" alone is telling someone); then the tightest.
    width = c.positions[-1] - c.positions[0]
    return (c.score < MET_SCORE, -c.specificity, -c.score, width, c.point, c.positions)


def _point_match(
    reply: _Reply, spec: KeyPointSpec, chosen: _Candidate | None, own: list[_Candidate]
) -> PointMatch:
    if chosen is not None:
        met = chosen.score >= MET_SCORE
        return PointMatch(spec.point, met, round(chosen.score, 1), _evidence(reply, chosen))
    negated = sorted((c for c in own if c.negated and c.score >= MET_SCORE), key=_priority)
    if negated:
        return PointMatch(spec.point, False, 0.0, _evidence(reply, negated[0]), negated=True)
    weak = [c.score for c in own if not c.negated and c.score < UNSURE_SCORE]
    return PointMatch(spec.point, False, round(max(weak, default=0.0), 1), None)


def _evidence(reply: _Reply, candidate: _Candidate) -> str:
    start = reply.words[candidate.first_word].start
    return reply.text[start : reply.words[candidate.last_word].end]


def _reason(
    verdict: Verdict, points: tuple[PointMatch, ...], pass_mark: int, unrecognised: list[str]
) -> str:
    met = [p for p in points if p.matched]
    lines = [f"{verdict.value.capitalize()}: {len(met)} of {len(points)} key points met"
             f" (pass mark {pass_mark})."]  # fmt: skip
    for label, group in (
        ("Met", met),
        ("Unclear", [p for p in points if p.uncertain]),
        ("Said in the negative", [p for p in points if p.negated]),
    ):
        if group:
            lines.append(f"{label}: " + "; ".join(f'{p.point} ("{p.evidence}")' for p in group))
    missing = [p.point for p in points if not (p.matched or p.uncertain or p.negated)]
    if missing:
        lines.append("Not found: " + "; ".join(missing))
    if verdict is Verdict.UNSURE and unrecognised:
        words = ", ".join(f'"{w}"' for w in unrecognised)
        lines.append(f"It is one point short, but these words match no key point: {words}.")
        lines.append("It may make the point in other words, so please read it and confirm.")
    elif verdict is Verdict.UNSURE:
        lines.append("The unclear points decide the grade, so please confirm it.")
    return " ".join(line if line.endswith(".") else line + "." for line in lines)
