"""Who does what: from responsibility tables, "X is responsible for Y" and "X shall approve Y",
drafts of "Who is responsible for Y?" with the right role and other roles of the document.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from questions.documents.model import BlockKind, ProcedureDocument, Section
from questions.drafting.drafts import Answers, Draft, Fact, see
from questions.drafting.likeness import same_name, similar_topics
from questions.drafting.narrative import passive_duty
from questions.drafting.roles import RoleBook, role_tables
from questions.drafting.sentences import (
    Sentence,
    as_thing,
    clean,
    lower_first,
    names_several,
    sentences,
    strip_article,
    table_row_sentence,
    upper_first,
    without_parentheses,
)
from questions.drafting.verbs import (
    agreeing,
    duty_as_gerund,
    gerund,
    is_duty_verb,
    present_verb,
    third_person,
)
from questions.model import Kind

_RESPONSIBLE = re.compile(
    r"^(?:is|are)\s+(?:also\s+|ultimately\s+)?(?:responsible|accountable)\s+(for|to)\b\s*:?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_MODAL = re.compile(
    r"^(shall|must|will|should|is to|are to|needs? to|ha(?:s|ve) to)\s*:?\s+"
    r"(?:then\s+|also\s+|only\s+|first\s+)?(\w[\w-]*)\s+(.+)$",
    re.DOTALL,
)
_CONDITION = re.compile(
    r"^((?:if|when|where|once|before|after|unless)\b[^,]{3,120}),\s*(.+)$", re.I
)
_OPENER = re.compile(
    r"^(?:in any case|additionally|thereafter|then|similarly|finally|in general|also),\s*", re.I
)
# "X is responsible for" runs on into the next clause too often to cut reliably after these.
_MAX_DUTY_WORDS = 22


@dataclass(frozen=True)
class Duty:
    role: str
    duty: str
    prompt: str
    cites: str
    section: Section
    # The right answer as a sentence, for the explanation: "The QMO approves concessions."
    answer: str


def duties(document: ProcedureDocument, book: RoleBook) -> list[Duty]:
    return [*_table_duties(document, book), *_sentence_duties(document, book)]


def facts(found: list[Duty]) -> list[Fact]:
    return [Fact(Answers.ROLE, d.duty, d.role) for d in found]


def role_drafts(document: ProcedureDocument, book: RoleBook) -> Iterator[Draft]:
    found = duties(document, book)
    known = facts(found)
    original = document.original_id or document.id
    for written in found:
        if _SHARED.match(written.duty):
            continue
        duty = replace(written, prompt=book.spelt_out(written.prompt))
        wrong = _wrong_roles(duty, book, known)
        if len(wrong) < 2:
            continue
        explanation = f"{duty.answer} {see(original, duty.section)}"
        # The role as the roles table writes it: "The lead auditor presents …" would give a
        # lower-case right option among capitalised wrong ones (found in independent review).
        named = book.find(duty.role)
        yield Draft(
            kind=Kind.SINGLE,
            prompt=duty.prompt,
            section=duty.section,
            cites=duty.cites,
            explanation=explanation,
            answers=Answers.ROLE,
            topic=duty.duty,
            right=named.name if named and duty.role.islower() else duty.role,
            wrong=tuple(wrong),
        )


def _the(role: str) -> str:
    return f"The {strip_article(role)}"


def _is_or_are(role: str) -> str:
    return "are" if names_several(role) else "is"


def _responsible_answer(role: str, thing: str) -> str:
    return f"{_the(role)} {_is_or_are(role)} responsible for {thing}."


def _wrong_roles(duty: Duty, book: RoleBook, known: list[Fact]) -> list[str]:
    """Two or three other roles: none the same as the right one, none also doing this duty."""
    doers = [f.answer for f in known if similar_topics(f.topic, duty.duty)]
    named = book.mentioned_in(duty.prompt)
    candidates: list[str] = []
    for role in sorted(book.roles, key=lambda r: not r.from_table):
        if role in named or book.linked(role.name, duty.role):
            continue
        if any(book.linked(role.name, doer) or same_name(role.name, doer) for doer in doers):
            continue
        if any(same_name(role.name, c) for c in candidates):
            continue
        candidates.append(role.name)
    if len(candidates) <= 3:
        return candidates
    # Roles the same section names first: there, staff really confuse who does what; a role
    # from elsewhere in the document ("Reception / Security" for who approves the procedure)
    # was one nobody would pick, in independent review.
    nearby = {role.name for role in book.mentioned_in(duty.section.text)}
    start = int(hashlib.sha256(duty.prompt.encode()).hexdigest(), 16) % len(candidates)
    rotated = [candidates[(start + i) % len(candidates)] for i in range(len(candidates))]
    return sorted(rotated, key=lambda name: name not in nearby)[:3]


def _table_duties(document: ProcedureDocument, book: RoleBook) -> Iterator[Duty]:
    for role_col, duty_col, _others, block in role_tables(document):
        if duty_col is None:
            continue
        section = next(s for s in document.sections if block in s.blocks)
        header = block.rows[0]
        for row in block.rows[1:]:
            if max(role_col, duty_col) >= len(row):
                continue
            role, text = clean(row[role_col]), clean(row[duty_col])
            # A cell of several duties ("Owns this procedure; approves schedules; …") asks
            # about each on its own: joined, they read badly (found in independent review).
            for part in re.split(r"(?<=\.)\s+(?=[A-Z])|\s*;\s*", text):
                if _OWNS_THE_DOCUMENT.match(part):
                    continue  # the header names the owner: the question would give itself away
                duty = _table_duty(part, book)
                if role and duty:
                    thing, prompt, does = duty
                    answer = f"{_the(role)} {does}." if does else _responsible_answer(role, thing)
                    yield Duty(
                        role, thing, prompt, table_row_sentence(header, row), section, answer
                    )


# "Attends G3 and G4", "supports the audit": others attend and support too (the chair, the
# minute-taker), so "Who attends …?" had several right answers in independent review.
_SHARED = re.compile(
    r"^(?:attend|support|assist|participat|take[s]? part|taking part|help|contribut"
    r"|co-?operat|(?:is|are) (?:consulted|involved|informed))",
    re.IGNORECASE,
)
_OWNS_THE_DOCUMENT = re.compile(
    r"^(?:is\s+)?(?:owns?|the owner of)\s+(?:this|the)\s+"
    r"(?:procedure|sop|document|standard|policy)\b",
    re.IGNORECASE,
)


def _table_duty(text: str, book: RoleBook) -> tuple[str, str, str] | None:
    """A duty cell as (duty, prompt, what the role does), the role's own name cut off its front:
    "Approves concessions" asks "Who approves concessions?", "Leading audits" asks "Who is
    responsible for leading audits?".
    """
    text = without_parentheses(_cut_examples(clean(text))).rstrip(" .;")
    leading = book.pattern.match(text)
    if leading and leading.start() == 0:
        text = text[leading.end() :].strip()
    text = re.sub(r"^(?:is |are )?(?:responsible|accountable) for\s+", "", text, flags=re.I)
    if len(text.split()) > _MAX_DUTY_WORDS:
        return None
    first, _, rest = text.partition(" ")
    # "Plans and conducts the audit": verbs the role does, asked as they are written.
    base = present_verb(first.lower())
    if base and is_duty_verb(base) and rest and rest.split()[0] == "and":
        does = f"{third_person(base)} {agreeing(rest)}"
        return does, f"Who {does}?", does
    gerund_form = duty_as_gerund(text)
    if gerund_form is not None and not first.lower().endswith("ing"):
        lower = first.lower()
        verb = third_person(lower) if is_duty_verb(lower) else lower
        does = _listed_with_and(f"{verb} {agreeing(_with_article(rest))}")
        return does, f"Who {does}?", does
    thing = gerund_form or (as_thing(text) if _reads_as_noun(text) else None)
    if thing is None:
        return None
    return thing, f"Who is responsible for {thing}?", ""


def _listed_with_and(does: str) -> str:
    """ "keeps the register, applies inspection tags, quarantines defective equipment" → "…,
    applies inspection tags and quarantines …": a cell's duties listed as a table writes them
    read as broken English in a question (found on a blind set)."""
    duties = does.split(", ")
    last = duties[-1].split(" ", 1)[0]
    if len(duties) < 2 or present_verb(last) is None or not is_duty_verb(present_verb(last) or ""):
        return does
    return f"{', '.join(duties[:-1])} and {duties[-1]}"


_NO_ARTICLE_BEFORE = frozenset(
    ["a", "an", "the", "all", "any", "each", "every", "both", "other", "our", "their", "its",
     "this", "that", "these", "those", "no", "own", "his", "her", "whether", "how", "what",
     "that", "if", "when", "where", "up", "out", "off", "on", "in", "over", "back", "down"]
)  # fmt: skip
_NOUN_PHRASE_END = re.compile(
    r"^(?:of|to|for|in|on|with|from|and|or|by|at|as|before|after|that|which|who|where|when)$"
)


def _with_article(what: str) -> str:
    """ "weekly hold report" → "the weekly hold report": a table cell's clipped object read as
    broken English in "Who reviews weekly hold report?" (found on a blind set). Plural and
    one-word objects ("quotes", "training") read right without one."""
    words = what.split()
    if not words or not words[0].isalpha() or not words[0].islower():
        return what
    if words[0] in _NO_ARTICLE_BEFORE or words[0].endswith("ing"):
        return what
    phrase = []
    for word in words:
        if _NOUN_PHRASE_END.match(word.lower()):
            break
        phrase.append(word.strip(",.;"))
        if word.endswith((",", ";")):
            break
    head = phrase[-1].lower() if phrase else ""
    if len(phrase) < 2 or head.endswith(("s", "ing")) or not head.isalpha():
        return what
    return f"the {what}"


def _cut_examples(text: str) -> str:
    """ "..., e.g. for software bugs, the lead developer" reads badly in a prompt: cut it."""
    return re.split(r",?\s+(?:e\.g\.|for example|such as)\s", text, maxsplit=1)[0]


def _reads_as_noun(text: str) -> bool:
    words = text.split()
    return len(words) >= 2 and words[1].lower() in ("of", "for", "with", "and")


def _sentence_duties(document: ProcedureDocument, book: RoleBook) -> Iterator[Duty]:
    for sentence in sentences(document):
        found = _bullet_duty(sentence, book) or _written_duty(sentence.full, book)
        if found is None:
            continue
        named, thing, prompt = found
        role = book.find(named)
        if role is None:
            continue
        answer = (
            _responsible_answer(named, thing)
            if prompt.startswith("Who is responsible")
            else f"{_the(named)} {thing}."
        )
        yield Duty(named, thing, prompt, sentence.full, sentence.section, answer)


def _written_duty(full: str, book: RoleBook) -> tuple[str, str, str] | None:
    """(the role as the sentence names it, the duty, the prompt) from "X shall Y", "X approves
    Y", "X is responsible for Y" or "Y is approved by X", a leading condition kept in the prompt.
    """
    text = without_parentheses(_cut_examples(full))
    condition = ""
    opened = _OPENER.sub("", text)
    conditional = _CONDITION.match(opened)
    if conditional:
        condition, opened = conditional.group(1), conditional.group(2)
    passive = passive_duty(upper_first(opened), condition, book)
    if passive is not None:
        return passive.role, passive.does, passive.prompt
    unarticled = re.sub(r"^the\s+", "", opened, flags=re.I)
    subject = book.pattern.match(unarticled)
    if subject is None:
        return None
    duty = _duty_of(unarticled[subject.end() :].strip(), condition, book)
    return None if duty is None else (clean(subject.group(0)), *duty)


# "for making sure this procedure is followed, for approving the register, and for …": each
# duty after "for" stands alone; "making sure" and "owning" say nothing one could get wrong.
_NEXT_DUTY = re.compile(r",\s*(?:and\s+)?(?:for\s+)?(?=[a-z]+ing\b)")
_VAGUE_DUTY = re.compile(r"^(?:making sure|ensuring|owning|overseeing|supporting)\b", re.I)


def _one_duty(what: str) -> str:
    """The first telling duty of several ("approving the register" from "making sure …, for
    approving the register, and for authorising …"), or `what` when it holds one."""
    duties = _NEXT_DUTY.split(what)
    if len(duties) < 2:
        return what
    telling = [d for d in duties if not _VAGUE_DUTY.match(d)]
    return (telling or duties)[0].strip(" ,")


def _bullet_duty(sentence: Sentence, book: RoleBook) -> tuple[str, str, str] | None:
    """A list item "Quality Manager: approves the audit plan" read like a roles-table row."""
    if sentence.block.kind is not BlockKind.LIST_ITEM:
        return None
    parts = re.split(r"\s*:\s+|\s+[–—-]\s+", sentence.text, maxsplit=1)
    if len(parts) != 2:
        return None
    named = strip_article(clean(parts[0]))
    role = book.pattern.fullmatch(named)
    if role is None or book.find(named) is None:
        return None
    duty = _table_duty(parts[1], book)
    if duty is None:
        return None
    thing, prompt, _does = duty
    return named, thing, prompt


def _duty_of(rest: str, condition: str, book: RoleBook) -> tuple[str, str] | None:
    """What the role does, and the prompt asking who does it."""
    if rest.endswith(":"):
        rest = re.sub(r",[^,]*:$", "", rest)
        # "verify on the public register that:" goes on in the list below it.
        if rest.endswith(":"):
            return None
    # ", who shall classify it within 10 working days" is another role's duty.
    rest = re.split(r",\s+(?:who|which|whom)\s", rest, maxsplit=1)[0]
    rest = rest.rstrip(" .;:")
    responsible = _RESPONSIBLE.match(rest)
    if responsible:
        preposition, what = responsible.groups()
        what = _one_duty(what)
        if preposition.lower() == "to":
            first, _, others = what.partition(" ")
            what = f"{gerund(first)} {others}"
        thing = duty_as_gerund(what) or (as_thing(what) if _reads_as_noun(what) else None)
        if not thing or len(thing.split()) > _MAX_DUTY_WORDS:
            return None
        return thing, f"Who is responsible for {thing}?"
    modal = _MODAL.match(rest)
    if modal:
        auxiliary, verb, what = modal.groups()
        if verb.lower() in ("be", "have", "not", "also", "then"):
            return None
        # "should" recommends: the prompt keeps it rather than stating a duty.
        # "shall immediately tell": the adverb stays, the verb after it agrees ("Who
        # immediatelies tell …?" was drafted on a blind test set).
        adverb = ""
        if verb.lower().endswith("ly") and what:
            adverb, (verb, _, what) = f"{verb.lower()} ", what.partition(" ")
        if auxiliary == "should":
            verb = f"should {adverb}{verb.lower()}"
        else:
            verb, what = f"{adverb}{third_person(verb.lower())}", agreeing(what)
    else:
        first, _, what = rest.partition(" ")
        base = present_verb(first)
        if base is None or not what:
            return None
        verb = third_person(base)
    if len(what.split()) > _MAX_DUTY_WORDS:
        return None
    prompt = f"Who {verb} {what}"
    if condition:
        prompt += f" {lower_first(condition)}"
    return f"{verb} {what}", f"{prompt}?"
