"""What a reply's statements assert, beyond the key points each clause matches.

Names are not statements ("customers, waste and safety are all on the agenda"); a denial after a
"but" takes back what came before ("spill kits and drain mats, but I've never used one"); a
reply that says no, guesses or says "just" somewhere is not plain. Pure; `questions/grading.py`
reads these.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from questions.clauses import CONTRASTS, SUBJECTS, Clause, clause_of, used_as_verb
from questions.key_points import MET_SCORE, UNSURE_SCORE
from questions.phrase_matching import FRAGMENT, NAMED, Candidate, Reply
from questions.point_assignment import is_sure
from questions.reply_words import Role, words_set

NARROWING = frozenset({"just", "only"})
# Said of when a thing gets done, these put it off: wherever a procedure asks for it, an auditor
# hears "not when it's due".
PUTTING_OFF = (
    ("end", "of", "the", "week"), ("when", "i", "get", "a", "chance"),
    ("when", "he", "gets", "a", "chance"), ("when", "they", "get", "a", "chance"),
    ("when", "i", "get", "round"), ("when", "i", "get", "around"), ("if", "i", "remember"),
    ("if", "i", "have", "time"), ("if", "i", "get", "time"), ("at", "some", "point"),
)  # fmt: skip
# Said anywhere, these disown the procedure: "the spill kit's by the door, not my job though".
DISOWNING = (
    ("not", "my", "job"), ("not", "my", "problem"), ("not", "my", "department"),
    ("nothing", "to", "do", "with", "me"), ("above", "my", "pay", "grade"),
    ("not", "down", "to", "me"), ("not", "my", "responsibility"),
)  # fmt: skip
# Said of the procedure, these set what should happen against what does: "by the book it's red
# tag and quarantine. That's the theory anyway".
IN_THEORY = (("by", "the", "book"), ("the", "theory"), ("in", "theory"), ("on", "paper"))
# Before a point's words in its clause, these report hearing of them, not doing them: "last time
# I heard environment and security in the same sentence", "we talked about scrap".
HEARD_OF = (
    ("heard",), ("talked", "about"), ("talk", "about"), ("read", "about"), ("going", "on", "about"),
)  # fmt: skip
# After them, in the same clause: "legal requirements came up too".
CAME_UP = (
    ("came", "up"), ("come", "up"), ("comes", "up"), ("coming", "up"), ("was", "mentioned"),
    ("were", "mentioned"), ("got", "mentioned"), ("gets", "mentioned"), ("get", "mentioned"),
)  # fmt: skip
# A point's words as the subject of these, with a place after, say where a thing is, not what
# anyone does with it: "the Quality lab is next to the gauge store".
BEING = words_set("is are was were sits sit hangs hang lives live")
KEPT = words_set("kept stored hung all right just always usually")
PLACES = words_set("next by beside behind opposite near on in at under above round")
SUBJECT_RUN = 5
LABELS = words_set("label labels sticker stickers tag tags sign signs")
# Said of the terms before them, these say where the words were read, not what anyone does:
# "block the sender, lock the device, no blame. it's all on the slide from induction".
RECITING = (
    ("it", "all", "on"), ("it", "all", "in"), ("its", "all", "on"), ("its", "all", "in"),
    ("that", "all", "on"), ("that", "all", "in"), ("that", "what", "on"), ("those", "words"),
)  # fmt: skip


def in_context(reply: Reply, candidates: list[Candidate]) -> list[Candidate]:
    """Fragments count once a statement of the reply makes a point: "Noticeboard by the
    canteen. For me it means following the procedures" answers; "NCR, red tag" only lists."""
    if any(is_sure(c) and not c.negated and not c.accepted for c in candidates):
        return [replace(c, doubt=None) if c.doubt == FRAGMENT else c for c in candidates]
    if reply.states_anything:
        # "The green label and the setting standard - I have never looked at either": its
        # statements make no point, so its fragments don't either.
        return [replace(c, doubt=FRAGMENT, accepted=False) if c.accepted else c for c in candidates]
    return candidates


