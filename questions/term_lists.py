"""Whether a reply is a list of terms rather than statements of what the person does.

"red tag, quarantine, supervisor" names the right things and says nothing; an auditor who hears
it asks again, so it is unsure at best, and a long one ("OTIF, scrap rate, energy per machine
hour, LTI, KPI board") is a recital that fails. Clipped sentences that keep their small words
("rags in the red drum, tell my supervisor") are someone saying what they do. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

from questions.clauses import AUXILIARIES, DETERMINERS, LINKS, OBJECTS, OPENERS
from questions.key_points import PointMatch
from questions.phrase_matching import Candidate, Reply
from questions.reply_words import Word

# A reply of more items than the pass mark and one, each of at most this many meaningful words,
# with no subject or auxiliary anywhere, is a list ("tag it, quarantine, tell QA" is not).
TELEGRAM_WORDS = 3
# A list this many items longer than the pass mark asks for fails rather than going to a person:
# an auditor who hears four bare terms for two points hears a recital.
DUMP_EXTRA = 2
# Words a person saying what they do keeps, and a dump of terms drops.
SMALL_WORDS = DETERMINERS | LINKS | OBJECTS


def only_listed(
    reply: Reply,
    points: Sequence[PointMatch],
    candidates: Sequence[Candidate],
    pass_mark: int,
) -> bool:
    """A bare list of terms: nothing stated, and more items than asked for, or items not in
    accepted words. Naming just the accepted short replies is a terse answer, not a list."""
    if _telegraphic(reply, pass_mark):
        return True
    if reply.states_anything or said_in_words(reply):
        return False
    met = {i for i, p in enumerate(points) if p.matched}
    named = sum(p.matched or p.uncertain for p in points)
    accepted = {c.point for c in candidates if c.accepted and not c.negated}
    return max(named, len(_items(reply))) > pass_mark or not met <= accepted


def dump_of_terms(reply: Reply, pass_mark: int) -> bool:
    """A list of terms two or more longer than the pass mark asks for fails: it recites
    words ("OTIF, scrap rate, energy per machine hour, LTI, KPI board") and says nothing."""
    dumped = len(_items(reply)) >= pass_mark + DUMP_EXTRA
    return dumped and not (reply.states_anything or said_in_words(reply))


def _items(reply: Reply) -> list[list[Word]]:
    found = [[w for w in reply.words[c.first : c.last + 1] if w.meaningful] for c in reply.clauses]
    return [item for item in found if item]


def _telegraphic(reply: Reply, pass_mark: int) -> bool:
    """Many short items with no subject or auxiliary anywhere are a list, even where an item
    could be an order: "containment, block sender, reset account, lock device, no-blame"."""
    items = _items(reply)
    short = all(len(item) <= TELEGRAM_WORDS for item in items)
    bare = not any(c.has_subject for c in reply.clauses) and not any(
        w.plain in (AUXILIARIES - {"do", "does"}) | OPENERS  # "do not use label" is bare
        for w in reply.words
    )
    return short and bare and len(items) > pass_mark + 1 and not said_in_words(reply)


def said_in_words(reply: Reply) -> bool:
    """Most items keep their small words ("rags in the red drum", "tell my supervisor"):
    clipped sentences of someone saying what they do. A dump of terms drops them ("block
    sender, reset account, lock device")."""
    items = [
        reply.words[c.first : c.last + 1]
        for c in reply.clauses
        if any(w.meaningful for w in reply.words[c.first : c.last + 1])
    ]
    said = [i for i in items if any(w.plain in SMALL_WORDS for w in _after_first_meaningful(i))]
    return 2 * len(said) > len(items)


def _after_first_meaningful(words: Sequence[Word]) -> Sequence[Word]:
    first = next(n for n, w in enumerate(words) if w.meaningful)
    return words[first + 1 :]
