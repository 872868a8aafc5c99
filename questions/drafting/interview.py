"""Open questions for mock audits: for a section that says who does what, an auditor's "Talk me
through …" with key points taken from the section's own sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from questions.documents.model import BlockKind, ProcedureDocument, Section
from questions.drafting.drafts import Draft, see
from questions.drafting.headings import heading_words
from questions.drafting.likeness import content_words
from questions.drafting.records import FORM_CODE
from questions.drafting.roles import RoleBook
from questions.drafting.sentences import (
    Sentence,
    clean,
    lower_first,
    section_sentences,
    strip_article,
    upper_first,
    without_parentheses,
)
from questions.drafting.time_limits import limits_in
from questions.drafting.verbs import is_duty_verb, is_duty_verb_form, present_verb
from questions.model import KeyPoint, Kind, Stage

_PROBLEMS = re.compile(
    r"non-?conform|incident|complaint|corrective|deviation|failure|problem|capa|breach|recall",
    re.IGNORECASE,
)
_ACTION = re.compile(r"\b(?:shall|must|will|should|is to|are to)\b", re.IGNORECASE)
_NOT_A_POINT = re.compile(
    r"^(?:it|they|this|these|those|such|example|for example|e\.g\.)\b|\b(?:the following|above|"
    r"below|as follows)\b|:$",
    re.IGNORECASE,
)
_SPLIT = re.compile(
    r"[,;:]|\s(?:with|to|for|by|in|on|at|from|and|or|of|if|when|so|that|which|as|into|after|"
    r"before|using|within|the)\s",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^(?:a|an|the|any|all|each|its|their|our)\s+", re.IGNORECASE)
# Sections no interview question is drafted from. "Talk me through the responsibilities" of six
# roles was too broad and asked what the "Who…?" questions ask (found in independent review).
_FRONT_MATTER = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:summary|purpose|scope|general|definitions?|references?"
    r"|introduction|revision|history|abbreviations|terms|document (?:control|history)|approval"
    r"|responsibilit|roles|authorit)",
    re.IGNORECASE,
)
_VERB_CHUNK_STOP = re.compile(
    r"[,;:.]|\s(?:which|that|who|when|if|so|because|whether|while|where|to\s+\w+e\b)\s",
    re.IGNORECASE,
)
_GAP = re.compile(r"\b(?:to|of|the|a|an|in|for|with|by|via)\s+(?:using|and|or|to)\b|\s[,.;]")
_POINTS_BACK = re.compile(
    r"\b(?:this|these|those|such)\b(?! as)"
    # "The Contract Owner shall enter it in the incident system": enter what?
    r"|\b(?:enter|record|send|report|log|file|return|sign|check|close|issue|submit)s?\s+(?:it|them)\b",
    re.IGNORECASE,
)
_MAX_POINTS = 4
# "send them", "enter it", "If the contractor is not", "Check the RAMS against": a phrasing
# that points elsewhere or stops short matches replies that miss the point.
_VAGUE_PIECE = re.compile(
    r"\b(?:it|them|they|this|that)\b|^(?:if|where|when|once|unless)\b"
    r"|\b(?:against|until|under|only|without|not|is|are|be|been|being|may|can)$",
    re.IGNORECASE,
)
_STRICT = re.compile(
    r"\b(?:only|at least|no later than|independent|approv\w*|sign\w*|authoris\w*|authoriz\w*"
    r"|before any|until)\b",
    re.IGNORECASE,
)
_ALLOWED = re.compile(r"\b(?:may|can|by default|where possible|if required)\b", re.IGNORECASE)
_FORBIDS = re.compile(r"\b(?:must not|shall not|never|stop|do not|may not)\b", re.IGNORECASE)
_POINT_CHARS = 200
_LABELLED = re.compile(r"^[A-Z][\w &/-]{0,30}:\s+")


def interview_drafts(document: ProcedureDocument, book: RoleBook) -> Iterator[Draft]:
    """One interview question per procedure, on the section whose points weigh most.

    Over four blind reviews none of 24 interview drafts was approved as it stood: each needed
    its key points completed by someone who knows the work. One draft on the section richest
    in rules (times, records, prohibitions) gives the reviewer a start without a pile of edits.
    """
    drafts = list(_section_drafts(document, book))
    if drafts:
        yield max(drafts, key=lambda scored: scored[0])[1]


def _section_drafts(document: ProcedureDocument, book: RoleBook) -> Iterator[tuple[int, Draft]]:
    original = document.original_id or document.id
    for section in document.sections:
        if _FRONT_MATTER.match(clean(section.heading)):
            continue
        candidates = _points(section, book)
        steps = [p for p in candidates if _an_action(p)]
        # A section mostly of steps is asked step by step, from its steps only.
        points = _ranked(steps if 2 * len(steps) >= len(candidates) else candidates, book)
        if len(points) < 2:
            continue
        key_points = tuple(
            KeyPoint(
                point=_as_point(p.text),
                phrasings=list(_phrasings(p, book)),
            )
            for p in points
        )
        summary = "; ".join(lower_first(k.point) for k in key_points)
        who = any(_says_who_does(p.text, book) for p in points)
        topic = topic_of(section.heading)
        if who:
            prompt = f"Talk me through {topic}. What happens, and who does it?"
        elif all(_an_action(p) for p in points):
            prompt = f"Talk me through {topic}. What do you do, step by step?"
        else:
            # A section of neither actions nor duties gave key points that missed what
            # mattered, in independent review: no interview question is drafted from it.
            continue
        weight = sum(_weight(p.text, book) for p in points)
        yield (
            weight,
            Draft(
                kind=Kind.OPEN,
                prompt=prompt,
                section=section,
                cites=points[0].text,
                explanation=f"A good answer covers: {summary}. {see(original, section)}",
                key_points=key_points,
                # Most of the steps, as an auditor would expect: 2 of 2 or 3, 3 of 4.
                pass_mark=(2 * len(key_points) + 2) // 3,
                stage=Stage.PROBLEMS
                if _PROBLEMS.search(f"{document.title} {section.heading}")
                else Stage.PROCEDURES,
            ),
        )


def _as_point(text: str) -> str:
    """ "inspect the equipment and confirm it is safe; and" → "Inspect the equipment and confirm
    it is safe": a list item read as a point of its own."""
    point = re.sub(r"[\s;,]+(?:and|or)$", "", without_parentheses(text).rstrip(" .;,"))
    return point[:1].upper() + point[1:]


