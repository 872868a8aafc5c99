"""When two options say the same thing, and when two sentences are about the same thing."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from questions.drafting.sentences import normalise
from questions.drafting.verbs import is_duty_verb_form

# Options this alike read as one answer to a person choosing between them.
SAME_OPTION = 90
# Topics this alike are one duty or one record written twice ("approving concessions" and
# "approves all concessions"), so an answer for one is an answer for the other.
SAME_TOPIC = 75
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "to",
        "and",
        "or",
        "in",
        "on",
        "by",
        "with",
        "its",
        "their",
        "any",
        "all",
        "is",
        "are",
        "be",
    ]
)


def alike(a: str, b: str) -> bool:
    """Two options a person would take for one answer; "Form QF-12" and "Form QF-15", whose
    numbers differ, are two."""
    na, nb = normalise(a), normalise(b)
    numbers_a, numbers_b = re.findall(r"\d+", na), re.findall(r"\d+", nb)
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return False
    return na == nb or fuzz.ratio(na, nb) >= SAME_OPTION


def content_words(text: str) -> frozenset[str]:
    # "co-ordinates" and "coordinates" are one verb.
    joined = re.sub(r"\bco-(?=[a-z])", "co", text, flags=re.IGNORECASE)
    return frozenset(w for w in normalise(joined).split() if w not in _STOP)


def same_name(a: str, b: str) -> bool:
    """Alike, or every word of one is in the other: "Quality Manager" and "the Quality Manager
    (QM)" name one role.
    """
    wa, wb = content_words(a), content_words(b)
    return (
        alike(a, b)
        or bool(wa and wb and (wa <= wb or wb <= wa))
        or abbreviates(a, b)
        or abbreviates(b, a)
    )


def abbreviates(short: str, long: str) -> bool:
    """ "ACL" and "Approved Contractor List": offered side by side in independent review, one
    record under two names."""
    letters = short.strip()
    if not re.fullmatch(r"[A-Z]{2,6}", letters):
        return False
    words = [w for w in re.findall(r"[A-Za-z]+", long) if w.lower() not in _STOP]
    return _initials(words) == letters or _initials(_with_and(long)) == letters


def _initials(words: list[str]) -> str:
    return "".join(w[0].upper() for w in words)


def _with_and(text: str) -> list[str]:
    """The words with "and" kept: "CAPA" is Corrective And Preventive Action."""
    words = re.findall(r"[A-Za-z]+", text)
    return [w for w in words if w.lower() == "and" or w.lower() not in _STOP]


def _spelt_out(a: str, b: str) -> bool:
    """An acronym of one written out in the other: "CAPA activities" and "defining corrective
    and preventive action"."""
    for acronym in re.findall(r"\b[A-Z]{3,6}\b", a):
        for words in (_with_and(b), [w for w in _with_and(b) if w.lower() != "and"]):
            spans = (words[i : i + len(acronym)] for i in range(len(words) - len(acronym) + 1))
            if any(_initials(span) == acronym for span in spans):
                return True
    return False


def similar_topics(a: str, b: str) -> bool:
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    if fuzz.token_sort_ratio(na, nb) >= SAME_TOPIC:
        return True
    wa, wb = content_words(a), content_words(b)
    shorter = min(len(wa), len(wb))
    return shorter >= 3 and len(wa & wb) / shorter >= 0.8


def same_duty(a: str, b: str, *, things_shared: int = 1) -> bool:
    """Two duties alike, or the same verb done to the same thing: "approves the annual audit
    programme" and "approves the programme by signing QF-21-01". `things_shared` is how many
    words besides the verb the two must have in common."""
    if similar_topics(a, b):
        return True
    verbs_a, verbs_b = _duty_verbs(a), _duty_verbs(b)
    shared = len((content_words(a) - verbs_a) & (content_words(b) - verbs_b))
    shared += _spelt_out(a, b) or _spelt_out(b, a)
    return bool(verbs_a & verbs_b) and shared >= things_shared


def _duty_verbs(text: str) -> frozenset[str]:
    return frozenset(w for w in content_words(text) if is_duty_verb_form(w))
