"""Section headings as the words a prompt can use: "5.2 Request for a new supplier" → "Request
for a new supplier", "Step 2 – Shut down and isolate" → "Shut down and isolate", an order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from questions.documents.numbering import own_number
from questions.drafting.sentences import clean, sentence_case, without_parentheses
from questions.drafting.verbs import is_duty_verb

_PREFIX = re.compile(r"^(?:[IVX]+|step \d+|stage \d+|phase \d+)\s*[-.:–—]\s*", re.IGNORECASE)
_STEPPED = re.compile(r"^(?:step|stage|phase)\s+\d+", re.IGNORECASE)
_AFTER_AN_ORDER = frozenset(
    ["the", "a", "an", "all", "each", "every", "any", "to", "down", "up", "out", "off", "on", "in"]
)


@dataclass(frozen=True)
class HeadingWords:
    """A heading's own words in sentence case, and whether they are an order ("Prepare",
    "Shut down and isolate", "Step 6 – Restore to service") rather than a thing named
    ("Return request and authorisation", "Issue of tools")."""

    words: str
    instruction: bool


def heading_words(heading: str) -> HeadingWords:
    text = clean(heading)
    unnumbered = own_number(text)[1] or text
    words = sentence_case(without_parentheses(_PREFIX.sub("", unnumbered))).rstrip(" .:")
    return HeadingWords(words, _an_instruction(words, bool(_STEPPED.match(text))))


def _an_instruction(words: str, stepped: bool) -> bool:
    """Numbered as a step, any verb-first heading is an order; otherwise only a single verb or
    a verb before an article or particle is."""
    lower = words.lower().split()
    if not lower or not is_duty_verb(lower[0]) or (len(lower) > 1 and lower[1] == "of"):
        return False
    return stepped or len(lower) == 1 or lower[1] in _AFTER_AN_ORDER
