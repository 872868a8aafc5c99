"""Time limits and frequencies ("within 5 working days", "at least annually", "every 12 months"):
drafts asking for the limit, with other times of the document as wrong options.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from questions.documents.model import ProcedureDocument
from questions.drafting.drafts import Answers, Draft, Fact, see
from questions.drafting.sentences import lower_first, sentences, upper_first, without_parentheses
from questions.model import Kind

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "twenty-four": 24,
    "thirty": 30, "a": 1, "an": 1,
}  # fmt: skip
_DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
# A working week is five days, so "5 working days" and "1 week" are one limit.
_WORKING_DAY = 7 / 5
_NUMBER = r"(?P<n>\d+|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<working>working |business |calendar )?(?P<unit>hour|day|week|month|year)s?"
_LIMIT = re.compile(
    rf"\b(?P<qual>within|no later than|at most|no more than|up to|at least|a minimum of"
    rf"|at minimum|every|for at least|for)\s+(?:(?:once|one time)\s+(?:per|a|every)\s+)?"
    rf"{_NUMBER}?\s*{_UNIT}\b",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\b(?P<qual>(?:at least |at minimum )?(?:once (?:per|a|every)|annually|monthly|weekly|daily"
    r"|yearly|quarterly|each(?=\s+(?:hour|day|week|month|year)\b)))"
    r"(?:\s+(?P<unit>hour|day|week|month|year))?\b",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(
    r"\s+(?!(?:and|or|by|at|on|in|to|for|until|during|with|from|thereafter|basis|as|or|if"
    r"|when|unless|before|after|using|via|through|under)\b)[A-Za-z]",
    re.IGNORECASE,
)
_INVERT = re.compile(
    r"^(?P<subj>[A-Z][^,;:]{2,120}?)\s+(?P<aux>shall|must|should|will|is|are)\s+(?P<rest>.+)$"
)
# What a limit counts from, written right after it: "within 5 days of the move date".
_ANCHOR = re.compile(
    r"^(?P<anchor>(?:of|after|before|from|following|prior to)\s+[^,;]+?)"
    r"(?=\s*(?:,|;|$)|\s+(?:and|or|but|unless|where|when|if)\s)",
    re.IGNORECASE,
)
_DANGLING = re.compile(
    r"\s+(?:at least|at minimum|no less than|not less than)$"
    # "inform the DPO without delay, and in any case within 4 hours": the limit is the question.
    r"|(?:\s+(?:without (?:undue )?delay|immediately|promptly))?,?\s+(?:and\s+)?"
    r"in any (?:case|event)$",
    re.IGNORECASE,
)
_DEADLINES = ("within", "no later than", "at most", "no more than", "up to")
_DEADLINE = re.compile("|".join(_DEADLINES), re.IGNORECASE)
# A second requirement after the limit ("… and immediately when …"), left out of the question.
_ANOTHER_REQUIREMENT = re.compile(r"^(?:,\s*)?(?:and|or|but)\b|^,\s*\w+ing\b", re.IGNORECASE)
_LAST_CLAUSE = re.compile(
    r";\s*|,?\s+and\s+(?=(?:[\w-]+\s){1,5}(?:shall|must|is|are|will)\b)", re.IGNORECASE
)
# The limit belongs to a clause of its own: "…, after the equipment has stabilised for 2 hours",
# "…the questionnaire, which is to be returned within 10 days".
_SUBORDINATE = re.compile(
    r",\s*(?:after|before|when|once|until|where|if|unless|which|who|that)\b|\bwhich\b"
    r"|,\s*(?:and|or)\s+(?:every|each|all|any|the)\b",  # a second subject the limit may be of
    re.IGNORECASE,
)
_MAIN_VERB = re.compile(r"\b(?:is|are|shall|must|will|should|was|were)\b", re.IGNORECASE)
_ADVERBS = {"annually": 365.25, "yearly": 365.25, "quarterly": 91.3, "monthly": 30.44,
            "weekly": 7.0, "daily": 1.0}  # fmt: skip
_LADDER = {"hour": [4, 8, 24, 48, 72], "day": [1, 2, 3, 5, 7, 10, 14, 30],
           "week": [1, 2, 4, 6], "month": [1, 3, 6, 12, 18, 24],
           "year": [1, 2, 3, 5, 10, 15, 20]}  # fmt: skip


@dataclass(frozen=True)
class Limit:
    """A time the document sets: `period` for how often, `deadline` for within, or a duration."""

    kind: str  # "within", "period" or "duration"
    count: int
    unit: str
    working: str
    span: tuple[int, int]

    @property
    def days(self) -> float:
        per = _WORKING_DAY if self.working.strip() in ("working", "business") else 1.0
        return self.count * _DAYS[self.unit] * (per if self.unit == "day" else 1.0)

    def phrase(self, count: int | None = None) -> str:
        count = self.count if count is None else count
        unit = f"{self.working}{self.unit}{'' if count == 1 else 's'}"
        if self.kind == "period":
            return f"Every {unit}" if count == 1 else f"Every {count} {unit}"
        return f"{count} {unit}"


def _in_units(days: float) -> tuple[int, str]:
    """A frequency's period in the largest unit it is a whole number of: "quarterly" is every
    3 months, "annually" every year."""
    for unit, length in sorted(_DAYS.items(), key=lambda item: -item[1]):
        count = round(days / length)
        if count >= 1 and abs(days / length - count) < 0.05:
            return count, unit
    return 1, "day"


def limits_in(text: str) -> list[Limit]:
    found: list[Limit] = []
    for match in _LIMIT.finditer(text):
        qualifier = match.group("qual").lower()
        count = match.group("n")
        number = _WORDS.get(count.lower(), 0) if count and not count.isdigit() else int(count or 1)
        if "once" in match.group(0).lower() or qualifier == "every":
            kind = "period"
        elif qualifier in _DEADLINES:
            kind = "within"
        else:
            kind = "duration"
        working = (match.group("working") or "").lower().replace("calendar ", "")
        found.append(Limit(kind, number, match.group("unit").lower(), working, match.span()))
    taken = [limit.span for limit in found]
    for match in _FREQUENCY.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        # "the monthly complaints report" names a report, not how often something is done.
        if not match.group("unit") and _NOUN_AFTER.match(text, match.end()):
            continue
        word = match.group("qual").lower().split()[-1]
        unit = (match.group("unit") or "").lower()
        days = _ADVERBS.get(word) or _DAYS.get(unit)
        if days is None:
            continue
        count, name = _in_units(days)
        found.append(Limit("period", count, name, "", match.span()))
    return sorted(found, key=lambda limit: limit.span)


def days_of(text: str) -> float | None:
    found = limits_in(text) or limits_in(f"for {text}") or limits_in(f"every {text}")
    return found[0].days if found else None


def same_duration(a: str, b: str) -> bool:
    """Two times that come to the same: "1 year", "12 months", "Every year", "annually"."""
    days_a, days_b = days_of(a), days_of(b)
    return days_a is not None and days_b is not None and abs(days_a - days_b) <= 0.02 * days_a


def facts(document: ProcedureDocument) -> list[Fact]:
    found = []
    for sentence in sentences(document):
        for limit in limits_in(sentence.text):
            topic = sentence.text[: limit.span[0]] + sentence.text[limit.span[1] :]
            found.append(Fact(Answers.NUMBER, topic, limit.phrase()))
    return found


_FRONTED = re.compile(
    r"^((?:for|in|on|at|during|after|before|where|when|if|once|unless|following)\b[^,]{2,80}),"
    r"\s*(.+)$",
    re.IGNORECASE,
)
# "For out-of-warranty items a repair quotation shall be issued …", fronted without a comma:
# the phrase ends where the subject's article begins.
_FRONTED_BARE = re.compile(
    r"^((?:for|in|on|at|during|after|before|following)\b[^,]{2,60}?)"
    r"\s+((?:a|an|the|each|every|all|any)\s(?:(?!\b(?:a|an|the)\b)[^,])+?"
    r"\s(?:shall|must|should|will|is|are)\s.+)$",
    re.IGNORECASE,
)
# "removed and destroyed within 2 days" share one limit; "validated before use and revalidated
# every 12 months", "labelled …, and be used within 24 hours" do not.
_SECOND_VERB = re.compile(r"\b(?:and|or)\s+(?:then|be(?:\s+\w+)?|re-?(?P<redone>\w+ed))$", re.I)
_COMPLEMENTISER = re.compile(r"^(?:and\s+)?that\s+", re.IGNORECASE)
# "The target is closure within 15 days": a name after "is", nothing done to ask about.
_AIM = re.compile(
    r"^(?:the\s+|our\s+)?(?:\w+\s+)?(?:target|aim|goal|objective|expectation|norm)s?$", re.I
)
_TOLD = re.compile(
    r"(?:be\s+)?(?:informed|notified|told|contacted|consulted|called|alerted|advised)",
    re.IGNORECASE,
)
_SAYS_HOW_OFTEN = re.compile(
    r"\b(?:annual|yearly|monthly|weekly|daily|quarterly|biannual|hourly)\b", re.IGNORECASE
)
_WHICHEVER = re.compile(r"\bwhichever\b", re.IGNORECASE)


def time_drafts(document: ProcedureDocument) -> Iterator[Draft]:
    every = [(s, limit) for s in sentences(document) for limit in limits_in(s.text)]
    original = document.original_id or document.id
    for sentence, limit in every:
        # "… for 10 years, or for the life of the product plus 1 year, whichever is longer":
        # the limit alone is not the answer.
        if len(limits_in(sentence.text)) != 1 or _WHICHEVER.search(sentence.text):
            continue
        prompt = _prompt(sentence.text, limit)
        if prompt is None:
            continue
        # A time in the same paragraph is often right for a neighbouring case ("within 5 days;
        # DOA items within 2 days"): offered as wrong, it was right in independent review.
        others = [o for s, o in every if o is not limit and s.block is not sentence.block]
        beside = {o.count for s, o in every if s.block is sentence.block and o.unit == limit.unit}
        wrong = _wrong_times(limit, others, beside)
        if len(wrong) < 2:
            continue
        topic = sentence.text[: limit.span[0]] + sentence.text[limit.span[1] :]
        yield Draft(
            kind=Kind.SINGLE,
            prompt=prompt,
            section=sentence.section,
            cites=sentence.text,
            explanation=f"{upper_first(limit.phrase())}. “{sentence.text}” "
            f"{see(original, sentence.section)}",
            answers=Answers.NUMBER,
            topic=topic,
            right=upper_first(limit.phrase()),
            wrong=tuple(upper_first(w) for w in wrong),
        )


def _wrong_times(limit: Limit, others: list[Limit], beside: set[int]) -> list[str]:
    """Other times of the document in the same unit, then common values of that unit; never
    a count in `beside`."""
    counts: list[int] = []
    for other in others:
        if other.unit == limit.unit and other.kind == limit.kind and other.count != limit.count:
            counts.append(other.count)
    ladder = sorted(_LADDER[limit.unit], key=lambda c: (abs(c - limit.count), c))
    chosen: list[str] = []
    # The document's own times first, then the ladder's, until there are three: a question
    # with fewer options than the rest stood out in independent review.
    for count in dict.fromkeys([*counts, *ladder]):
        phrase = limit.phrase(count)
        fresh = count != limit.count and count not in beside
        if fresh and not same_duration(phrase, limit.phrase()) and len(chosen) < 3:
            chosen.append(phrase)
    return chosen


def _prompt(text: str, limit: Limit) -> str | None:
    """ "X shall be stored for at least 10 years after Y." → "For at least how many years after
    Y shall X be stored?"; None where the sentence won't turn into a question cleanly.

    What the limit counts from ("of the move date", "before the start date") moves with it, so
    it is not left behind reading "removed of the move date" (found in independent review).
    """
    start, end = limit.span
    before = _DANGLING.sub("", text[:start].rstrip())
    # "(2 working days for emergency work)" would print another option inside the question.
    after = without_parentheses(text[end:]).strip().rstrip(".")
    anchor = ""
    if found := _ANCHOR.match(after):
        anchor, after = found["anchor"], after[found.end() :].strip()
    if _ANOTHER_REQUIREMENT.match(after):
        after = ""
    if (
        before.endswith(",")
        or not before
        or not re.match(r"^[\w\s,.'’-]*$", after)
        or _MAIN_VERB.search(after)  # the limit is in the subject: "Reviews not done within …"
    ):
        return None
    # "A shall be X, and every use shall be reported within …": the limit's own clause.
    clause = _own_clause(without_parentheses(before))
    cut = clause != without_parentheses(before)
    # "For each job, the Contract Owner shall obtain …" asks "… must the Contract Owner
    # obtain … for each job?", not "must for each job the Contract Owner obtain".
    # "…, and that ECPs are reviewed every 3 years": the clause without its "that".
    clause = _COMPLEMENTISER.sub("", clause)
    if fronted := _FRONTED.match(clause) or _FRONTED_BARE.match(clause):
        # "For Class 1 complaints": the preposition starts no sentence once moved, whatever
        # the name after it ("started For Class 1" was found in independent review).
        moved = fronted[1][:1].lower() + fronted[1][1:]
        clause, after = fronted[2], f"{after} {moved}".strip()
    inverted = _INVERT.match(upper_first(clause))
    if inverted is None:
        return None
    subject, aux, verb_phrase = inverted.group("subj", "aux", "rest")
    if _AIM.match(subject):
        return None
    # "Q1 is not a waste area – rejected product goes in the RJ bay and shall be removed …",
    # "all issues are closed the Sales Administrator shall send …": two clauses run together
    # with no comma, and the question read garbled (found on a blind test set).
    if _MAIN_VERB.search(subject) or _MAIN_VERB.search(verb_phrase):
        return None
    if re.search(r"\bnot\b", verb_phrase, re.IGNORECASE) or _SUBORDINATE.search(verb_phrase):
        return None
    # "… validated before use and revalidated [at least every 12 months]": the limit belongs
    # to a second verb, and the question would end on it with nothing asked.
    if (second := _SECOND_VERB.search(verb_phrase.strip())) and (
        not second["redone"] or second["redone"].lower() in verb_phrase.lower()[: second.start()]
    ):
        return None
    # "Within how many hours is the Technical Manager informed?" doesn't say of what: the
    # sentence's other clause, cut off, held it.
    if cut and _TOLD.fullmatch(verb_phrase.strip()) and not after and not anchor:
        return None
    # "How often must … issue the annual plan?": the prompt says the answer.
    if limit.kind == "period" and _SAYS_HOW_OFTEN.search(f"{subject} {verb_phrase} {after}"):
        return None
    aux = "must" if aux == "shall" else aux  # a question asks what must be done
    tail = f" {after}" if after else ""
    # "at least every 12 months": the span starts at "every", the minimum before it.
    minimum = re.search(r"\bat (?:least|minimum)\s+$", text[:start], re.IGNORECASE)
    ask = _ask(text[minimum.start() if minimum else start : end], limit, anchor)
    prompt = f"{ask} {aux} {lower_first(subject)} {verb_phrase}{tail}?"
    return " ".join(prompt.split())


def _own_clause(before: str) -> str:
    """The last clause with a verb of its own; "The NCR and the scrap note shall …" is one."""
    clauses = _LAST_CLAUSE.split(before)
    for index in range(len(clauses) - 1, 0, -1):
        if _MAIN_VERB.search(" ".join(clauses[:index])):
            return " ".join(clauses[index:])
    return before


def _ask(written: str, limit: Limit, anchor: str) -> str:
    unit = f"{limit.working}{limit.unit}s"
    if limit.kind == "period":
        # "at least once every 3 years": a shorter interval meets the rule too, so it is asked
        # as a minimum (found on a held-out procedure).
        at_least = re.search(r"\bat (?:least|minimum)\b", written, re.IGNORECASE)
        return "At least how often" if at_least else "How often"
    if limit.kind == "within":
        qualifier = _DEADLINE.match(written)
        ask = f"{upper_first(qualifier[0].lower()) if qualifier else 'Within'} how many {unit}"
    else:
        least = "at least " if re.search(r"least|minimum", written, re.IGNORECASE) else ""
        counted = anchor.split(" ")[0].lower() in ("before", "prior", "after")
        ask = upper_first(f"{least}how many {unit}" if counted else f"for {least}how many {unit}")
    return f"{ask} {anchor}" if anchor else ask