def named_together(
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
    # Already named ("the environment is on the agenda") still crowds the clause.
    named = [c for c in chosen if c is not None and c.doubt == NAMED]
    per_clause = Counter(_statement_of(reply, c.first_word) for c in [*single, *named])
    crowded = {first for first, count in per_clause.items() if count >= 2 and first is not None}
    return tuple(
        replace(c, doubt=NAMED)
        if c in single and _statement_of(reply, c.first_word) in crowded
        else c
        for c in chosen
    )


def only_located(reply: Reply, candidates: list[Candidate]) -> list[Candidate]:
    """A point's words that open their clause, said to be somewhere, are named, not said: "the
    gauge ID and the calibration date are on the label" says where they are. "The policy is on
    the noticeboard" still says where the policy is: the place is not the subject."""
    located = [c for c in candidates if is_sure(c) and _located(reply, c)]
    places = [
        c
        for c in candidates
        if is_sure(c) and any(_is_place_of(reply, c, subject) for subject in located)
    ]
    named = located + places
    return [
        replace(c, doubt=NAMED) if c in named or _a_labels_wording(reply, c) else c
        for c in candidates
    ]


def _is_place_of(reply: Reply, candidate: Candidate, subject: Candidate) -> bool:
    """ "The Quality lab is next to the gauge store": two points' words, one said to be by the
    other, describe the premises. "The IMS library is on the intranet" is one point's place."""
    clause = clause_of(reply.clauses, subject.first_word)
    return (
        candidate.point != subject.point
        and clause.holds(candidate.first_word)
        and candidate.first_word > subject.last_word
    )


def _a_labels_wording(reply: Reply, candidate: Candidate) -> bool:
    """ "a Do not use sticker" names a label; it doesn't say not to use anything."""
    said = reply.words[candidate.first_word : candidate.last_word + 1]
    after = candidate.last_word + 1
    return (
        is_sure(candidate)
        and any(w.role is Role.NEGATOR for w in said)
        and after < len(reply.words)
        and reply.words[after].plain in LABELS
    )


def _located(reply: Reply, candidate: Candidate) -> bool:
    clause = clause_of(reply.clauses, candidate.first_word)
    before = reply.words[clause.first : candidate.first_word]
    if any(w.meaningful or w.plain in SUBJECTS for w in before):
        return False
    after = [w.plain for w in reply.words[candidate.last_word + 1 : clause.last + 1]]
    # "the gauge ID and the calibration date are …": the subject may run on a few words.
    being = next((i for i, w in enumerate(after[:SUBJECT_RUN]) if w in BEING), None)
    if being is None or SUBJECTS.intersection(after[:being]):
        return False
    rest = [w for w in after[being + 1 :] if w not in KEPT]
    return bool(rest) and rest[0] in PLACES


def only_heard_of(
    reply: Reply, chosen: tuple[Candidate | None, ...]
) -> tuple[Candidate | None, ...]:
    """Points the reply says were heard of or came up, or that set a scene, are named, not said:
    "last time I heard environment and security in the same sentence …, legal requirements came
    up too"."""
    return tuple(
        replace(c, doubt=NAMED) if c is not None and is_sure(c) and _heard_of(reply, c) else c
        for c in chosen
    )


def _heard_of(reply: Reply, candidate: Candidate) -> bool:
    clauses = reply.clauses
    at = next(i for i, c in enumerate(clauses) if c.holds(candidate.first_word))
    # "I heard red tags and quarantine": a name joined on shares the hearing.
    while at and clauses[at].lead in ("and", "or", ",") and not clauses[at].has_subject:
        at -= 1
    end = next(i for i, c in enumerate(clauses) if c.holds(candidate.last_word))
    # "red tags and quarantine came up": so does the name before the "and".
    while end + 1 < len(clauses) and clauses[end + 1].lead in ("and", "or"):
        end += 1
        if clauses[end].has_subject:
            break
    last = clauses[end].last
    before = _phrase_at(reply, HEARD_OF, clauses[at].first, candidate.first_word)
    after = _phrase_at(reply, CAME_UP, candidate.last_word + 1, last + 1)
    own = clause_of(clauses, candidate.first_word)
    return before is not None or after is not None or _scene_set(reply, own.first, own.last)


def _scene_set(reply: Reply, first: int, last: int) -> bool:
    """ "I was stood by the red drum reading the labels while the supervisor was looking for the
    key to the cardboard cage" sets a scene: what went on once, not what the person does."""
    said = [w.plain for w in reply.words[first : last + 1]]
    return any(
        was in ("was", "were") and (doing.endswith("ing") or doing in ("stood", "sat"))
        for was, doing in pairwise(said)
    )


def recited(reply: Reply, candidates: Sequence[Candidate]) -> bool:
    """Terms followed by where they were read ("it's all on the poster"), with no point said
    by someone who does it, are a recital: it fails like a dump of terms."""
    terms = [c for c in candidates if c.score >= MET_SCORE and not c.negated]
    after_terms = max((c.last_word + 1 for c in terms), default=0)
    # "it's all on the intranet, check the rev" says where the procedure is: it answers.
    if not terms or _phrase_at(reply, RECITING, after_terms, len(reply.words)) is None:
        return False
    return not any(is_sure(c) and clause_of(reply.clauses, c.first_word).has_subject for c in terms)


def _phrase_at(
    reply: Reply, phrases: Sequence[tuple[str, ...]], start: int, end: int
) -> int | None:
    """Where one of the phrases starts between `start` and `end`, if anywhere."""
    plain = [w.plain for w in reply.words]
    for index in range(start, end):
        if any(tuple(plain[index : index + len(p)]) == p for p in phrases):
            return index
    return None


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


def denied_after(reply: Reply, candidates: Sequence[Candidate]) -> Clause | None:
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


def plain(reply: Reply) -> bool:
    """No clause says no or guesses, and nothing is "just" or "only" so: a reply one point
    short that isn't plain ("I'd probably just keep an eye on it", "no point calling anyone")
    is short of the point, not of the bank's wording for it."""
    reserved = any(c.negated or c.carried or c.hedged for c in reply.clauses)
    return not reserved and not any(w.plain in NARROWING for w in reply.words)


def put_off(reply: Reply) -> Clause | None:
    """The first clause that puts the procedure off ("report it when I get a chance"), disowns
    it ("not my job though") or keeps it in theory ("that's the theory anyway"), if any."""
    start = _phrase_at(reply, PUTTING_OFF + DISOWNING + IN_THEORY, 0, len(reply.words))
    return None if start is None else clause_of(reply.clauses, start)
