"""A reply cut into clauses, each with what it asserts: in the negative, hedged, or a fragment.

An auditor hears what a person *says they do*. "I wouldn't label it or put it aside" says the
person does neither; "I think maybe quarantine?" guesses; "red tag, quarantine, supervisor"
lists words. So a reply is cut at sentence ends, commas, "and", "or", "but" and the words that
open a subordinate clause ("because", "so", "if"), and each clause gets:

- `negated`: a negator governs it. Its own ("I never bother looking …"), or, for a clause joined
  by "or"/"nor" without a subject of its own, the one before it ("I wouldn't label it or put it
  aside"): the negation distributes over the coordination. Over "and" too when the negated
  clause has a subject ("I don't sit and wait"), but not after an order ("don't touch it and
  tell the supervisor");
- `hedged`: the person is guessing ("I think", "maybe", "not sure", a question mark). A hedge
  alone in its clause ("not sure, maybe the intranet") covers the clause next to it;
- `conditional`: it is the condition of an "if"/"unless": "if I'm unsure" is no "don't know",
  and a hedge in it covers nothing else;
- `statement`: it has something of a verb (a subject, an auxiliary, a known verb, a verb ending,
  an object pronoun after a word). A clause without one is a fragment: a name, a list of terms.

Pure; `questions/phrase_matching.py` reads a match's clause.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from questions.reply_words import NEGATION_TAKEN_BY, Role, Word, stem, words_set

PUNCTUATION = frozenset({".", ",", "?"})
COORDINATORS = words_set("and or but nor plus")
# Joined by these, a clause without its own subject shares the negation of the one before it.
DISTRIBUTING = words_set("or nor")
SUBORDINATORS = words_set(
    "because cos cause coz since so if unless when whenever while although though until "
    "before after then otherwise however till til"
)
CONDITIONS = words_set("if unless")
CONTRASTS = words_set("but though although however")
# In a negated clause, these point back at what was said before it ("neither", "none of that").
# Said no to with these, the person plays the procedure down: "no point ringing anyone",
# "doesn't need writing up", "I don't bother reporting", "not worth it".
DISMISSING = words_set("bother point worth need needed necessary needs rush hurry urgent")
BACK_WORDS = words_set("either neither none")
# "… only" after these is a label's wording ("for reference only"), not a narrowing.
LABEL_PURPOSES = words_set("reference information display training use")
SUBJECTS = words_set("i we you they he she someone somebody everyone everybody staff people")
# Words that make a clause a statement wherever they are: auxiliaries, modals, the copula.
AUXILIARIES = words_set(
    """is am are was were be been being do does did done would will should could can shall
    must may might has have had need needs needed gonna going got ought its thats theres"""
)
OBJECTS = words_set(
    "it them him her this these those one us me things stuff everything something anything"
)
# Opening a clause before more words, these are its subject: "it commits us to …".
OPENERS = words_set("it this that there he she they policy procedure")
LINKS = words_set("in into on onto to at from with off out up down away back over it them the")
DETERMINERS = words_set("the a an my our your their his any all every some that up out down off")
HEDGE_WORDS = words_set(
    "maybe perhaps probably possibly presumably guess suppose reckon think believe assume "
    "dunno unsure idk"
)
# "not sure", "no idea if": a negator taken by these is a hedge, not a negation.
HEDGE_AFTER_NEGATOR = words_set("sure certain idea clue")
# After "or" and an auxiliary, these make a question: "… or is it the yellow ones".
ASKED_ABOUT = words_set("it they that this he she i we you there")
# A negator after the words it governs, in the same clause: "I'd tell nobody".
NEGATES_BACKWARDS = words_set("nobody noone nothing never")
# Everyday verbs staff use when they say what they do; the stems of these start a statement.
VERBS = words_set(
    """tell report inform call ring phone email text message ask notify alert warn escalate
    raise log record write fill sign complete enter note document update file submit book
    check look read find see review inspect verify measure test confirm compare count
    stop keep put place move take bring send return give hand leave store hold set
    label tag mark quarantine segregate separate isolate remove bin throw dispose recycle sort
    clean wipe mop contain cover block close shut lock unplug disconnect switch turn press
    wear use follow stick work do make get go come let help fix repair replace change swap
    save reduce prevent protect avoid cut lower improve meet deliver ship pick pack load
    wait carry continue run start finish stand walk evacuate gather assemble
    know understand learn train show explain talk speak say discuss agree decide
    means mean matter matters affect affects helps keeps stops gets goes"""
)
VERB_STEMS = frozenset(map(stem, VERBS))
VERB_ENDINGS = ("ing", "ed")
# Joined by these to a statement, a clause without a subject shares its verb's subject:
# "quarantine it and tell quality".
SHARING = words_set("and or nor then")


@dataclass(frozen=True)
class Clause:
    """One clause of a reply: words `first` to `last` (indexes into the reply's words)."""

    first: int
    last: int
    lead: str  # the word that joined it to the clause before: "and", "if", "," or ""
    has_subject: bool
    negated: bool  # by a negator of its own
    carried: bool  # by the negation of the clause before, over "or"/"nor"
    hedged: bool
    conditional: bool
    statement: bool

    def holds(self, index: int) -> bool:
        return self.first <= index <= self.last


def clauses_of(words: Sequence[Word]) -> tuple[Clause, ...]:
    """The reply's clauses in order, with negation and hedges scoped to them."""
    if not words:
        return ()
    spans = _spans(words)
    raw = [_clause(words, first, last, lead) for first, last, lead in spans]
    return _spread(raw, words)


def clause_of(clauses: Sequence[Clause], index: int) -> Clause:
    """The clause a word belongs to."""
    return next((c for c in clauses if c.holds(index)), clauses[-1])


def own_negator_before(words: Sequence[Word], clause: Clause, first: int) -> int | None:
    """The negator of the clause that governs the words from `first`, if one comes before."""
    for index in range(first - 1, clause.first - 1, -1):
        if negates(words, index):
            return index
    return None


def negator_after(
    words: Sequence[Word], clause: Clause, last: int, first: int | None = None
) -> int | None:
    """A negator after the words, in their clause, that points back at them ("tell nobody"),
    or says no to the verb they are the subject of ("IT security isn't in it")."""
    for index in range(last + 1, clause.last + 1):
        if words[index].plain in NEGATES_BACKWARDS:
            return index
    if first is None or not _opens(words, clause, first):
        return None
    verb, no = last + 1, last + 2
    if no <= clause.last and words[verb].plain in AUXILIARIES and negates(words, no):
        return no
    return None


def _opens(words: Sequence[Word], clause: Clause, first: int) -> bool:
    """True when only joining words and determiners come before `first` in its clause: the
    words there are the clause's subject."""
    before = words[clause.first : first]
    return all(w.plain in PUNCTUATION | COORDINATORS | SUBORDINATORS | DETERMINERS for w in before)


def negates(words: Sequence[Word], index: int) -> bool:
    """A negator that says no ("not", "never"), rather than "not sure" or "not only"."""
    if words[index].role is not Role.NEGATOR:
        return False
    following = [w for w in words[index + 1 : index + 4] if w.role is not Role.BOUNDARY][:2]
    taken = NEGATION_TAKEN_BY | HEDGE_AFTER_NEGATOR
    if following and (following[0].stem in taken or following[0].plain in taken):
        return False
    # "not really sure", "not 100% sure"
    return not (len(following) == 2 and following[0].role is Role.STOP
                and following[1].plain in taken)  # fmt: skip


def _spans(words: Sequence[Word]) -> list[tuple[int, int, str]]:
    """Where clauses start and end, with the word that joined each to the one before."""
    spans: list[tuple[int, int, str]] = []
    start, lead = 0, ""
    for index, word in enumerate(words):
        joins = word.plain in COORDINATORS | SUBORDINATORS | PUNCTUATION
        new_subject = word.plain in SUBJECTS and index > start and _has_content(words, start, index)
        if joins and index > start:
            spans.append((start, index - 1, lead))
            start = index
            lead = word.plain if word.plain not in PUNCTUATION or lead not in PUNCTUATION else lead
        elif joins:
            lead = word.plain or lead
        elif new_subject:
            spans.append((start, index - 1, lead))
            start, lead = index, ""
    if start < len(words):
        spans.append((start, len(words) - 1, lead))
    said = [span for span in spans if _has_words(words, *span[:2])]
    return said or [(0, max(len(words) - 1, 0), "")]


def _has_words(words: Sequence[Word], first: int, last: int) -> bool:
    return any(w.plain not in PUNCTUATION for w in words[first : last + 1])


def _has_content(words: Sequence[Word], first: int, end: int) -> bool:
    return any(w.role is Role.CONTENT for w in words[first:end])


def _clause(words: Sequence[Word], first: int, last: int, lead: str) -> Clause:
    inside = words[first : last + 1]
    plain = [w.plain for w in inside]
    has_subject = any(p in SUBJECTS for p in plain)
    return Clause(
        first=first,
        last=last,
        lead=lead,
        has_subject=has_subject,
        negated=any(negates(words, i) for i in range(first, last + 1)),
        carried=False,
        hedged=_hedged(words, first, last),
        conditional=lead in CONDITIONS,
        statement=has_subject or _verb_like(inside),
    )


def _hedged(words: Sequence[Word], first: int, last: int) -> bool:
    for index in range(first, last + 1):
        word = words[index]
        if word.plain in HEDGE_WORDS:
            return True
        if word.role is Role.NEGATOR and not negates(words, index):
            following = [w for w in words[index + 1 : index + 4] if w.role is not Role.BOUNDARY]
            if following and (following[0].plain in HEDGE_AFTER_NEGATOR):
                return True
    after = words[last + 1] if last + 1 < len(words) else None
    return after is not None and after.plain == "?"


def _verb_like(words: Sequence[Word]) -> bool:
    plain = [w.plain for w in words if w.role is not Role.BOUNDARY and w.plain not in COORDINATORS]
    if any(p in AUXILIARIES for p in plain):
        return True
    if len(plain) > 1 and plain[0] in OPENERS:
        return True
    for index, word in enumerate(plain):
        following = plain[index + 1] if index + 1 < len(plain) else None
        # A known verb leading its clause, before a word that is no verb itself, is an
        # imperative ("tell QA", "tag it"); "tag quarantine supervisor" lists.
        leads = index == 0 and following is not None and not _is_verb(following)
        # Leading, only the bare verb: "setting standard" and "reading labels" name things.
        if (leads and word in VERBS) or (index > 0 and plain[index - 1] == "to" and _is_verb(word)):
            return True
        # After a word and before a preposition or object: "oily rags go in the red drum".
        if index > 0 and following in LINKS and _is_verb(word):
            return True
        # "checking the rev", "wearing my PPE"; not "uncontrolled copy", "recycling bins".
        verb_form = len(word) > 4 and word.endswith(VERB_ENDINGS) and word.isalpha()
        if verb_form and following in DETERMINERS | OBJECTS:
            return True
        if index > 0 and word in OBJECTS and plain[index - 1] not in OBJECTS | SUBORDINATORS:
            return True
    return False


def used_as_verb(words: Sequence[Word], clause: Clause, index: int) -> bool:
    """True when a known verb stands where a verb goes: first in its clause, or after a
    subject, an auxiliary or "to" ("I tag it", "log it", "must be tagged")."""
    if not _is_verb(words[index].plain):
        return False
    before = [w for w in words[clause.first : index] if w.plain not in PUNCTUATION | COORDINATORS]
    before = [w for w in before if w.plain not in SUBORDINATORS]
    if not before:
        return True
    return before[-1].plain in SUBJECTS | AUXILIARIES | {"to", "then", "just", "also", "always"}


def _is_verb(word: str) -> bool:
    return word in VERBS or stem(word) in VERB_STEMS


def _spread(clauses: list[Clause], words: Sequence[Word]) -> tuple[Clause, ...]:
    """Carry negation over "or"/"nor", a hedge over a coordination, and a bare hedge to the
    clause beside it."""
    spread: list[Clause] = []
    pending = False  # "I wouldn't, if it was late, be ringing 2222": the no waits for its verb
    for index, clause in enumerate(clauses):
        before = spread[-1] if spread else None
        # "if it was late or a weekend": the condition goes on over "or"/"and".
        conditional = clause.conditional or (
            before is not None
            and before.conditional
            and clause.lead in COORDINATORS
            and not clause.has_subject
        )
        # Over "and" only from a clause with a subject: "I don't sit and wait" waits for
        # nothing, where the order "don't touch it and tell the supervisor" does tell.
        carried = (
            before is not None
            and (before.negated or before.carried)
            and (
                clause.lead in DISTRIBUTING
                or (clause.lead == "and" and _denies_its_verb(before, words))
            )
            and not clause.has_subject
            and not clause.negated
        ) or (pending and not clause.has_subject and not conditional)
        if not conditional:
            pending = clause.negated and not _says_more_than_no(clause, words)
        # "maybe tag it or quarantine it" guesses both.
        shares_hedge = (
            before is not None
            and before.hedged
            and clause.lead in SHARING
            and not clause.has_subject
            and _same_sentence(clauses, index - 1, words)
        )
        hedged = clause.hedged or shares_hedge or _bare_hedge_beside(clauses, index, words)
        statement = clause.statement or (
            before is not None
            and before.statement
            and clause.lead in SHARING
            and _same_sentence(clauses, index - 1, words)
        )
        spread.append(
            replace(
                clause,
                carried=carried,
                hedged=hedged,
                statement=statement,
                conditional=conditional,
            )
        )
    return _second_guessed(_negated_looking_back(spread, words), words)


def _second_guessed(clauses: tuple[Clause, ...], words: Sequence[Word]) -> tuple[Clause, ...]:
    """ "the red ones, or is it the yellow ones": a question the person puts to themselves
    doubts everything said before it in the sentence."""
    sentence = _sentence_numbers(list(clauses), words)
    marked = list(clauses)
    for index, clause in enumerate(clauses):
        said = [w.plain for w in words[clause.first : clause.last + 1] if w.plain != ","]
        asks = said[:1] == ["or"] and len(said) > 2 and said[1] in AUXILIARIES
        if asks and said[2] in ASKED_ABOUT:
            for i in range(index + 1):
                if sentence[i] == sentence[index]:
                    marked[i] = replace(marked[i], hedged=True)
    return tuple(marked)


def dismissal(clauses: Sequence[Clause], words: Sequence[Word]) -> Clause | None:
    """The first clause that plays the procedure down ("no point ringing anyone") or narrows
    it ("they only deal with viruses", "that's all it covers"), if any: wrong claims are often
    said this way, so a reply with one is read by a person before it passes."""
    for clause in clauses:
        said = [w for w in words[clause.first : clause.last + 1] if w.plain not in PUNCTUATION]
        plain = [w.plain for w in said]
        if clause.negated and DISMISSING.intersection(plain):
            return clause
        if {("is", "all"), ("that", "all")} & set(pairwise(plain)) or any(
            _narrows(said, i) for i, w in enumerate(plain) if w == "only"
        ):
            return clause
    return None


def _narrows(said: Sequence[Word], index: int) -> bool:
    """ "only" that narrows what is done ("they only deal with viruses", "it's about quality
    only"), not "not only" or a label's "reference only"."""
    before = said[index - 1] if index else None
    if before is None or (before.role is not Role.CONTENT and before.plain != "not"):
        return True
    ends_clause = index + 1 == len(said)
    return ends_clause and before.plain not in LABEL_PURPOSES


def _denies_its_verb(clause: Clause, words: Sequence[Word]) -> bool:
    """A subject's verb said no to ("I don't sit", "we never tag"), not a "to not polluting"."""
    if not clause.has_subject:
        return False
    for index in range(clause.first, clause.last + 1):
        if negates(words, index):
            before = words[index - 1].plain if index > clause.first else ""
            return before in SUBJECTS | AUXILIARIES or words[index].plain == "never"
    return False


def _says_more_than_no(clause: Clause, words: Sequence[Word]) -> bool:
    return any(w.role is Role.CONTENT for w in words[clause.first : clause.last + 1])


def _negated_looking_back(clauses: list[Clause], words: Sequence[Word]) -> tuple[Clause, ...]:
    """A negated clause that points back at what came before negates it: "checking the
    first-off, catching a bad setup - that's stuff I don't bother with", "fewer injuries, less
    pollution... none of that changes anything"."""
    sentence = _sentence_numbers(clauses, words)
    marked = list(clauses)
    for index, clause in enumerate(clauses):
        said = words[clause.first : clause.last + 1]
        bare_no = clause.negated and not _says_more_than_no(clause, words)
        # "… and nobody gets punished. I wouldn't though": a bare no that ends its sentence.
        ends = (
            index + 1 == len(clauses)
            or not _same_sentence(clauses, index, words)
            or not (_says_more_than_no(clauses[index + 1], words))
        )
        if not (clause.negated and _points_back(said)) and not (bare_no and ends and index):
            continue
        opens = all(sentence[i] != sentence[index] for i in range(index))
        if opens and sentence[index] == 0:
            # Opening the reply, it points ahead: "Not something I'd stop the job for, tagging
            # it and walking it over to the lab".
            ahead = [i for i in range(index + 1, len(clauses)) if sentence[i] == 0]
            for i in ahead:
                marked[i] = replace(marked[i], carried=True)
            continue
        targets = {sentence[index] - 1} if opens else {sentence[index]}
        if not opens and _opened_by_contrast(clauses, sentence, index):
            # "Spill kit's by the door. But that's maintenance's job, I'm not touching any of
            # it": the "but" turns the denial on the sentence before.
            targets.add(sentence[index] - 1)
        for i in range(index):
            if sentence[i] in targets:
                marked[i] = replace(marked[i], carried=True)
    return tuple(marked)


def _opened_by_contrast(clauses: list[Clause], sentence: list[int], index: int) -> bool:
    first = next(i for i in range(index + 1) if sentence[i] == sentence[index])
    return first > 0 and clauses[first].lead in CONTRASTS


def _sentence_numbers(clauses: list[Clause], words: Sequence[Word]) -> list[int]:
    numbers, current = [0], 0
    for index in range(1, len(clauses)):
        current += not _same_sentence(clauses, index - 1, words)
        numbers.append(current)
    return numbers[: len(clauses)]


BACK_PAIRS = {
    ("that", "stuff"), ("that", "sort"), ("that", "kind"), ("those", "things"),
    ("not", "something"), ("none", "of"), ("any", "of"),
}  # fmt: skip


def _points_back(words: Sequence[Word]) -> bool:
    plain = [w.plain for w in words if w.plain not in PUNCTUATION]
    return bool(BACK_WORDS.intersection(plain) or BACK_PAIRS.intersection(pairwise(plain)))


def _bare_hedge_beside(clauses: list[Clause], index: int, words: Sequence[Word]) -> bool:
    """True when the clause before (or, at a sentence's end, after) is only a hedge."""
    for other in (index - 1, index + 1):
        beside = 0 <= other < len(clauses) and _only_a_hedge(clauses[other], words)
        later = clauses[max(index, other)] if beside else None
        # "not sure where it is, but I'd tell my supervisor": the "but" ends the guess.
        if (
            later
            and later.lead not in CONTRASTS
            and _same_sentence(clauses, min(index, other), words)
        ):
            return True
    return False


def _only_a_hedge(clause: Clause, words: Sequence[Word]) -> bool:
    content = [w for w in words[clause.first : clause.last + 1] if w.role is Role.CONTENT]
    return (
        clause.hedged
        and not clause.conditional
        and all(w.plain in HEDGE_WORDS | HEDGE_AFTER_NEGATOR | SUBJECTS for w in content)
    )


def _same_sentence(clauses: list[Clause], earlier: int, words: Sequence[Word]) -> bool:
    later = clauses[earlier + 1]
    return all(w.plain not in (".", "?") for w in words[clauses[earlier].last : later.first + 1])
