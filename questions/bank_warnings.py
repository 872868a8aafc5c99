"""What a valid bank may still get wrong: open questions that will grade worse than they could.

Nothing here stops a bank loading. Each warning points at something an author most likely meant
otherwise: a key point no terse reply can meet, a wrong claim that right answers also make, a
phrasing two key points compete for, vocabulary nothing uses, an open question no interview
asks. Phrasings are compared as the grader reads them (case, word forms and filler words aside,
the bank's vocabulary applied). Pure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from questions.model import BankFile, KeyPoint, Kind, Question, Vocabulary, key_point_label
from questions.reply_words import Role, words_of
from questions.vocabulary import with_vocabulary

# An accepted reply this short is what people type when they know the answer ("tag it").
TERSE_WORDS = 3
# An accepted reply longer than this is no short reply: a phrasing says it better.
LONG_ACCEPT_WORDS = 8


@dataclass(frozen=True)
class Meaning:
    """A text as the grader matches it: the stems of its meaningful words, in any order."""

    negative: bool
    stems: tuple[str, ...]


@dataclass(frozen=True)
class BankWarning:
    """One thing in a bank that loads but will likely grade worse than its author meant."""

    file: str
    question_id: str | None
    key_point: str | None  # as key_point_label names it
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.question_id:
            parts.append(f"question {self.question_id}")
        parts += [p for p in (self.key_point, self.field) if p]
        return ": ".join([*parts, self.message])


def bank_warnings(files: Iterable[tuple[Path, BankFile]]) -> list[BankWarning]:
    """Every warning for the bank's files, file by file, in the order of their questions."""
    return [w for path, bank_file in files for w in file_warnings(path, bank_file)]


def file_warnings(path: Path, bank_file: BankFile) -> list[BankWarning]:
    """The warnings for one file: its open questions', then its vocabulary's."""
    found: list[BankWarning] = []
    for question in bank_file.questions:
        if question.kind is Kind.OPEN:
            found += _question_warnings(str(path), question, bank_file.vocabulary)
    return found + _dead_vocabulary(str(path), bank_file)


def _question_warnings(file: str, question: Question, vocabulary: Vocabulary) -> list[BankWarning]:
    def warn(key_point: str | None, field: str, message: str) -> BankWarning:
        return BankWarning(file, question.id, key_point, field, message)

    found: list[BankWarning] = []
    for position, key_point in enumerate(question.key_points, start=1):
        label = key_point_label(position, key_point.point)
        found += [warn(label, "accept", m) for m in _accept_messages(key_point)]
    found += [warn(label, field, m) for label, field, m in _shared_phrasings(question, vocabulary)]
    found += [warn(label, "contradicts", m) for label, m in _vetoing_claims(question, vocabulary)]
    if question.stage is None:
        found.append(
            warn(
                None,
                "stage",
                "is missing, so no interview asks it (open questions are asked only in mock "
                "audits); add one of policy, objectives, procedures, problems, implications",
            )
        )
    if not question.contradicts:
        found.append(
            warn(
                None,
                "contradicts",
                "lists no wrong claims; add what people say when they get the procedure wrong "
                '("we never fill it in"), so a reply that says one cannot pass',
            )
        )
    return found


def _accept_messages(key_point: KeyPoint) -> list[str]:
    messages = []
    if not any(_word_count(a) <= TERSE_WORDS for a in key_point.accept):
        messages.append(
            f"no accepted short reply of {TERSE_WORDS} words or fewer; add the terse ways "
            'people make this point ("tag it", "tell the boss") so a terse right answer counts'
        )
    for accepted in key_point.accept:
        count = _word_count(accepted)
        if count > LONG_ACCEPT_WORDS:
            messages.append(
                f"{accepted!r} is {count} words; accept is for short replies, "
                "so move it to phrasings"
            )
    return messages


