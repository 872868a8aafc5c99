"""Grading a free-text reply to an open question against its key points.

A reply meets a key point when it says one of the point's phrasings, allowing for case,
punctuation, word order, plurals and verb endings, and small typos. A phrasing said in the
negative ("I wouldn't tell anyone") doesn't count. Each point is met, uncertain or not met;
the verdict is PASS or FAIL only when the uncertain points can't change it, and otherwise
UNSURE, for a person to confirm. Pure and deterministic: no I/O, no randomness.
See docs/grading.md for the rules and how well they do on labelled replies.

The parts: `reply_words` (words, stems and negators), `key_points` (what a point is and how it
fared), `phrase_matching` (where a reply may say a phrasing) and `point_assignment` (sharing
the reply's words out among the points).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from questions.clauses import (
    AUXILIARIES,
    CONTRASTS,
    DETERMINERS,
    LINKS,
    OBJECTS,
    OPENERS,
    Clause,
    clause_of,
    dismissal,
    used_as_verb,
)
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
    FRAGMENT,
    NAMED,
    QUOTED,
    Candidate,
    Reply,
    parse_reply,
    point_candidates,
    says_dont_know,
)
from questions.point_assignment import assign_points, is_sure, point_match, unrecognised_words
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

# A reply of more items than the pass mark and one, each of at most this many meaningful words,
# with no subject or auxiliary anywhere, is a list ("tag it, quarantine, tell QA" is not).
TELEGRAM_WORDS = 3
# A list this many items longer than the pass mark asks for fails rather than going to a person:
# an auditor who hears four bare terms for two points hears a recital.
DUMP_EXTRA = 2
NARROWING = frozenset({"just", "only"})
# Words a person saying what they do keeps, and a dump of terms drops.
SMALL_WORDS = DETERMINERS | LINKS | OBJECTS
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
    candidates = _in_context(
        parsed, [c for i, spec in enumerate(specs) for c in point_candidates(parsed, spec, i)]
    )
    chosen = _named_together(parsed, assign_points(specs, candidates))
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
    verdict = _verdict(met, found, pass_mark, len(unrecognised) if _plain(parsed) else 0)
    dumped = verdict is not Verdict.FAIL and _dump_of_terms(parsed, pass_mark)
    listed = verdict is Verdict.PASS and _only_listed(parsed, points, candidates, pass_mark)
    playing_down = (
        dismissal(parsed.clauses, parsed.words)
        or _denied_after(parsed, [*candidates, *denied_claims(parsed, claims)])
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


def _in_context(reply: Reply, candidates: list[Candidate]) -> list[Candidate]:
    """Fragments count once a statement of the reply makes a point: "Noticeboard by the
    canteen. For me it means following the procedures" answers; "NCR, red tag" only lists."""
    if any(is_sure(c) and not c.negated and not c.accepted for c in candidates):
        return [replace(c, doubt=None) if c.doubt == FRAGMENT else c for c in candidates]
    if reply.states_anything:
        # "The green label and the setting standard - I have never looked at either": its
        # statements make no point, so its fragments don't either.
        return [replace(c, doubt=FRAGMENT, accepted=False) if c.accepted else c for c in candidates]
    return candidates


def _named_together(
    reply: Reply, chosen: tuple[Candidate | None, ...]
) -> tuple[Candidate | None, ...]:
    """Several points each named by one word, none of them its verb, in the same clause are
    names, not statements: "the supervisor said the quarantine cage needs new tags" states
    none of them, where "log it as a complaint" states what the person does."""
    single = [
        c
        for c in chosen
        if c is not None
        and is_sure(c)
        and len(c.positions) == 1
        and not _verb_of_a_statement(reply, c.first_word)
    ]
    per_clause = Counter(_statement_of(reply, c.first_word) for c in single)
    crowded = {first for first, count in per_clause.items() if count >= 2 and first is not None}
    return tuple(
        replace(c, doubt=NAMED)
        if c in single and _statement_of(reply, c.first_word) in crowded
        else c
        for c in chosen
    )


def _verb_of_a_statement(reply: Reply, index: int) -> bool:
    """ "Quarantine it" orders; "tags, quarantine and NCRs are on the agenda" names."""
    clause = clause_of(reply.clauses, index)
    return clause.statement and used_as_verb(reply.words, clause, index)


def _statement_of(reply: Reply, index: int) -> int | None:
    """Where the statement that says a word starts: its clause, or, for a name in a list before
    a statement of the same sentence, that statement: in "customers, waste, safety and the
    environment are all on the agenda" every name is said of the agenda. None in a list of
    terms that states nothing: the rules for lists read that."""
    clauses = reply.clauses
    at = next((i for i, c in enumerate(clauses) if c.holds(index)), len(clauses) - 1)
    for later in range(at, len(clauses)):
        clause = clauses[later]
        if clause.statement:
            return clause.first
        ends = reply.words[clause.last + 1] if clause.last + 1 < len(reply.words) else None
        if later + 1 == len(clauses) or (ends is not None and ends.plain in (".", "?")):
            break
        if clauses[later + 1].lead not in ("", ",", "and"):
            break
    return None


