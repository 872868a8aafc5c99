"""Shall and must statements as true/false drafts: the statement as written, or altered so it is
plainly false (another role of the document, or a stricter time), trues and falses in turn.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from questions.documents.model import ProcedureDocument
from questions.drafting.drafts import Draft, quoted, see
from questions.drafting.likeness import same_name, similar_topics
from questions.drafting.responsibilities import duties
from questions.drafting.roles import Role, RoleBook
from questions.drafting.sentences import (
    Sentence,
    clean,
    is_acronym,
    names_several,
    normalise,
    sentences,
    upper_first,
    without_parentheses,
)
from questions.drafting.time_limits import Limit, limits_in
from questions.model import Kind

_REQUIREMENT = re.compile(r"\b(?:shall|must)\b", re.IGNORECASE)
# Narrative procedures state what happens with "will" and "is to"; a sentence that also says
# "should" or "may" only recommends or allows, so a true/false on it would not be fair.
# "The goal is to ..." states a purpose, so "is to" counts only as "is to be".
_FIRM = re.compile(r"\b(?:will|(?:is|are) to be|needs? to|ha(?:s|ve) to)\b", re.IGNORECASE)
_SOFT = re.compile(
    r"\b(?:should|may|might|can|could|ought|probably|likely|possibly|perhaps|where possible"
    r"|if needed|as needed)\b",
    re.IGNORECASE,
)
# Without a requirement word to anchor it, a sentence leaning on a pronoun or talking to the
# reader ("You need to customize it") is chatter or needs its neighbours to be understood.
_CHATTY = re.compile(r"\bI\b|\b(?:you|we|it|they|them|this|these|those)\b(?!-)", re.I)
_ABOUT_ITSELF = re.compile(
    r"^(?:the\s+)?(?:this|purpose|goal|aim|intent|objective|procedure|sop|document|policy)\b", re.I
)
_MIN_FIRM_WORDS = 9
# "..., which may include:" only introduces a list; the sentence before it stands alone.
_INTRODUCING = re.compile(
    r",\s*(?:which|that)\s+(?:may\s+|will\s+|can\s+)?(?:includes?|are|is|comprises?)\b[^,.]*:$"
)
# A long statement is answered by recognising it, and one with a semicolon holds two facts
# (both found in independent review).
_MIN_WORDS, _MAX_WORDS = 7, 30
# A stricter time is false on every reading: keeping records 20 years is not required where
# 10 are, while "at least 5 years" would still be true of a 10-year rule.
_STRICTER = {"within": 0.5, "period": 0.5, "duration": 2.0}


def statement_drafts(
    document: ProcedureDocument, book: RoleBook, *, asked: Collection[str] = ()
) -> Iterator[Draft]:
    """True and false statements in turn, from sentences not in `asked` (normalised)."""
    original = document.original_id or document.id
    done = duties(document, book)
    trues = falses = 0
    previous: Sentence | None = None
    for sentence in sentences(document):
        after, previous = previous, sentence
        if normalise(sentence.full) in asked or _under_a_condition(sentence, after):
            continue
        statement = _statement(sentence)
        if statement is None or not _checkable(statement, book):
            continue
        nearby = book.mentioned_in(" ".join(b.text for b in sentence.section.blocks))
        altered = _altered(statement, book, [(d.role, d.duty) for d in done], nearby)
        if altered is not None and falses < trues:
            falses += 1
            yield Draft(
                kind=Kind.TRUE_FALSE,
                prompt=altered,
                section=sentence.section,
                cites=sentence.full,
                explanation=f"False. {quoted(statement)} {see(original, sentence.section)}",
                truth=False,
            )
        else:
            trues += 1
            yield Draft(
                kind=Kind.TRUE_FALSE,
                prompt=statement,
                section=sentence.section,
                cites=sentence.full,
                explanation=f"True. {quoted(statement)} {see(original, sentence.section)}",
                truth=True,
            )


_CONDITION = re.compile(r"^(?:if|where|when|unless|otherwise|in (?:that|this|such a) case)\b", re.I)


def _under_a_condition(sentence: Sentence, previous: Sentence | None) -> bool:
    """ "If there is no ECP, stop. The isolation must be planned on a permit …": the second
    sentence holds only under the first one's condition, and alone it misleads (independent
    review)."""
    return (
        previous is not None
        and previous.block is sentence.block
        and bool(_CONDITION.match(previous.text))
        and not _CONDITION.match(sentence.text)
    )


# A record, form or register named: something a person can get right or wrong.
_RECORD = re.compile(
    r"\b(?:form|register|record|log|logbook|database|repository|ticket|report|checklist)s?\b"
    r"|\b[A-Z]{2,}[- ]?[A-Z]*-?\d+\b",
    re.IGNORECASE,
)


def _checkable(statement: str, book: RoleBook) -> bool:
    """A statement worth a true/false names a detail that could be got wrong: a role, a
    number or time, or a record. A general aim ("staff must have adequate training") is true
    to anyone, so asking it tests nothing (found in independent review of drafts)."""
    return bool(
        re.search(r"\d", statement) or book.mentioned_in(statement) or _RECORD.search(statement)
    )


# "First article – a part taken from the first production run …": a term's definition, under
# a definitions heading or written as one, says what a word means, not what anyone must do.
_DEFINITION = re.compile(r"^[A-Z][\w/&() -]{1,50}?\s[–—-]\s+(?:a|an|the|any)\s", re.IGNORECASE)
_DEFINITIONS_HEADING = re.compile(r"definition|terms|glossary|abbreviation", re.IGNORECASE)
# "Environmental check: the SHEQ Manager shall confirm …, before approval": a step's label
# leaves the statement hanging on the step around it (rejected for its context on a blind set).
_LABELLED = re.compile(r"^[A-Z][\w -]{2,30}:\s+\S")


def _statement(sentence: Sentence) -> str | None:
    if _DEFINITION.match(sentence.text) or _DEFINITIONS_HEADING.search(sentence.section.heading):
        return None
    if _LABELLED.match(sentence.text):
        return None
    # An aside in brackets ("see Appendix") is no part of what is true or false.
    text = _INTRODUCING.sub("", without_parentheses(clean(sentence.text)))
    # A list item that is a whole sentence of its own needs nothing from its lead-in.
    whole = sentence.text[:1].isupper() and sentence.text.endswith(".")
    if (sentence.lead_in and not whole) or not _binding(text) or text.endswith((":", "?")):
        return None
    if not _MIN_WORDS <= len(text.split()) <= _MAX_WORDS or ";" in text:
        return None
    text = upper_first(text)
    return text if text.endswith(".") else f"{text}."


def _binding(text: str) -> bool:
    if _REQUIREMENT.search(text):
        return True
    return (
        bool(_FIRM.search(text))
        and len(text.split()) >= _MIN_FIRM_WORDS
        and not _SOFT.search(text)
        and not _CHATTY.search(text)
        and not _ABOUT_ITSELF.match(text)
    )


def _altered(
    statement: str, book: RoleBook, done: list[tuple[str, str]], nearby: list[Role]
) -> str | None:
    return _role_swapped(statement, book, done, nearby) or _time_swapped(statement)


def _plausible_first(book: RoleBook, nearby: list[Role]) -> list[Role]:
    """Roles the section itself involves, then the roles table's, then roles only the text
    names: the same one role swapped into every false statement, one the reader never meets
    in that part of the procedure, read as plainly false to a blind reviewer."""
    return sorted(book.roles, key=lambda r: (r not in nearby, not r.from_table))


def _role_swapped(
    statement: str, book: RoleBook, done: list[tuple[str, str]], nearby: list[Role]
) -> str | None:
    match = book.pattern.search(statement)
    if match is None:
        return None
    # Without "shall" or "must", only the doer is swapped: "The QMO will approve ..." is plainly
    # false of another role, "agreed with the QMO or the Head of Department" is not.
    subject = re.match(r"^(?:the\s+)?", statement, re.I)
    if (
        not _REQUIREMENT.search(statement)
        and subject is not None
        and match.start() != subject.end()
    ):
        return None
    named = book.find(match.group(0))
    if named is None or _inside_a_longer_name(statement, match) or _a_plain_word(match[0], named):
        return None
    if not _doer_or_party(statement, match):
        return None
    doers = [role for role, duty in done if similar_topics(duty, statement)]
    for other in _plausible_first(book, nearby):
        if book.linked(other.name, named.name) or other in book.mentioned_in(statement):
            continue
        if any(same_name(other.name, d) or book.linked(other.name, d) for d in doers):
            continue
        # "Section Supervisors shall …" made false with a role of one: "The Quality Manager …".
        article = "the " if match.start() == 0 and _takes_article(other.name) else ""
        swapped = statement[: match.start()] + article + other.name + statement[match.end() :]
        return upper_first(swapped)
    return None


# Where a role in a sentence is someone who acts or is acted for: its subject, "by the Buyer",
# "to the Quality Manager", "with the Shift Manager".
_PARTY_BEFORE = frozenset(["by", "to", "and", "or", "with", "from", "of"])


def _doer_or_party(statement: str, match: re.Match[str]) -> bool:
    """ "Accidents involving contractors shall be reported": made false as "involving Contract
    Owner", it read as nonsense to a blind reviewer. A role is swapped only where it acts."""
    before = re.sub(r"\b(?:the|a|an)\s*$", "", statement[: match.start()], flags=re.I).rstrip()
    if not before or before.endswith(","):
        return True
    return before.split()[-1].lower() in _PARTY_BEFORE


