"""Duties written as narrative rather than as "X shall Y": the passive voice ("Concessions are
approved by the QMO") read back as "Who approves concessions?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from questions.drafting.roles import RoleBook
from questions.drafting.sentences import clean, lower_first
from questions.drafting.verbs import is_duty_verb, third_person

_PASSIVE = re.compile(
    r"^(?P<thing>[A-Z][^,;:]{2,120}?)\s+(?P<aux>is|are|will be|shall be|must be|is to be"
    r"|are to be|needs? to be|ha(?:s|ve) to be|should be)\s+(?:then\s+|also\s+|only\s+)?"
    r"(?P<verb>[a-z]+)(?:\s+(?P<particle>out|up|off))?\s+by\s+(?:the\s+)?(?P<by>.+)$"
)
# After the role, only words that say when or how keep the question about that role alone;
# "by the QMO or the Head of Department" would make one right answer of two.
_TAIL = re.compile(
    r"^(?:(?:before|after|within|using|during|prior to|at|on|every|each|once|for)\s[^,;]+)?$"
)
_PRONOUN = re.compile(r"^(?:it|they|this|these|those|that|such|which|each of)\b", re.I)
_IRREGULAR = {
    "written": "write",
    "kept": "keep",
    "held": "hold",
    "made": "make",
    "given": "give",
    "taken": "take",
    "led": "lead",
    "sent": "send",
    "run": "run",
    "set": "set",
    "done": "do",
}


@dataclass(frozen=True)
class Passive:
    """ "Concessions are approved by the QMO": who (as written), what they do, and the prompt."""

    role: str
    does: str
    prompt: str


def passive_duty(text: str, condition: str, book: RoleBook) -> Passive | None:
    """The duty in a passive sentence whose agent is one of the document's roles, else None."""
    match = _PASSIVE.match(text.rstrip(" .;"))
    if match is None or _PRONOUN.match(match.group("thing")):
        return None
    base = active_verb(match.group("verb"))
    agent = book.pattern.match(match.group("by"))
    if base is None or agent is None or agent.start() != 0 or book.find(agent.group(0)) is None:
        return None
    tail = match.group("by")[agent.end() :].strip()
    if not _TAIL.match(tail):
        return None
    particle = f" {match.group('particle')}" if match.group("particle") else ""
    thing = lower_first(clean(match.group("thing")))
    tail = f" {tail}" if tail else ""
    if match.group("aux") == "should be":
        does = f"should {base}{particle} {thing}{tail}"
    else:
        does = f"{third_person(base)}{particle} {thing}{tail}"
    prompt = f"Who {does}{f' {lower_first(condition)}' if condition else ''}?"
    return Passive(clean(agent.group(0)), does, prompt)


def active_verb(participle: str) -> str | None:
    """ "approved" → "approve", "verified" → "verify", "planned" → "plan", "written" → "write";
    None unless the verb is one procedures give as duties.
    """
    lower = participle.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if not lower.endswith("ed"):
        return None
    stem = lower[:-2]
    candidates = [stem, f"{stem}e", f"{stem[:-1]}y" if stem.endswith("i") else "", stem[:-1]]
    return next((c for c in candidates if c and is_duty_verb(c)), None)
