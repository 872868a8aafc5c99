"""Records and forms: from "X is recorded on form QF-12" and "logged in the NCR register", drafts
of "Where is X recorded?" with the document's other records as wrong options.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from questions.documents.model import ProcedureDocument, Section
from questions.drafting.drafts import Answers, Draft, Fact, see
from questions.drafting.likeness import content_words, same_name, similar_topics
from questions.drafting.roles import RoleBook
from questions.drafting.sentences import (
    clean,
    lower_first,
    sentences,
    upper_first,
    without_parentheses,
)
from questions.model import Kind

_VERBS = (
    r"recorded|logged|documented|stored|kept|filed|entered|registered|captured|noted|added"
    r"|saved|created|attached|held|maintained|archived|tracked|raised|retained"
)
_RECORDED = re.compile(
    rf"^(?P<subj>[A-Z][^,;:]{{2,120}}?)\s+(?P<aux>is|are|can be|shall be|must be|will be"
    rf"|should be|may be)\s+(?:also\s+)?(?P<verb>{_VERBS})"
    rf"(?P<mid>\s+(?:for|by|with|of)\s+[^,;:]+?)?\s+(?P<prep>on|in|into|to|within|at)\s+"
    rf"(?P<place>.+?)\s*(?:[,.;]\s*(?P<tail>.*))?$"
)
# "Record the readings on form QF-40", "Enter the report number in the NCR register": where
# things go, written as an instruction, asked as "Where is the report number entered?".
_INSTRUCTED = re.compile(
    r"^(?P<verb>record|enter|log|file|note|register|document|store|keep)\s+"
    r"(?P<subj>(?:the|all|each|every|any)\s[^,;:]{2,80}?)\s+(?P<prep>on|in|into)\s+"
    r"(?P<place>.+?)\s*(?:[,.;]\s*(?P<tail>.*))?$",
    re.IGNORECASE,
)
_DONE = {"keep": "kept", "log": "logged", "enter": "entered", "file": "filed", "note": "noted",
         "register": "registered", "document": "documented", "store": "stored",
         "record": "recorded"}  # fmt: skip
_PLACE_NOUNS = (
    r"record|register|log|form|file|folder|issue|ticket|report|database|system|repository"
    r"|tracker|sheet|book|card|list|drive|notice|note|minutes|checklist|logbook|spreadsheet"
)
_PLACE_HEAD = re.compile(rf"\b(?:{_PLACE_NOUNS})s?$", re.IGNORECASE)
FORM_CODE = re.compile(r"\b[A-Z]{1,5}(?:-[A-Z]{1,4})*-\d{1,4}[A-Z]?\b")
_NAMED_PLACE = re.compile(
    rf"(?:the\s+)?(?:“[^”]+”|\"[^\"]+\")\s+(?:{_PLACE_NOUNS})"
    rf"|\b(?:[A-Z][\w-]*\s+){{1,4}}(?:{_PLACE_NOUNS.replace('|', '|').title()})s?\b"
    rf"|\bform\s+{FORM_CODE.pattern}"
)
_PROCEDURE_CODE = re.compile(r"(?:^|-)(?:PR|PRO|PROC|SOP|POL|WI|MAN|QM|ORG)(?:-|$)")
_FORM_SEGMENT = re.compile(r"(?:^|-)(?:[A-Z]?F|FM|FRM|R|REC|LOG|CL|T|TMP)(?:-|$)")
_FORM_BEFORE = re.compile(
    rf"\b(?:{_PLACE_NOUNS}|template)s?\s+(?:no\.?\s+|number\s+)?$", re.IGNORECASE
)
_CODED = re.compile(rf"\s*\(({FORM_CODE.pattern})\)")
_VAGUE = frozenset(
    [
        "result",
        "results",
        "outcome",
        "information",
        "details",
        "it",
        "this",
        "data",
        "everything",
        "all",
        # "Where is the review recorded?", "On which form is successful completion recorded?":
        # of what, a blind reviewer asked.
        "review",
        "briefing",
        "completion",
        "version",
        "decision",
        "inputs",
        "check",
        "checks",
    ]
)
_PLACE_STOP = re.compile(r"\s+(?:which|that|where|when|and|as|so|if|for|by|with|before|after)\s")


_CLAUSE_INSIDE = re.compile(
    r"\b(?:shall|must|will|should|is|are|was|were|before|after|until|unless)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Recorded:
    """ "Actions and outcomes are documented in the GitHub issue": what, how, where."""

    subject: str
    aux: str
    verb: str
    mid: str
    place: str
    cites: str
    section: Section

    @property
    def topic(self) -> str:
        return f"{self.subject} {self.verb}{self.mid}"


def recorded(document: ProcedureDocument) -> list[Recorded]:
    found = []
    for sentence in sentences(document):
        text = without_parentheses(sentence.text)
        match = _RECORDED.match(text)
        if match is None:
            if instructed := _instructed(text, sentence.text, sentence.section):
                found.append(instructed)
            continue
        place = _place_named(match)
        mid = (match.group("mid") or "").rstrip()
        # "created by anyone in the company in the drafts folder": the place is the last one.
        *before, place = re.split(r"\s+(?=(?:in|on|into)\s)", place)
        if before:
            mid = f"{mid} {match.group('prep')} {' '.join(before)}"
        place = re.sub(r"^(?:in|on|into)\s+", "", place)
        subject = match.group("subj")
        if not _is_place(place) or len(content_words(subject) - _VAGUE) < 2:
            continue
        # "No credit shall be communicated to the customer before the approval [is recorded on
        # QF-07-01]": the recording is a clause inside a rule, and the question read garbled.
        if _CLAUSE_INSIDE.search(subject):
            continue
        found.append(
            Recorded(subject, match.group("aux"), match.group("verb"), mid, place, sentence.text,
                     sentence.section)
        )  # fmt: skip
    return found


def _instructed(text: str, cites: str, section: Section) -> Recorded | None:
    match = _INSTRUCTED.match(text)
    if match is None:
        return None
    place = _place_named(match)
    subject = match.group("subj")
    if not _is_place(place) or len(content_words(subject) - _VAGUE) < 1:
        return None
    plural = subject.split()[-1].lower().endswith("s") or subject.lower().startswith("all ")
    verb = _DONE[match.group("verb").lower()]
    return Recorded(subject, "are" if plural else "is", verb, "", place, cites, section)


def _place_named(match: re.Match[str]) -> str:
    """The place a sentence names, up to where another clause starts ("the NCR register")."""
    return _PLACE_STOP.split(f"{match.group('place')} ")[0].strip(" .")


def _is_place(place: str) -> bool:
    words = place.split()
    if not words or len(words) > 6:
        return False
    # "kept at least 30 cm from ESDS items": a distance, not a place things are kept in (offered
    # among forms on a blind test set).
    if re.match(r"^(?:least|most|minimum|maximum|\d)", place, re.IGNORECASE):
        return False
    named = any(w[:1].isupper() or w[:1] in '“"' for w in words[1:] + words[:1])
    return bool(_PLACE_HEAD.search(place) or FORM_CODE.search(place) or named)


def places(document: ProcedureDocument) -> list[str]:
    """Every record, form and filing place the document names, first mention first."""
    found = [r.place for r in recorded(document)]
    for sentence in sentences(document):
        text = sentence.text
        for match in _NAMED_PLACE.finditer(text):
            # "Field Safety Notice (CSC-F-006)" is one form, not two.
            coded = _CODED.match(text, match.end())
            found.append(f"{match.group(0)} ({coded.group(1)})" if coded else match.group(0))
        plain = without_parentheses(text)
        found += [f"form {m.group(0)}" for m in FORM_CODE.finditer(plain) if _a_form(m, plain)]
    found = [re.sub(r"^(?:an?|our)\s+", "", p, flags=re.IGNORECASE) for p in found]
    unique: list[str] = []
    for place in (clean(p) for p in found):
        if not any(same_name(_bare(place), _bare(u)) for u in unique):
            unique.append(place)
    return unique


def _a_form(code: re.Match[str], text: str) -> bool:
    """A code the document calls a form, or coded as one ("HS-F-120"), and not a procedure's
    ("EMS-PR-006", "see ORG-01"). Found in independent review: procedures offered as forms."""
    if _PROCEDURE_CODE.search(code.group(0)):
        return False
    return bool(_FORM_SEGMENT.search(code.group(0)) or _FORM_BEFORE.search(text[: code.start()]))


def facts(document: ProcedureDocument) -> list[Fact]:
    return [Fact(Answers.RECORD, r.topic, r.place) for r in recorded(document)]


def record_drafts(document: ProcedureDocument, book: RoleBook) -> Iterator[Draft]:
    everything = places(document)
    known = recorded(document)
    original = document.original_id or document.id
    for record in known:
        doers = [
            r.place for r in known if r is not record and similar_topics(r.topic, record.topic)
        ]
        others = [
            p
            for p in everything
            if not same_name(_bare(p), _bare(record.place))
            and not any(same_name(_bare(p), _bare(d)) for d in doers)
            and not book.mentioned_in(p)
            and _bare(p).casefold() not in record.cites.casefold()
        ]
        # Other folders for a folder, other forms for a form, where the document has enough.
        alike_kind = [p for p in others if _head(p) == _head(record.place)]
        wrong = [_option(p) for p in (alike_kind if len(alike_kind) >= 2 else others)][:3]
        form = bool(FORM_CODE.search(record.place)) or record.place.lower().endswith("form")
        modal, _, be = record.aux.partition(" ")
        asked = f"{lower_first(record.subject)} {be + ' ' if be else ''}{record.verb}{record.mid}"
        prompt = f"{'On which form' if form else 'Where'} {modal} {asked}?"
        yield Draft(
            kind=Kind.SINGLE,
            prompt=" ".join(prompt.split()),
            section=record.section,
            cites=record.cites,
            explanation=f"{upper_first(record.subject)} {record.aux} {record.verb}{record.mid} "
            f"{'on' if form else 'in'} {record.place}. {see(original, record.section)}",
            answers=Answers.RECORD,
            topic=record.topic,
            right=_option(record.place),
            wrong=tuple(wrong),
        )


def _head(place: str) -> str:
    if FORM_CODE.search(place):
        return "form"
    return place.split()[-1].casefold().rstrip("s")


def _bare(place: str) -> str:
    return re.sub(r"^(?:the|a|an|our|form)\s+", "", place, flags=re.IGNORECASE)


def _option(place: str) -> str:
    """A place as an option, without its article: "The Backup Check Log" beside "Restore Test
    Record" gave the answer away in independent review."""
    return upper_first(re.sub(r"^(?:the|a|an|our)\s+", "", place, flags=re.IGNORECASE))
