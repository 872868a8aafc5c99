"""Grading a free-text reply to an open question against its key points.

A reply meets a key point when it says one of the point's phrasings, allowing for case,
punctuation, word order, plurals and verb endings, and small typos. A phrasing said in the
negative ("I wouldn't tell anyone") doesn't count. Each point is met, uncertain or not met;
the verdict is PASS or FAIL only when the uncertain points can't change it, and otherwise
UNSURE, for a person to confirm. Pure and deterministic: no I/O, no randomness.
See docs/grading.md for the rules and how well they do on labelled replies.

The parts: `reply_words` (words, stems and negators), `key_points` (what a point is and how it
fared), `phrase_matching` (where a reply may say a phrasing), `point_assignment` (sharing
the reply's words out among the points), `statements` (what the reply's statements assert
beyond the points) and `term_lists` (a list of terms is no statement).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from questions import statements, term_lists
from questions.clauses import dismissal
from questions.contradictions import WrongClaim, denied_claims, wrong_claim
from questions.key_points import (
    MET_SCORE,
    UNSURE_SCORE,
    KeyPointLike,
    KeyPointSpec,
    PointMatch,
    key_points_from_json,
    spec_of,
)
from questions.phrase_matching import (
    NAMED,
    QUOTED,
    parse_reply,
    point_candidates,
    says_dont_know,
)
from questions.point_assignment import assign_points, point_match, unrecognised_words
from questions.reply_words import NEGATORS, Role, Word, stem, words_of
from questions.vocabulary import Vocabulary, with_vocabulary

__all__ = [
    "MET_SCORE",
    "MIN_CONTENT_WORDS",
    "NEGATORS",
    "UNRECOGNISED_WORDS",
    "UNSURE_SCORE",
    "Grading",
    "KeyPointLike",
    "KeyPointSpec",
    "PointMatch",
    "Role",
    "Verdict",
    "Word",
    "grade_open_answer",
    "key_points_from_json",
    "stem",
    "words_of",
]

# A reply with fewer meaningful words than this says nothing.
MIN_CONTENT_WORDS = 1
# A reply one point short that has this many meaningful words (of 4 letters or more) matching no
# key point may make the missing point in other words: a person reads it.
UNRECOGNISED_WORDS = 3


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNSURE = "unsure"


@dataclass(frozen=True)
class Grading:
    """The grade of one reply: the verdict, how each key point fared, and why."""

    verdict: Verdict
    points: tuple[PointMatch, ...]
    points_met: int
    pass_mark: int
    reason: str  # in plain words, for the admin who confirms grades
    contradiction: str | None = None  # the words of a wrong claim the reply makes, if any


def grade_open_answer(
    reply: str,
    key_points: Sequence[KeyPointLike | Mapping[str, Any]],
    pass_mark: int,
    *,
    contradicts: Sequence[str] = (),
    vocabulary: Vocabulary | None = None,
) -> Grading:
    """Grade a reply: PASS or FAIL when the key points asserted make it certain, else UNSURE.

    `contradicts` are the question's wrong claims: one asserted fails the reply, one hedged
    keeps it from passing. `vocabulary` is the bank's words that mean the same.
    """
    specs = tuple(spec_of(k, vocabulary) for k in key_points)
    if not 1 <= pass_mark <= len(specs):
        raise ValueError(f"pass_mark {pass_mark} must be between 1 and {len(specs)}")
    parsed = parse_reply(reply)
    if len(parsed.content) < MIN_CONTENT_WORDS:
        return _clear_fail(specs, pass_mark, "is empty")
    candidates = statements.only_located(
        parsed,
        statements.in_context(
            parsed, [c for i, spec in enumerate(specs) for c in point_candidates(parsed, spec, i)]
        ),
    )
    chosen = statements.only_heard_of(
        parsed, statements.named_together(parsed, assign_points(specs, candidates))
    )
    points = tuple(
        point_match(parsed, spec, chosen[i], [c for c in candidates if c.point == i])
        for i, spec in enumerate(specs)
    )
    met = sum(p.matched for p in points)
    found = met + sum(p.uncertain and p.doubt not in (NAMED, QUOTED) for p in points)
    if found < pass_mark and says_dont_know(parsed):
        return _clear_fail(specs, pass_mark, "says they don't know")
    claims = with_vocabulary(contradicts, vocabulary)
    wrong = wrong_claim(parsed, claims)
    unrecognised = unrecognised_words(parsed, chosen, candidates)
    verdict = _verdict(met, found, pass_mark, len(unrecognised) if statements.plain(parsed) else 0)
    dumped = verdict is not Verdict.FAIL and (
        term_lists.dump_of_terms(parsed, pass_mark) or statements.recited(parsed, candidates)
    )
    listed = verdict is Verdict.PASS and term_lists.only_listed(
        parsed, points, candidates, pass_mark
    )
    playing_down = (
        dismissal(parsed.clauses, parsed.words)
        or statements.denied_after(parsed, [*candidates, *denied_claims(parsed, claims)])
        or statements.put_off(parsed)
        if verdict is Verdict.PASS
        else None
    )
    if wrong is not None:
        verdict = Verdict.UNSURE if wrong.hedged and verdict is not Verdict.FAIL else Verdict.FAIL
    elif dumped:
        verdict = Verdict.FAIL
    elif listed or playing_down is not None:
        verdict = Verdict.UNSURE
    reason = _reason(
        verdict, points, pass_mark, unrecognised if found < pass_mark else [], plain=listed
    )
    reason += _caveat(wrong, listed or dumped)
    if playing_down is not None and wrong is None and not (listed or dumped):
        said = parsed.text[
            parsed.words[playing_down.first].start : parsed.words[playing_down.last].end
        ]
        reason += f' It also plays something down ("{said.strip(" ,.")}"): please read it.'

    evidence = wrong.evidence if wrong is not None else None
    return Grading(verdict, points, met, pass_mark, reason, evidence)


def _caveat(wrong: WrongClaim | None, listed: bool) -> str:
    if wrong is not None and wrong.hedged:
        return (
            f' It may also claim what the procedure rules out ("{wrong.evidence}"): please read it.'
        )
    if wrong is not None:
        return f' It claims what the procedure rules out: "{wrong.evidence}".'
    if listed:
        return " It lists terms but states nothing, so please read it and confirm."
    return ""


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


def _shown(point: PointMatch) -> str:
    why = f", {point.doubt}" if point.doubt and not point.matched else ""
    return f'{point.point} ("{point.evidence}"{why})'


def _reason(
    verdict: Verdict,
    points: tuple[PointMatch, ...],
    pass_mark: int,
    unrecognised: list[str],
    *,
    plain: bool = False,
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
            lines.append(f"{label}: " + "; ".join(_shown(p) for p in group))
    missing = [p.point for p in points if not (p.matched or p.uncertain or p.negated)]
    if missing:
        lines.append("Not found: " + "; ".join(missing))
    if verdict is Verdict.UNSURE and unrecognised:
        words = ", ".join(f'"{w}"' for w in unrecognised)
        lines.append(f"It is one point short, but these words match no key point: {words}.")
        lines.append("It may make the point in other words, so please read it and confirm.")
    elif verdict is Verdict.UNSURE and not plain and any(p.uncertain for p in points):
        lines.append("The unclear points decide the grade, so please confirm it.")
    return " ".join(line if line.endswith(".") else line + "." for line in lines)