def _denied_after(reply: Reply, candidates: Sequence[Candidate]) -> Clause | None:
    """A statement said no to after a "but" or before a "though", making no point of its
    own, takes back what came before: "spill kits and drain mats, but I've never used one",
    "it doesn't really involve me though". "… but I wouldn't adjust it myself" makes a point."""
    made = [c for c in candidates if c.score >= UNSURE_SCORE]
    for index, clause in enumerate(reply.clauses):
        if not (clause.negated and clause.statement and _contrasted(reply, index)):
            continue
        if any(clause.holds(c.first_word) or clause.holds(c.last_word) for c in made):
            continue
        # "… but I don't keep it at the machine: I put it aside" corrects, and says what.
        end = _sentence_end(reply, clause.last)
        if not any(
            clause.last < c.first_word <= end
            and is_sure(c)
            and clause_of(reply.clauses, c.first_word).has_subject
            for c in made
        ):
            return clause
    return None


def _sentence_end(reply: Reply, index: int) -> int:
    return next(
        (i for i in range(index, len(reply.words)) if reply.words[i].plain in (".", "?")),
        len(reply.words),
    )


def _contrasted(reply: Reply, index: int) -> bool:
    clause = reply.clauses[index]
    after = reply.words[clause.last + 1] if clause.last + 1 < len(reply.words) else None
    before = reply.words[clause.first - 1] if clause.first else None
    # "even though nobody was hurt" grants a fact; it takes nothing back.
    conceded = before is not None and before.plain == "even"
    return (
        index > 0
        and not conceded
        and (clause.lead in CONTRASTS or (after is not None and after.plain == "though"))
    )


def _only_listed(
    reply: Reply,
    points: Sequence[PointMatch],
    candidates: Sequence[Candidate],
    pass_mark: int,
) -> bool:
    """A bare list of terms: nothing stated, and more items than asked for, or items not in
    accepted words. Naming just the accepted short replies is a terse answer, not a list."""
    if _telegraphic(reply, pass_mark):
        return True
    if reply.states_anything or _said_in_words(reply):
        return False
    met = {i for i, p in enumerate(points) if p.matched}
    named = sum(p.matched or p.uncertain for p in points)
    accepted = {c.point for c in candidates if c.accepted and not c.negated}
    return max(named, len(_items(reply))) > pass_mark or not met <= accepted


def _dump_of_terms(reply: Reply, pass_mark: int) -> bool:
    """A list of terms two or more longer than the pass mark asks for fails: it recites
    words ("OTIF, scrap rate, energy per machine hour, LTI, KPI board") and says nothing."""
    dumped = len(_items(reply)) >= pass_mark + DUMP_EXTRA
    return dumped and not (reply.states_anything or _said_in_words(reply))


def _items(reply: Reply) -> list[list[Word]]:
    found = [[w for w in reply.words[c.first : c.last + 1] if w.meaningful] for c in reply.clauses]
    return [item for item in found if item]


def _telegraphic(reply: Reply, pass_mark: int) -> bool:
    """Many short items with no subject or auxiliary anywhere are a list, even where an item
    could be an order: "containment, block sender, reset account, lock device, no-blame"."""
    items = _items(reply)
    short = all(len(item) <= TELEGRAM_WORDS for item in items)
    bare = not any(c.has_subject for c in reply.clauses) and not any(
        w.plain in (AUXILIARIES - {"do", "does"}) | OPENERS  # "do not use label" is bare
        for w in reply.words
    )
    return short and bare and len(items) > pass_mark + 1 and not _said_in_words(reply)


def _said_in_words(reply: Reply) -> bool:
    """Most items keep their small words ("rags in the red drum", "tell my supervisor"):
    clipped sentences of someone saying what they do. A dump of terms drops them ("block
    sender, reset account, lock device")."""
    items = [
        reply.words[c.first : c.last + 1]
        for c in reply.clauses
        if any(w.meaningful for w in reply.words[c.first : c.last + 1])
    ]
    said = [i for i in items if any(w.plain in SMALL_WORDS for w in _after_first_meaningful(i))]
    return 2 * len(said) > len(items)


def _after_first_meaningful(words: Sequence[Word]) -> Sequence[Word]:
    first = next(n for n, w in enumerate(words) if w.meaningful)
    return words[first + 1 :]


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


def _plain(reply: Reply) -> bool:
    """No clause says no or guesses, and nothing is "just" or "only" so: a reply one point
    short that isn't plain ("I'd probably just keep an eye on it", "no point calling anyone")
    is short of the point, not of the bank's wording for it."""
    reserved = any(c.negated or c.carried or c.hedged for c in reply.clauses)
    return not reserved and not any(w.plain in NARROWING for w in reply.words)


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
