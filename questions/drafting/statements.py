"""Shall and must statements as true/false drafts: the statement as written, or altered so it is
plainly false (another role of the document, or a stricter time), trues and falses in turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from questions.documents.model import ProcedureDocument
from questions.drafting.drafts import Draft, quoted, see
from questions.drafting.likeness import same_name, similar_topics
from questions.drafting.responsibilities import duties
from questions.drafting.roles import RoleBook
from questions.drafting.sentences import (
    Sentence,
    clean,
    sentences,
    upper_first,
    without_parentheses,
)
from questions.drafting.time_limits import Limit, limits_in
from questions.model import Kind

_REQUIREMENT = re.compile(r"\b(?:shall|must)\b", re.IGNORECASE)
_MIN_WORDS, _MAX_WORDS = 7, 50
# A stricter time is false on every reading: keeping records 20 years is not required where
# 10 are, while "at least 5 years" would still be true of a 10-year rule.
_STRICTER = {"within": 0.5, "period": 0.5, "duration": 2.0}


def statement_drafts(document: ProcedureDocument, book: RoleBook) -> Iterator[Draft]:
    original = document.original_id or document.id
    done = duties(document, book)
    trues = falses = 0
    for sentence in sentences(document):
        statement = _statement(sentence)
        if statement is None:
            continue
        altered = _altered(statement, book, [(d.role, d.duty) for d in done])
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


def _statement(sentence: Sentence) -> str | None:
    # An aside in brackets ("see Appendix") is no part of what is true or false.
    text = without_parentheses(clean(sentence.text))
    if sentence.lead_in or not _REQUIREMENT.search(text) or text.endswith((":", "?")):
        return None
    if not _MIN_WORDS <= len(text.split()) <= _MAX_WORDS:
        return None
    text = upper_first(text)
    return text if text.endswith(".") else f"{text}."


def _altered(statement: str, book: RoleBook, done: list[tuple[str, str]]) -> str | None:
    return _role_swapped(statement, book, done) or _time_swapped(statement)


def _role_swapped(statement: str, book: RoleBook, done: list[tuple[str, str]]) -> str | None:
    match = book.pattern.search(statement)
    if match is None:
        return None
    named = book.find(match.group(0))
    if named is None:
        return None
    doers = [role for role, duty in done if similar_topics(duty, statement)]
    for other in book.roles:
        if book.linked(other.name, named.name) or other in book.mentioned_in(statement):
            continue
        if any(same_name(other.name, d) or book.linked(other.name, d) for d in doers):
            continue
        swapped = statement[: match.start()] + other.name + statement[match.end() :]
        return upper_first(swapped)
    return None


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
