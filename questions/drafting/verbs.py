"""Just enough English verb forms to turn "X approves Y" into "Who approves Y?" and a duty cell
"Approves concessions" into "approving concessions".
"""

from __future__ import annotations

import re

# Verbs procedures give as duties ("Approve the NCR", "Maintains the register"); a first word
# outside this list is taken for a noun, so "Records of training" is never made a verb.
_DUTY_VERBS = frozenset(
    [
        "accept",
        "acknowledge",
        "advise",
        "agree",
        "allocate",
        "analyse",
        "analyze",
        "apply",
        "appoint",
        "approve",
        "archive",
        "arrange",
        "assess",
        "assign",
        "attach",
        "attend",
        "audit",
        "authorise",
        "authorize",
        "brief",
        "calibrate",
        "carry",
        "chair",
        "check",
        "clean",
        "close",
        "co-ordinate",
        "collect",
        "communicate",
        "complete",
        "conduct",
        "confirm",
        "contain",
        "control",
        "coordinate",
        "create",
        "decide",
        "define",
        "delegate",
        "deputise",
        "deputize",
        "deliver",
        "determine",
        "develop",
        "dispose",
        "distribute",
        "document",
        "ensure",
        "enter",
        "escalate",
        "establish",
        "evaluate",
        "file",
        "fill",
        "give",
        "handle",
        "hold",
        "identify",
        "implement",
        "inform",
        "inspect",
        "investigate",
        "isolate",
        "issue",
        "keep",
        "label",
        "lead",
        "liaise",
        "lock",
        "log",
        "maintain",
        "make",
        "manage",
        "measure",
        "monitor",
        "move",
        "nominate",
        "notify",
        "obtain",
        "organise",
        "organize",
        "oversee",
        "own",
        "perform",
        "place",
        "plan",
        "prepare",
        "present",
        "provide",
        "publish",
        "quarantine",
        "raise",
        "recall",
        "receive",
        "record",
        "reject",
        "release",
        "remove",
        "replace",
        "report",
        "request",
        "restock",
        "restore",
        "retain",
        "return",
        "review",
        "revise",
        "run",
        "schedule",
        "segregate",
        "select",
        "send",
        "set",
        "shut",
        "sign",
        "stop",
        "store",
        "submit",
        "supervise",
        "support",
        "take",
        "tell",
        "test",
        "track",
        "train",
        "update",
        "validate",
        "verify",
        "withdraw",
        "witness",
        "write",
    ]
)
_PREPOSITIONS = frozenset(
    ["of", "to", "for", "in", "on", "with", "from", "and", "or", "by", "at", "as"]
)
_VOWELS = "aeiou"


def base_form(word: str) -> str:
    """ "approves" → "approve", "carries" → "carry", "discusses" → "discuss"."""
    lower = word.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith("ss"):
        return word[:-1]
    return word


def third_person(word: str) -> str:
    """ "approve" → "approves", "carry" → "carries", "discuss" → "discusses"."""
    lower = word.lower()
    if lower.endswith("y") and len(lower) > 2 and lower[-2] not in _VOWELS:
        return word[:-1] + "ies"
    if lower.endswith(("s", "sh", "ch", "x", "z", "o")):
        return word + "es"
    return word + "s"


def gerund(word: str) -> str:
    """ "approve" → "approving", "plan" → "planning", "carry" → "carrying"."""
    lower = word.lower()
    if lower.endswith("ie"):
        return word[:-2] + "ying"
    if lower.endswith("e") and not lower.endswith(("ee", "ye", "oe")):
        return word[:-1] + "ing"
    vowels = [c for c in lower if c in _VOWELS]
    if (
        len(lower) <= 4
        and len(vowels) == 1
        and lower[-1] not in _VOWELS + "wxy"
        and lower[-2] in _VOWELS
    ):
        return word + word[-1] + "ing"
    return word + "ing"


def is_duty_verb(word: str) -> bool:
    return word.lower() in _DUTY_VERBS


def is_duty_verb_form(word: str) -> bool:
    """A duty verb in any present form: "approve", "approves", "carries"."""
    return is_duty_verb(word) or is_duty_verb(base_form(word))


def duty_as_gerund(duty: str) -> str | None:
    """A duty as the words after "responsible for": "Approves concessions" → "approving
    concessions"; None when its first word can't be read as a verb or a gerund.
    """
    words = duty.split(" ")
    if len(words) < 2:
        return None
    first, following = words[0], words[1].lower()
    lower = first.lower()
    if lower.endswith("ing"):
        return " ".join([lower, *words[1:]])
    if is_duty_verb(lower) and following not in _PREPOSITIONS:
        return " ".join([gerund(lower), *words[1:]])
    base = base_form(lower)
    if (
        base != lower
        and is_duty_verb(base)
        and (following not in _PREPOSITIONS or base in _NEVER_NOUNS)
    ):
        return " ".join([gerund(base), *words[1:]])
    return None


# "Records of training" is a noun before a preposition; "Deputises for STM" can only be a verb
# ("Who is responsible for deputises for STM?" was drafted on a blind set).
_NEVER_NOUNS = frozenset(["deputise", "deputize", "liaise", "oversee", "ensure", "escalate"])


def present_verb(word: str) -> str | None:
    """The base form of the word after a subject when it is a present-tense verb
    ("coordinates", "moves"), else None. Right after a role, a word ending in -s is a verb.
    """
    lower = word.lower()
    if not lower.isalpha() or word != lower or len(lower) < 4:
        return None
    if lower in ("does", "this", "thus", "plus") or lower.endswith(("ss", "us", "is", "'s")):
        return None
    base = base_form(lower)
    return base if base != lower else None


# "…, and sign", " and sign", and "and sign" at the start of what follows the first verb
# ("shall check and sign each note" asked "Who checks and sign …?" on a blind test set).
_COORDINATED = re.compile(r"(^(?:and|or)\s+|,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)([a-z-]+)\b")


def agreeing(what: str) -> str:
    """The verbs a duty coordinates after its first put in the third person too: "the register,
    schedule and perform calibration" → "the register, schedules and performs calibration"."""

    def agree(match: re.Match[str]) -> str:
        word = match[2]
        return match[1] + (third_person(word) if is_duty_verb(word) else word)

    return _COORDINATED.sub(agree, what)
