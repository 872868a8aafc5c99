"""The company's own words: each phrasing also said with the words that mean the same.

A bank's `vocabulary` maps a word to others that mean the same ("supervisor": ["team leader",
"foreman"]). A phrasing that says one of them ("tell my supervisor") also stands for each of the
others ("tell my foreman"), so key points need not repeat them. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

# Enough for a phrasing naming two of the company's words with a handful of synonyms each.
MAX_VARIANTS = 60

Vocabulary = Mapping[str, Sequence[str]]


def with_vocabulary(phrasings: Iterable[str], vocabulary: Vocabulary | None) -> tuple[str, ...]:
    """The phrasings, each followed by its variants in the vocabulary's other words, once each."""
    groups = [(word, *same) for word, same in (vocabulary or {}).items()]
    seen: dict[str, str] = {}
    for phrasing in phrasings:
        for variant in _variants(phrasing, groups):
            seen.setdefault(_key(variant), variant)
    return tuple(seen.values())


def _variants(phrasing: str, groups: list[tuple[str, ...]]) -> list[str]:
    variants = [phrasing]
    for group in groups:
        grown: list[str] = []
        for text in variants:
            member = next((m for m in group if _pattern(m).search(text)), None)
            alternatives = [text] if member is None else [
                _pattern(member).sub(other, text) for other in (member, *group) if other
            ]  # fmt: skip
            grown += alternatives
        variants = list(dict.fromkeys(grown))[:MAX_VARIANTS]
    return variants


def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, word.split())) + r"(?!\w)", re.I)


def _key(text: str) -> str:
    return " ".join(text.casefold().split())
