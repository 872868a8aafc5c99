"""The quality bar a draft must clear to be proposed at all: a reviewer should be able to approve
it as it stands, so anything a reviewer would have to fix is dropped here instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations

from pydantic import ValidationError

from questions import limits
from questions.drafting.drafts import Answers, Draft, Fact
from questions.drafting.likeness import alike, same_duty, same_name, similar_topics
from questions.drafting.sentences import normalise
from questions.drafting.time_limits import same_duration
from questions.model import Kind, Question, Status

_DANGLING = re.compile(
    # "below" alone is a comparison ("a score below 70"); "see below" points elsewhere.
    r"\b(?:th(?:is|ese|ose)(?! (?:procedure|sop|policy)\b)|the above|above|(?:see|as|listed) below"
    r"|the following"
    r"|as follows|aforementioned|the latter|the former|such(?! as))\b",
    re.IGNORECASE,
)
# "it shall be checked whether ...": in a prompt, a pronoun as subject points outside it.
_PRONOUN_SUBJECT = re.compile(
    r"\b(?:it|they|them)\s+(?:shall|must|will|should|may|can|is|are)\b", re.IGNORECASE
)
_PRONOUN_START = re.compile(r"^(?:it|its|they|them|their|he|she|this|these|those|that)\b", re.I)
_DANGLING_WORD = re.compile(
    r"\b(?:to|of|the|a|an|in|for|with|by|from|and|or|as|shall|must|should|whether)\s*(?:[,.;:?]|$)"
    r"|\b(?:to|of|the|a|an|in|for|with|by)\s+(?:and|or)\b"
    r"|\s[,.;:]|\s{2,}"
)
_POINTING_PRONOUN = re.compile(r"\b(?:it|them)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\b(?:their|his|her)\b", re.IGNORECASE)
_MIN_PROMPT_WORDS = 4
_CHOICE_PROMPT_WORDS = 25
# Words every role name shares: saying "manager" gives no role away.
_TITLE_WORD = re.compile(
    r"(?:manager|officer|engineer|supervisor|director|leader|owner|representative|team"
    r"|administrator|coordinator|auditor|inspector|technician|operator|controller|committee"
    r"|board|analyst|specialist|assistant|planner|senior|management|staff|person)s?"
)
# Options much longer than this bury the question; Slack lists them in full under it.
_OPTION_WORDS = 40


@dataclass(frozen=True)
class Evidence:
    """What the document says, to tell a wrong option that is really right."""

    facts: tuple[Fact, ...]
    text: str  # the whole document, normalised

    def says(self, statement: str) -> bool:
        return normalise(statement) in self.text or normalise(statement) in self.plain

    @property
    def plain(self) -> str:
        """The document's words without its asides in brackets."""
        return self.without_asides or self.text

    without_asides: str = ""
    # How a question names each section, by number (see documents.references).
    section_names: Mapping[str, str] = field(default_factory=dict)


def problem(draft: Draft, evidence: Evidence) -> str | None:
    """Why a reviewer could not approve this draft as it stands, or None."""
    return (
        _prompt_problem(draft)
        or _source_problem(draft)
        or _options_problem(draft)
        or _answer_given_away(draft)
        or _truth_problem(draft, evidence)
        or _accidentally_right(draft, evidence)
    )


def checked(draft: Draft, question_id: str, evidence: Evidence) -> Question | None:
    """The draft as a bank question, or None when it fails a check or the bank's validation."""
    if problem(draft, evidence) is not None:
        return None
    try:
        return Question.model_validate(_fields(draft, question_id, evidence))
    except ValidationError:
        return None


def _fields(draft: Draft, question_id: str, evidence: Evidence) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": question_id,
        "kind": draft.kind,
        "prompt": draft.prompt,
        "explanation": draft.explanation,
        "section": evidence.section_names.get(draft.section.number, draft.section.number),
        "status": Status.DRAFT,
        "cites": draft.cites,
    }
    if draft.stage is not None:
        fields["stage"] = draft.stage
    if draft.kind is Kind.TRUE_FALSE:
        fields["answer"] = draft.truth
    elif draft.kind is Kind.OPEN:
        fields["key_points"] = list(draft.key_points)
        fields["pass_mark"] = draft.pass_mark
    else:
        options = _placed(draft)
        fields["options"] = {chr(ord("a") + i): text for i, text in enumerate(options)}
        fields["answer"] = chr(ord("a") + options.index(draft.right))
    return fields


def _placed(draft: Draft) -> list[str]:
    """The options with the right one at a place fixed by the prompt, so reruns agree."""
    count = len(draft.wrong) + 1
    place = int(hashlib.sha256(draft.prompt.encode()).hexdigest(), 16) % count
    options = list(draft.wrong)
    options.insert(place, draft.right)
    return options