_WHEN_WORDS = frozenset(["during", "before", "after", "on", "at", "while", "following", "prior"])


def topic_of(heading: str) -> str:
    """A section heading as the thing an interview question asks about."""
    named = heading_words(heading)
    topic, words = named.words, named.words.split()
    # "Step 2 – Shut down and isolate" is an instruction: "Talk me through the step 2 – Shut
    # down" read badly in independent review, so it is quoted.
    if named.instruction:
        return f"“{upper_first(topic)}”"
    # "During the work", "After the audit": a time, not a thing ("Talk me through during the
    # work" read as broken English).
    if words and words[0].lower() in _WHEN_WORDS:
        return f"what happens {topic[:1].lower()}{topic[1:]}"
    # "Talk me through investigation" reads as broken English (found in independent review):
    # a heading naming a thing takes "the"; one naming an action ("Preparing the audit") not.
    if not words or words[0].lower().endswith("ing") or words[0].lower() in ("the", "a", "an"):
        return topic
    return f"the {topic}"


def _points(section: Section, book: RoleBook) -> list[Sentence]:
    """Sentences that say who does what or what must be done, as short as a point can be."""
    chosen: list[Sentence] = []
    for sentence in section_sentences(section):
        text = without_parentheses(sentence.text)
        if len(text) > _POINT_CHARS or len(text.split()) < 5 or _NOT_A_POINT.search(text):
            continue
        # Bullets are examples and options more often than things one does, and a numbered
        # list of things ("status of actions from previous reviews") is no list of steps:
        # asked "step by step" in independent review.
        if sentence.block.kind is BlockKind.LIST_ITEM and not (
            _step(sentence) and (_an_action(sentence) or _says_who_does(text, book))
        ):
            continue
        if _GAP.search(text) or _POINTS_BACK.search(text):
            continue
        # "The Head of Engineering may approve a simulated test": what is allowed is no point
        # an auditor expects to hear, and it took the place of the rules (independent review).
        if _ALLOWED.search(text):
            continue
        if (
            _step(sentence)
            or _says_who_does(text, book)
            or _ACTION.search(text)
            or _imperative(text)
        ) and _phrasings(sentence, book):
            chosen.append(sentence)
    return chosen


def _ranked(points: list[Sentence], book: RoleBook) -> list[Sentence]:
    """The points an auditor checks first, a time, a record or a "must not", in the section's
    order. Found in independent review: the first four sentences of a section missed the
    1-hour reporting limit and the stop-work rules."""
    ranked = _distinct(sorted(points, key=lambda s: -_weight(s.text, book)))[:_MAX_POINTS]
    return [s for s in points if s in ranked]