def _shared_phrasings(question: Question, vocabulary: Vocabulary) -> list[tuple[str, str, str]]:
    """Phrasings two key points list: one word of a reply counts for one point only."""
    owners: dict[Meaning, tuple[str, str]] = {}
    found: list[tuple[str, str, str]] = []
    for position, key_point in enumerate(question.key_points, start=1):
        label = key_point_label(position, key_point.point)
        for text, field in _right_wordings(key_point):
            meanings = _meanings(text, vocabulary)
            earlier = next((owners[m] for m in meanings if m in owners), None)
            if earlier is not None and earlier[0] != label:
                other_label, other_text = earlier
                said = "" if _key(other_text) == _key(text) else f" as {other_text!r}"
                found.append(
                    (
                        label,
                        field,
                        f"{text!r} is also listed under {other_label}{said}; a reply saying it "
                        "meets only one of them, so keep it under the point it makes",
                    )
                )
            for meaning in meanings:
                owners.setdefault(meaning, (label, text))
    return found


def _vetoing_claims(question: Question, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """Wrong claims that a right answer makes too, so that it fails."""
    found: list[tuple[str, str]] = []
    for claim in question.contradicts:
        claims = _meanings(claim, vocabulary)
        for position, key_point in enumerate(question.key_points, start=1):
            overlaps = [
                (text, field, any(c == r for c in claims for r in rights))
                for text, field in _right_wordings(key_point)
                for rights in [_meanings(text, vocabulary)]
                if any(_within(c, r) for c in claims for r in rights)
            ]
            if not overlaps:
                continue
            text, field, same = max(overlaps, key=lambda overlap: overlap[2])
            how = "is the same as" if same else "is part of"
            wording = "the phrasing" if field == "phrasings" else "the accepted reply"
            found.append(
                (
                    key_point_label(position, key_point.point),
                    f"{claim!r} {how} {wording} {text!r}: a reply making this point also makes "
                    "the wrong claim and fails; reword the claim",
                )
            )
    return found


def _right_wordings(key_point: KeyPoint) -> list[tuple[str, str]]:
    """The key point's wordings, each with the field it is listed under."""
    return [(p, "phrasings") for p in key_point.phrasings] + [
        (a, "accept") for a in key_point.accept
    ]


def _dead_vocabulary(file: str, bank_file: BankFile) -> list[BankWarning]:
    texts = [
        text
        for question in bank_file.questions
        for key_point in question.key_points
        for text in (*key_point.phrasings, *key_point.accept)
    ] + [claim for question in bank_file.questions for claim in question.contradicts]
    found = []
    for word, same in bank_file.vocabulary.items():
        entry = {word: same}
        if not any(len(with_vocabulary([text], entry)) > 1 for text in texts):
            found.append(
                BankWarning(
                    file,
                    None,
                    None,
                    "vocabulary",
                    f"no phrasing, accepted reply or wrong claim in this file says {word!r} or "
                    "a word listed under it, so the entry changes nothing; use it or remove it",
                )
            )
    return found


def _meanings(text: str, vocabulary: Vocabulary) -> set[Meaning]:
    """What the grader matches for a text, in each of the vocabulary's words."""
    return {_meaning(variant) for variant in with_vocabulary([text], vocabulary)}


def _meaning(text: str) -> Meaning:
    words = words_of(text)
    kept = [w for w in words if w.meaningful] or [w for w in words if w.role is not Role.BOUNDARY]
    negative = any(w.role is Role.NEGATOR for w in kept)
    return Meaning(negative, tuple(sorted(w.stem for w in kept)))


def _within(part: Meaning, whole: Meaning) -> bool:
    """Every word of `part` is in `whole`, and both are negative or neither is."""
    if not part.stems or part.negative != whole.negative:
        return False
    return Counter(part.stems) <= Counter(whole.stems)


def _word_count(text: str) -> int:
    return len(text.split())


def _key(text: str) -> str:
    return " ".join(text.casefold().split())