def _prompt_problem(draft: Draft) -> str | None:
    prompt = draft.prompt
    ending = "." if draft.kind is Kind.TRUE_FALSE else "?"
    if not prompt[:1].isupper() and not prompt[:1].isdigit():
        return "the prompt does not start a sentence"
    if not prompt.endswith(ending) or len(prompt.split()) < _MIN_PROMPT_WORDS:
        return "the prompt is a fragment"
    # "… an Event, Precursor,?": a sentence cut where a line broke.
    if re.search(r"[,;:–-]\s*[?.]$", prompt):
        return "the prompt is a fragment"
    if len(prompt) > limits.PROMPT:
        return "the prompt is too long"
    if _DANGLING.search(prompt) or _PRONOUN_START.match(prompt) or _PRONOUN_SUBJECT.search(prompt):
        return "the prompt points at words it does not include"
    if _DANGLING_WORD.search(prompt[:-1]):
        return "the prompt has a gap in its words"
    # "Who makes sure their workers …?" points at the answer; "… enter it in the system?"
    # at a sentence the question doesn't quote. Both found in independent review.
    if draft.kind in (Kind.SINGLE, Kind.MULTIPLE) and _points_elsewhere(prompt):
        return "the prompt points at words it does not include"
    # A checklist copied in ("… and records: container condition, labelling, …") or a prompt
    # of more than two lines on a phone buries the question (found in independent review).
    if draft.kind in (Kind.SINGLE, Kind.MULTIPLE) and (
        ":" in prompt or len(prompt.split()) > _CHOICE_PROMPT_WORDS
    ):
        return "the prompt is too long to read at a glance"
    for opening, closing in ("()", "[]", "“”"):
        if prompt.count(opening) != prompt.count(closing):
            return "the prompt has an unclosed bracket or quote"
    if prompt.count('"') % 2:
        return "the prompt has an unclosed quote"
    return None


# "shall also complete the training", "must then be completed within 15 days": the sentence
# leans on the one before it, and a question made from it alone lost that context in
# independent review.
# "… a monthly inspection of all stores using the same form" (which form?) leans back too.
_LEANS_BACK = re.compile(
    r"\b(?:also|then|likewise|similarly|instead)\b"
    r"|\bthe same (?:form|record|sheet|log|register|report|checklist|template|document)\b"
    r"(?!\s+as\b)",
    re.IGNORECASE,
)
# "must go through 5.3", "the training listed in Step 2", "described in note 6.5.3": a part of
# the document by its number means nothing to staff.
_BARE_SECTION = re.compile(
    r"\b(?:through|under|in|per|to|with|of)\s+\d+(?:\.\d+)+(?!\s*(?:%|\w*\s*(?:mm|hours?|days?)))\b"
    r"|\b(?:in|under|per|see|of)\s+(?:the\s+)?(?i:step|note|section|clause|paragraph)\s+\d"
)
# Sentences about the document itself, not the work: "The current version is held on the QMS
# intranet", "Records shall be controlled in accordance with QP-05" (rejected as boilerplate).
_ABOUT_THE_DOCUMENT = re.compile(
    r"\b(?:current (?:version|issue|revision)|uncontrolled|printed cop(?:y|ies)"
    r"|compliance with this (?:procedure|document|sop))\b"
    r"|^records?\s+(?:shall|must|will|are)\s+(?:be\s+)?(?:controlled|kept|maintained|managed)"
    r"\s+in accordance with"
    # "… in the designated areas shown in Table 1", "Spills shall be dealt with under
    # EHS/EP/05": true to anyone, and the table or code means nothing without the document
    # (both rejected on a blind set).
    r"|\b(?-i:(?:Table|Figure|Appendix|Annex)\s+[A-Z0-9]{1,3})\b"
    r"|\b(?:under|per|in accordance with|as described in)\s+[A-Z][A-Z]*[-/ ][\w/.-]*\d[\w/.-]*\.?$",
    re.IGNORECASE,
)
# "… and the reason is written on the form": which form, a blind reviewer asked, where the
# sentence names no form by its code.
_UNNAMED_FORM = re.compile(r"\bthe (?:form|sheet|template)\b(?!\s+[A-Z0-9])")
_A_FORM_CODE = re.compile(r"\b[A-Z]{1,5}(?:[-/][A-Z]{1,4})*[-/]\d{1,4}")
# "For critical suppliers the Operations Director shall countersign.": countersign what?
_NO_OBJECT = re.compile(r"\b(?:shall|must|will|should)\s+(?!be\b)\w+\.?$", re.IGNORECASE)
# "Who decides whether to initiate a recall, and shall record …?": a second duty copied in.
_SECOND_DUTY = re.compile(r"\b(?:and|or)\s+(?:shall|must|should|will)\b", re.IGNORECASE)