def _inside_a_longer_name(statement: str, match: re.Match[str]) -> bool:
    """ "Health & Safety Manager", "Health and Safety Committee Chair": swapping the known end
    of a name the roles don't list made roles that don't exist ("Health & Site Director"),
    false for the wrong reason (found in independent review)."""
    before = statement[: match.start()].split()
    previous = before[-1] if before else ""
    if previous in ("&", "and") or previous.endswith("&"):
        return True
    return previous[:1].isupper() and previous.lower() not in ("the", "a", "an", "each", "every")


def _a_plain_word(mention: str, role: Role) -> bool:
    """ "past Security" names a gate, though "Reception / Security" is a role: one word of a
    longer role's name may not mean the role (found in independent review). "Inspector", a
    role of one word, is that role."""
    one_word = len(mention.split()) == 1 and not is_acronym(mention)
    return one_word and normalise(mention) != normalise(role.name)


def _takes_article(role: str) -> bool:
    return not names_several(role) and not is_acronym(role.split()[-1])


def _time_swapped(statement: str) -> str | None:
    found = limits_in(statement)
    if len(found) != 1:
        return None
    limit = found[0]
    changed = _stricter(limit)
    if changed is None:
        return None
    start, end = limit.span
    original = statement[start:end]
    number = re.search(r"\d+", original)
    if number is None:
        return None
    replaced = original[: number.start()] + str(changed) + original[number.end() :]
    if changed == 1:
        replaced = re.sub(rf"({limit.unit})s\b", r"\1", replaced)
    return statement[:start] + replaced + statement[end:]


def _stricter(limit: Limit) -> int | None:
    factor = _STRICTER[limit.kind]
    changed = round(limit.count * factor)
    return changed if changed >= 1 and changed != limit.count else None