def _weight(text: str, book: RoleBook) -> int:
    # A rule ("shall", "at least one independent reviewer", "approved by") outweighs what is
    # only described ("Reviewers record comments in the pack"), which in independent review
    # took the place of the rules an auditor asks about.
    return (
        2 * bool(limits_in(text))
        + bool(FORM_CODE.search(text))
        + bool(_FORBIDS.search(text))
        + bool(book.mentioned_in(text))
        + bool(_ACTION.search(text))
        + bool(_STRICT.search(text))
    )


def _distinct(points: list[Sentence]) -> list[Sentence]:
    """Points without a second one on the same time: "RMA numbers are valid for 30 days" and
    "RMAs with no goods received after 30 days are cancelled" make one point twice."""
    kept: list[Sentence] = []
    seen: set[str] = set()
    for point in points:
        times = {str(limit.days) for limit in limits_in(point.text)}
        if times & seen:
            continue
        seen |= times
        kept.append(point)
    return kept


def _step(sentence: Sentence) -> bool:
    marker = sentence.block.marker or ""
    return sentence.block.depth == 0 and (
        marker.isdigit() or (len(marker) == 1 and marker.isalpha())
    )


def _says_who_does(text: str, book: RoleBook) -> bool:
    subject = book.pattern.match(strip_article(text))
    if subject is None:
        return False
    rest = strip_article(text)[subject.end() :].split()
    return bool(rest) and (rest[0].lower() in _MODALS or present_verb(rest[0]) is not None)


def _an_action(sentence: Sentence) -> bool:
    """An order, or a numbered step written as one ("Soak up the liquid"): capitalised, and not
    a thing ("status of actions", "All finished batches")."""
    if _imperative(sentence.text):
        return True
    first = sentence.text.split()[0] if sentence.text.split() else ""
    return (
        _step(sentence)
        and first[:1].isupper()
        and first.lower() not in (*_DETERMINERS, "all", "full", "any", "no")
        and not _ACTION.search(sentence.text)
    )


def _imperative(text: str) -> bool:
    return is_duty_verb(text.split()[0])


def _phrasings(point: Sentence, book: RoleBook) -> list[str]:
    """Up to three short pieces of the sentence, 2 to 6 words, that a right reply would say:
    what is done ("inform the Head of CSC") first, then the names it uses ("Incident ticket").
    """
    text = without_parentheses(point.text).rstrip(" .")
    times = [limit.phrase().lower() for limit in limits_in(text)]
    # "Sample sizes: tests on at least 3 units": the label says what the point is about, and
    # alone matches any reply.
    text = _LABELLED.sub("", text)
    pieces: list[str] = []
    words = text.split()
    for index, word in enumerate(words):
        bare = word.lower().strip(",;:")
        after_modal = index > 0 and words[index - 1].lower() in _MODALS and bare != "be"
        verb = is_duty_verb_form(bare) or _participle(bare)
        # A numbered step starts with what to do, unless it starts with who does it.
        verb = verb or (
            index == 0
            and _step(point)
            and bare not in _DETERMINERS
            and not book.pattern.match(text)
        )
        # "the report facilitates": after an article, "report" is a noun; so is "Test" inside a
        # name ("Final Test Specification").
        noun = index > 0 and (
            words[index - 1].lower() in _DETERMINERS
            or (word[:1].isupper() and words[index - 1][:1].isupper())
        )
        if (not verb and not after_modal) or noun or bare in ("is", "are", "has", "have"):
            continue
        chunk = _VERB_CHUNK_STOP.split(" ".join(words[index:]) + " ")[0].split()
        # Up to the first preposition once the verb has its object: "inform the Head of CSC".
        end = next(
            (i for i, w in enumerate(chunk) if i >= 2 and w.lower() in _TRAILING and
             w.lower() not in ("and", "or") and
             not (w.lower() == "of" and chunk[i - 1][:1].isupper())),
            len(chunk),
        )  # fmt: skip
        chunk = chunk[:end]
        while chunk and chunk[-1].lower() in _TRAILING:
            chunk.pop()
        if len(chunk) >= 4 and chunk[-2].lower() in ("and", "or") and is_duty_verb(chunk[-1]):
            chunk = chunk[:-2]  # "Stop the line and inform": "Stop the line"
        # "For each job", "On completion": a phrase opening on a preposition fits any reply.
        if chunk and chunk[0].lower() in (*_TRAILING, "not", "no"):
            continue
        if 2 <= len(chunk) <= 6 and chunk[-1].lower() not in _UNFINISHED:
            pieces.append(" ".join(chunk))
    # A role's name alone, or a verb with nothing it is done to ("carry out"), is said by
    # almost any reply: in independent review such phrasings passed replies that missed the
    # point.
    pieces = [
        p
        for p in pieces
        if _names_a_thing(p, book) and not _VAGUE_PIECE.search(p) and not _stops_short(p, book)
    ]
    # A time or a form's code is what a right reply can't say by chance: "24 hours", "HS-F-122".
    pieces = [*times, *FORM_CODE.findall(text), *pieces]
    chosen: list[str] = []
    for piece in pieces:
        piece = piece.strip("“”\"'")
        if len(piece) >= 2 and not any(piece.casefold() in c.casefold() for c in chosen):
            chosen.append(piece)
    # "F-PUR-011" beside "recorded on F-PUR-011", or "every year" beside what is done: alone,
    # they credit any reply that names the form or the cycle, which a blind reviewer found too
    # weak to grade an answer.
    said = [c for c in chosen if not _bare_name(c, chosen)]
    return (said or chosen)[:3]


