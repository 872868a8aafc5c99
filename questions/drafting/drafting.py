"""Drafting quiz questions from a procedure document: every rule's drafts, checked, numbered."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from questions.documents.model import ProcedureDocument
from questions.drafting import records, responsibilities, statements, steps, time_limits
from questions.drafting.checks import checked
from questions.drafting.drafts import Draft
from questions.drafting.evidence import evidence_of
from questions.drafting.interview import interview_drafts
from questions.drafting.likeness import same_duty
from questions.drafting.records import FORM_CODE
from questions.drafting.roles import RoleBook
from questions.drafting.sentences import normalise, without_parentheses
from questions.model import Kind, Question

# A choice question's right option may be right this many times in one procedure's drafts.
_SAME_ANSWER = 3
# A right answer that is a number or a frequency: "5 working days", "every month".
_TIME_ANSWER = re.compile(r"\d|\bevery\b", re.IGNORECASE)

# Within a section, the order a reviewer reads them in: who, where, steps, limits, statements,
# then the interview question that sums the section up.
_RULE_ORDER = (
    "responsibilities",
    "records",
    "steps",
    "time_limits",
    "statements",
    "interview",
)


def draft_questions(
    document: ProcedureDocument,
    *,
    taken_ids: Collection[str] = (),
    rejected_prompts: Collection[str] = (),
    existing_prompts: Collection[str] = (),
) -> list[Question]:
    """Draft questions from a procedure, each citing the sentence it came from, for review.

    Drafts whose prompt (normalised) was rejected before or is already in the bank are left
    out; ids take the next numbers of `f"{document.id}-NNN"` that are not in `taken_ids`.
    The same document always gives the same drafts in the same order.
    """
    book = RoleBook(document)
    evidence = evidence_of(document, book)
    skip = {normalise(p) for p in (*rejected_prompts, *existing_prompts)}
    taken = set(taken_ids)
    numbers = _free_numbers(document.id, taken)
    drafted: list[Question] = []
    seen: set[str] = set()
    for draft in _ordered(document, book):
        key = normalise(draft.prompt)
        if key in seen:
            continue
        question = checked(draft, f"{document.id}-{next(numbers):03d}", evidence)
        if question is None:
            continue
        seen.add(key)
        drafted.append(question)
    # Spread over every draft before leaving out what the bank has, so drafting again picks
    # the same ones and proposes nothing new.
    kept = [q for q in _spread(drafted) if normalise(q.prompt) not in skip]
    return _renumbered(kept, document.id, taken)


def _spread(drafted: list[Question]) -> list[Question]:
    """No fact asked twice by choice questions, and no answer right too often.

    A sentence gives at most one choice question. Found in independent review: several drafts
    on one retention sentence, and six "Who…?" questions all answered by one role, so staff
    could learn to guess it.
    """
    asked: set[str] = set()
    answered: dict[str, int] = {}
    prompts: dict[str, list[str]] = {}
    # "Who must report it within 24 hours?" and "Within how many hours must the Contract Owner
    # report it?" give each other's answer away; reviewers kept the one asking the number.
    timed = {
        normalise(q.cites or "")
        for q in drafted
        if (right := _right_answer(q)) is not None and _TIME_ANSWER.search(right)
    }
    kept = []
    for question in drafted:
        right = _right_answer(question)
        if right is not None:
            fact = normalise(question.cites or "")
            if fact in asked or answered.get(right, 0) >= _SAME_ANSWER:
                continue
            if fact in timed and not _TIME_ANSWER.search(right):
                continue
            # The same duty from the roles table and again from the step that does it.
            if any(_same_duty(question.prompt, p) for p in prompts.get(right, [])):
                continue
            asked.add(fact)
            answered[right] = answered.get(right, 0) + 1
            prompts.setdefault(right, []).append(question.prompt)
        kept.append(question)
    return _without_restated_duties(kept)


def _without_restated_duties(kept: list[Question]) -> list[Question]:
    """No true/false on a duty a "Who…?" already asks, from another sentence: "Who confirms
    the delivery date where lead time is under standard?" and "Where the required date is
    shorter than our standard lead time the Production Manager shall confirm the date" were
    rejected as one fact asked twice on a blind set."""
    asked = [
        (right, q.prompt)
        for q in kept
        if q.prompt.startswith("Who ") and (right := _right_answer(q)) is not None
    ]
    return [
        q
        for q in kept
        if q.kind is not Kind.TRUE_FALSE
        or not any(_restates(q.cites or "", right, prompt) for right, prompt in asked)
    ]


def _restates(sentence: str, role: str, who_prompt: str) -> bool:
    named = f" {role} " in f" {normalise(sentence)} "
    return named and same_duty(sentence, who_prompt, things_shared=2)


def _same_duty(a: str, b: str) -> bool:
    """Two prompts with one answer asking about one duty ("Who approves the annual audit
    programme?", "Who approves the programme by signing QF-21-01?")."""
    # "Who issues F-PUR-012 …?" and "Who sends F-PUR-012 Supplier Questionnaire …?": one form,
    # one role, one duty in other words (a duplicate in independent review).
    if set(FORM_CODE.findall(a)) & set(FORM_CODE.findall(b)):
        return True
    return same_duty(a, b)


def _right_answer(question: Question) -> str | None:
    if question.kind is not Kind.SINGLE or not isinstance(question.answer, str):
        return None
    # "Site Technical Manager (owner)" in the roles table is the Site Technical Manager.
    return normalise(without_parentheses(question.options[question.answer]))


def _ordered(document: ProcedureDocument, book: RoleBook) -> list[Draft]:
    by_rule: dict[str, list[Draft]] = {
        "responsibilities": list(responsibilities.role_drafts(document, book)),
        "records": list(records.record_drafts(document, book)),
        "steps": list(steps.step_drafts(document)),
        "time_limits": list(time_limits.time_drafts(document)),
    }
    # A sentence a choice question asks about gets no true/false as well. Found in independent
    # review: "Who raises …?" then "The X shall raise …" as a true/false asks one fact twice
    # and gives its answer away; reviewers rejected such pairs as duplicates.
    by_rule["responsibilities"] = _without_lower_limits(by_rule["responsibilities"])
    chosen = {normalise(d.cites) for drafts in by_rule.values() for d in drafts}
    by_rule["statements"] = list(statements.statement_drafts(document, book, asked=chosen))
    by_rule["interview"] = list(interview_drafts(document, book))
    place = {id(section): index for index, section in enumerate(document.sections)}
    keyed = [
        (place[id(draft.section)], _RULE_ORDER.index(rule), index, draft)
        for rule, drafts in by_rule.items()
        for index, draft in enumerate(drafts)
    ]
    return [draft for *_, draft in sorted(keyed, key=lambda k: k[:3])]


# "approves quotes over £10,000" beside "approves quotes over £50,000": an authority ladder.
_OVER = re.compile(
    r"\b(?:over|above|exceeding|more than|greater than|in excess of)\s+[£$€]?\s?"
    r"(?P<amount>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>[kKmM]\b)?"
)


def _over(prompt: str) -> float | None:
    found = _OVER.search(prompt)
    if found is None:
        return None
    scale = {"k": 1e3, "m": 1e6}.get((found["scale"] or "").lower(), 1.0)
    return float(found["amount"].replace(",", "")) * scale


def _without_lower_limits(drafts: list[Draft]) -> list[Draft]:
    """No "Who approves quotes over £10,000?" where another role approves them over £50,000:
    the answer is right only up to the higher limit, and a blind reviewer marked it wrong."""
    kept = []
    for draft in drafts:
        limit = _over(draft.prompt)
        higher = limit is not None and any(
            other.right != draft.right
            and (other_limit := _over(other.prompt)) is not None
            and other_limit > limit
            and same_duty(draft.prompt, other.prompt)
            for other in drafts
        )
        if not higher:
            kept.append(draft)
    return kept


def _free_numbers(document_id: str, taken: set[str]) -> Iterator[int]:
    number = 1
    while True:
        if f"{document_id}-{number:03d}" not in taken:
            yield number
        number += 1


def _renumbered(drafted: list[Question], document_id: str, taken: set[str]) -> list[Question]:
    """Ids in order without gaps left by drafts the checks dropped."""
    numbers = _free_numbers(document_id, taken)
    return [q.model_copy(update={"id": f"{document_id}-{next(numbers):03d}"}) for q in drafted]
