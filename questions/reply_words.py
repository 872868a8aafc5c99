"""The words of a reply or a phrasing, as the grader of open answers sees them.

Each word gets a crude stem ("tag", "tags", "tagged" and "tagging" are one) and a role: content,
a negator, a stop word, or a boundary that ends a clause or sentence. Contractions are opened up
("don't" is "do not"). Pure; `questions/grading.py` grades with it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


def words_set(text: str) -> frozenset[str]:
    """The words of a text, as a set, for the word lists of the rules."""
    return frozenset(text.split())


# A dash between spaces and a "+" part clauses like a comma: "Energy use - I switch it off".
_WORD = re.compile(r"I\.T\.?|\d+(?:[.,]\d+)+|\w+(?:['’]\w+)*|%|[.,;:!?()\n+]+|(?<=\s)[-–—](?=\s)")
_PUNCTUATION = re.compile(r"[.,;:!?()\n+]+|[-–—]")
_SENTENCE_END = re.compile(r"[.;!?\n]")
NEGATORS = words_set(
    "not no never nobody noone none nothing neither nor without instead rather hardly nowhere"
)
# Where a clause ends: a negator before one of these doesn't reach the words after it.
_CLAUSE_WORDS = words_set(
    "but though although however then because so if and when while i we they he she"
)
_STOP_WORDS = words_set(
    """a an the my our your their his her its it them this that these those to of in on at for
    with by from into onto about as you me us him is am are was were be been being
    do does did done doing would will should could can shall must might may just or also really
    probably maybe basically like some any all every what which who whom how where why there
    here very quite too well ok okay yes yeah yep um erm uh hmm tbh lol think guess sure even
    someone somebody everyone everybody anyone anybody people
    thing things stuff something anything everything"""
)
# Keyed without apostrophes, since Slack replies often leave them out.
_CONTRACTIONS = {
    "wont": ["will", "not"], "cant": ["can", "not"], "cannot": ["can", "not"],
    "shant": ["shall", "not"], "aint": ["not"], "dnt": ["not"], "im": ["i", "am"],
    "ive": ["i", "have"],
}  # fmt: skip
_NT_WORDS = words_set(
    "dont doesnt didnt isnt arent wasnt werent wouldnt shouldnt couldnt havent hasnt hadnt "
    "mustnt neednt"
)
_SUFFIX_WORDS = {"'d": "would", "'ll": "will", "'re": "are", "'ve": "have", "'m": "am", "'s": ""}
_IRREGULAR = {
    "told": "tell", "found": "find", "took": "take", "taken": "take", "spoke": "speak",
    "wrote": "write", "written": "write", "went": "go", "gone": "go", "kept": "keep",
    "threw": "throw", "thrown": "throw", "spilt": "spill", "got": "get", "brought": "bring",
    "caught": "catch", "fell": "fall", "made": "make", "sent": "send", "rang": "ring",
    "saw": "see", "seen": "see", "knew": "know", "gave": "give", "ran": "run", "left": "leave",
    "said": "say", "spoken": "speak", "gotten": "get", "fallen": "fall", "known": "know",
    "felt": "feel", "given": "give", "stuck": "stick", "paid": "pay", "fewer": "less",
}  # fmt: skip


class Role(StrEnum):
    CONTENT = "content"
    NEGATOR = "negator"
    STOP = "stop"
    BOUNDARY = "boundary"


@dataclass(frozen=True)
class Word:
    """One word of a text: its stem for matching, its role, and where it sits in the text."""

    stem: str
    role: Role
    start: int
    end: int
    plain: str = ""  # the word as said, lower case, contractions opened: for clause rules

    @property
    def meaningful(self) -> bool:
        return self.role in (Role.CONTENT, Role.NEGATOR)


def words_of(text: str) -> tuple[Word, ...]:
    """The words of a text, contractions opened up ("don't" is "do not"), with their roles."""
    found: list[Word] = []
    for match in _WORD.finditer(text):
        raw, start, end = match.group(), match.start(), match.end()
        if _PUNCTUATION.fullmatch(raw):
            # A full stop ends a sentence, and no phrase is matched across one.
            stop = "." if _SENTENCE_END.search(raw) else ","
            found.append(Word(stop, Role.BOUNDARY, start, end, "?" if "?" in raw else stop))
            continue
        for part in _expand(_plain(raw)):
            role = _role(part)
            found.append(Word(_negator_stem(part) if role is Role.NEGATOR else stem(part), role,
                              start, end, part))  # fmt: skip
    return tuple(found)


# "never", "no" and "not" say the same no; a negator matches only a negator: "not" is not "note".
_SAME_NO = words_set("not never no nobody noone none nothing")


def _negator_stem(word: str) -> str:
    return "!not" if word in _SAME_NO else "!" + word


def _plain(raw: str) -> str:
    if raw in ("IT", "I.T", "I.T."):  # in capitals, the department rather than the pronoun
        return "infotech"
    text = unicodedata.normalize("NFKD", raw).replace("’", "'")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _expand(word: str) -> list[str]:
    bare = word.replace("'", "")
    if word == "%":
        return ["percent"]
    if bare in _CONTRACTIONS:
        return _CONTRACTIONS[bare]
    if bare in _NT_WORDS or word.endswith("n't"):
        return [bare[:-2], "not"]
    for suffix, meaning in _SUFFIX_WORDS.items():
        if word.endswith(suffix) and len(word) > len(suffix):
            return [word[: -len(suffix)]] + ([meaning] if meaning else [])
    return [bare]


def _role(word: str) -> Role:
    if word in NEGATORS:
        return Role.NEGATOR
    if word in _CLAUSE_WORDS:
        return Role.BOUNDARY
    return Role.STOP if word in _STOP_WORDS else Role.CONTENT


def stem(word: str) -> str:
    """A crude stem, the same for "tag", "tags", "tagged" and "tagging"; doubled letters go."""
    word = _IRREGULAR.get(word, word)
    if not word.isalpha():
        return word
    word = _strip_suffix(re.sub(r"([a-z])\1+", r"\1", word))
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def _strip_suffix(word: str) -> str:
    if word.endswith(("ies", "ied")) and len(word) >= 5:
        return word[:-3] + "y"
    for suffix, rest in (("ing", 3), ("ed", 3), ("ly", 4), ("ty", 3)):  # safely, safety: safe
        if word.endswith(suffix) and len(word) - len(suffix) >= rest:
            return word[: -len(suffix)]
    if word.endswith("s") and len(word) >= 4 and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# After a negator, these make it about something else: "not sure", "not only", "not just".
NEGATION_TAKEN_BY = frozenset(stem(w) for w in ("sure", "certain", "only", "just"))
NOT_KNOWING = frozenset(stem(w) for w in ("know", "idea", "sure", "clue", "remember", "certain"))
DONT_KNOW = frozenset(stem(w) for w in ("dunno", "idk", "unsure", "forget", "forgot"))
# Light verbs say little on their own: "get hurt" is about "hurt".
LIGHT_VERBS = frozenset(map(stem, words_set("get put make take go have come keep let give")))