def _bare_name(piece: str, chosen: list[str]) -> bool:
    inside_another = any(piece != c and piece.casefold() in c.casefold() for c in chosen)
    cycle_only = not re.search(r"\d", piece) and bool(limits_in(piece))
    return inside_another or (cycle_only and len(chosen) > 1)


def _stops_short(piece: str, book: RoleBook) -> bool:
    """ "Customer Service checks", "Data is restored", "Users may restore": who or what, and a
    verb, without what is done; a blind reviewer found such phrasings meaningless."""
    words = [w.lower().strip(",;:") for w in piece.split()]
    if len(words) < 2:
        return False
    last = words[-1]
    # "… and inform", "… the requester confirms", "… quoting": a verb left waiting for its object.
    if (
        (words[-2] in ("and", "or") and is_duty_verb(last))
        or (last.endswith("s") and (is_duty_verb(last[:-1]) or last in _VERBS_ENDING_SENTENCES))
        or (last.endswith("ing") and is_duty_verb_form(last[:-3] + "e"))
        or (last.endswith("ing") and is_duty_verb_form(last[:-3]))
    ):
        return True
    # "Check the gauge label", "carry out a test" say what is done, whatever they end on.
    if is_duty_verb(words[0]) and words[1] in (*_DETERMINERS, *_PARTICLES, "all"):
        return False
    if any(w in ("is", "are", "may", "can", "will", "be") for w in words[1:]):
        return True
    return (
        _participle(last)
        or last in _MODALS
        or last in _IRREGULAR_PARTICIPLES
        or (last.endswith("s") and (is_duty_verb_form(last) or last in _VERBS_ENDING_SENTENCES))
    )


def _names_a_thing(piece: str, book: RoleBook) -> bool:
    words = content_words(book.pattern.sub(" ", piece)) - _PARTICLES
    return any(not is_duty_verb_form(w) and not _participle(w) for w in words)


# "carry out", "follow up": a verb's own particle is no thing it is done to.
_PARTICLES = frozenset(["out", "up", "off", "on", "in", "over", "back", "down"])


def _participle(word: str) -> bool:
    if not word.endswith("ed") or len(word) < 5:
        return False
    return any(is_duty_verb(stem) for stem in (word[:-1], word[:-2], word[:-3]))


_DETERMINERS = frozenset(["the", "a", "an", "this", "each", "any", "every", "its", "their"])
# Words a phrase can't end on: it would stop before the thing it is about.
_UNFINISHED = frozenset(
    ["relative", "related", "regarding", "including", "such", "defining", "implementing", "e.g."]
)
_MODALS = frozenset(["shall", "must", "will", "should"])
_VERBS_ENDING_SENTENCES = frozenset(["requires", "confirms", "decides", "agrees", "ensures"])
_IRREGULAR_PARTICIPLES = frozenset(["used", "sent", "kept", "done", "given", "made", "held", "set"])
_TRAILING = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "for",
        "in",
        "on",
        "with",
        "by",
        "and",
        "or",
        "as",
        "at",
        "from",
        "any",
        "all",
        "its",
        "their",
        "via",
        "using",
        "into",
        "over",
        "after",
        "before",
        "during",
        "against",
        "until",
        "under",
        "without",
    ]
)