def _source_problem(draft: Draft) -> str | None:
    """Why the sentence a choice or true/false draft comes from can't be asked on its own."""
    if draft.kind is Kind.OPEN:
        return None
    cites = draft.cites.strip()
    # "The Permit Holder shall stop the work … if:" — the conditions are in the list after it.
    if re.search(r"\b(?:if|when|where|unless|whenever|following)\s*:$", cites, re.IGNORECASE):
        return "the sentence's conditions are in a list the question leaves out"
    if draft.answers is not Answers.STEP and _LEANS_BACK.search(cites):
        return "the sentence leans on the one before it"
    if _BARE_SECTION.search(draft.prompt):
        return "the prompt names a section by its number alone"
    if _UNNAMED_FORM.search(cites) and not _A_FORM_CODE.search(cites):
        return "the sentence names its form only as 'the form'"
    if _ABOUT_THE_DOCUMENT.search(cites):
        return "the sentence is about the document, not the work"
    if _NO_OBJECT.search(cites.rstrip()):
        return "the sentence says what is done but not to what"
    if draft.kind is not Kind.TRUE_FALSE and _SECOND_DUTY.search(draft.prompt):
        return "the prompt carries a second duty"
    return None


def _points_elsewhere(prompt: str) -> bool:
    """ "it"/"them" anywhere, or "their" with no plural before it for it to mean: "Who presents
    the findings and their grading?" is fine, "Who makes sure their workers …?" is not."""
    if _POINTING_PRONOUN.search(prompt):
        return True
    possessive = _POSSESSIVE.search(prompt)
    if possessive is None:
        return False
    words = prompt[: possessive.start()].split()[2:]
    return not any(re.fullmatch(r"[a-z]{3,}[^s]s", w) for w in words)


def _options_problem(draft: Draft) -> str | None:
    if draft.kind not in (Kind.SINGLE, Kind.MULTIPLE):
        return None
    options = [draft.right, *draft.wrong]
    if len(options) < 3:
        return "fewer than two wrong options"
    for option in options:
        if len(option) > limits.OPTION or len(option.split()) > _OPTION_WORDS:
            return "an option is too long"
        if _DANGLING.search(option) or _DANGLING_WORD.search(option.rstrip(".")):
            return "an option points at words it does not include"
    for a, b in combinations(options, 2):
        if draft.answers is Answers.NUMBER:
            # "5 years" and "15 years" look alike but are not; only the times are compared.
            if same_duration(a, b) or a.casefold() == b.casefold():
                return "two options are the same time"
        elif alike(a, b) or (draft.answers is not Answers.STEP and same_name(a, b)):
            return "two options say the same"
    return None


def _answer_given_away(draft: Draft) -> str | None:
    """A "Who…?" whose prompt says a word of the right role's name and of no wrong one's:
    "Who raises purchase orders…?" answered by the Purchasing Officer. Found in independent
    review, where staff would pick the role by its words, not by knowing the procedure."""
    if draft.answers is not Answers.ROLE:
        return None
    asked = {_stem(w) for w in re.findall(r"[a-z]+", draft.prompt.casefold())}
    wrong = {_stem(w) for option in draft.wrong for w in re.findall(r"[a-z]+", option.casefold())}
    for word in re.findall(r"[a-z]+", draft.right.casefold()):
        distinctive = len(word) >= 5 and not _TITLE_WORD.fullmatch(word)
        if distinctive and _stem(word) in asked and _stem(word) not in wrong:
            return f"the prompt gives the answer away: {word!r}"
    return None


# "Who picks …?" answered by the Pickers: the doer's name is the verb with "-er" on it.
_DOER_OR_VERB_ENDING = re.compile(r"(?:ers|ors|er|or|ing|es|ed|s|e)$")


def _stem(word: str) -> str:
    return _DOER_OR_VERB_ENDING.sub("", word)[:5]


def _truth_problem(draft: Draft, evidence: Evidence) -> str | None:
    if draft.kind is not Kind.TRUE_FALSE:
        return None
    if draft.truth and not evidence.says(draft.prompt):
        return "a true statement not as the procedure writes it"
    if not draft.truth and evidence.says(draft.prompt):
        return "a false statement the procedure makes"
    return None


def _accidentally_right(draft: Draft, evidence: Evidence) -> str | None:
    if draft.answers is None or draft.answers is Answers.STEP:
        return None
    # A wrong role that does the same thing to the same object elsewhere in the document ("the
    # QC Inspector checks labels at point of use") is partly right, a blind reviewer found.
    alike_topic = _partly_same_duty if draft.answers is Answers.ROLE else similar_topics
    for fact in evidence.facts:
        if fact.answers is not draft.answers or not alike_topic(fact.topic, draft.topic):
            continue
        for option in draft.wrong:
            if _same_answer(draft.answers, option, fact.answer):
                return f"a wrong option is also right: {option!r}"
    return None


def _partly_same_duty(a: str, b: str) -> bool:
    """One verb done to things of two words in common: "checks the calibration label before
    use" and "checks labels and calibration status at point of use"."""
    return same_duty(a, b, things_shared=2)


def _same_answer(answers: Answers, a: str, b: str) -> bool:
    if answers is Answers.NUMBER:
        return same_duration(a, b)
    return same_name(a, b)
