"""The roles a procedure names, which names mean the same role, and who stands in for whom.

A wrong option must be another role, not the right one under another name ("QMO" and "Quality
Management Officer"), nor its deputy, so every name a role goes by is kept with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from questions.documents.model import Block, BlockKind, ProcedureDocument
from questions.drafting.likeness import abbreviates
from questions.drafting.sentences import (
    clean,
    normalise,
    sentences,
    strip_article,
    upper_first,
    without_parentheses,
)

_TITLES = (
    "Manager|Officer|Engineer|Supervisor|Director|Lead|Leader|Owner|Representative|Team|"
    "Administrator|Coordinator|Co-ordinator|Auditor|Inspector|Technician|Operator|Controller|"
    "Committee|Board|Champion|Chair|Analyst|Developer|Specialist|Assistant|Clerk|Planner|"
    "Buyer|Storekeeper|Foreman|Chargehand|Scientist|Controller|Desk|Forum|Council|Department"
)
_TITLE_WORD = re.compile(rf"\b(?:{_TITLES})s?\b|\bHead of\b", re.IGNORECASE)
# A word of a name that is not itself a title, so "Plant Manager and Environmental Coordinator"
# stays two roles while "Quality & Compliance Manager" is one.
_NAME_WORD = rf"(?!(?:{_TITLES})s?\b)[A-Z][\w-]*"
_TITLED = re.compile(
    rf"\b(?:Head of(?: the)? [A-Z][\w&-]*(?: [A-Z][\w&-]*)*"
    rf"|{_NAME_WORD}(?: {_NAME_WORD})? (?:and|&) (?:[A-Z][\w-]*\s+){{0,2}}(?:{_TITLES})s?"
    rf"|(?:[A-Z][\w&-]*\s+){{0,4}}(?:{_TITLES})s?"
    rf"|Senior Management|Top Management|Senior Leadership)\b"
)
_DEFINED_ACRONYM = re.compile(r"^\s*(?:[\d.]+\s+)?([A-Z][A-Z&]{1,7})\s*(?:[–—:=]|-(?=\s))\s*")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z]{1,7})\)")
_NOT_A_ROLE_START = re.compile(r"^(any|all|each|every|other|our|their|its|this|that)\b", re.I)
_DELEGATION = re.compile(
    r"delegat|behalf|\bstead\b|deput|designee|in (?:the|their|his|her) absence|not available",
    re.IGNORECASE,
)
_ROLE_FOLLOWER = re.compile(
    r"\s*(?:$|[^\w\s]|(?:shall|must|will|should|may|can|is|are|has|have|and|or|of|for|to|by"
    r"|with|in|on|at|from|who|as)\b|\w+(?:s|ed)\b)"
)
_RESPONSIBLE = re.compile(
    r"^(?P<who>(?:the\s+)?[A-Za-z][\w-]*(?:\s[A-Za-z][\w-]*){0,3}?)\s+(?:is|are)\s+"
    r"(?:also\s+)?(?:responsible|accountable)\s+for\b",
    re.IGNORECASE,
)
_AMBIGUOUS_TITLES = frozenset(
    ["lead", "team", "board", "desk", "forum", "council", "department", "chair", "owner"]
)
_MEMBERS = re.compile(r"\bmembers?\b|consists? of|made up of|comprises|\binclude", re.I)
_STOP = frozenset({"of", "the", "and", "a", "an", "for"})


@dataclass(frozen=True)
class Role:
    """A role as the document first writes it, with every name it also goes by (normalised)."""

    name: str
    names: frozenset[str]
    from_table: bool


def _key(name: str) -> str:
    key = normalise(strip_article(name))
    return re.sub(r"(?<=\w)s$", "", key) if len(key) > 4 else key


def _tokens(name: str) -> frozenset[str]:
    return frozenset(w for w in _key(name).split() if w not in _STOP)


def _alike(a: str, b: str) -> bool:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    if ta <= tb or tb <= ta or len(ta & tb) >= 2 or fuzz.ratio(_key(a), _key(b)) >= 90:
        return True
    # "Head of Department" may be the head of any department the document names.
    generic = re.compile(r"^head of (?:the )?(?:department|team|unit|function|area|service)$")
    heads = [k for k in (_key(a), _key(b)) if k.startswith("head of")]
    return len(heads) == 2 and any(generic.match(k) for k in heads)


class RoleBook:
    """The roles of one document, found in its role tables, definitions and sentences."""

    def __init__(self, document: ProcedureDocument) -> None:
        acronyms = _acronyms(document)
        found: list[tuple[str, set[str], bool]] = []
        for name, aliases in _table_roles(document):
            found.append((name, aliases, True))
        for name, aliases in _text_roles(document, acronyms):
            found.append((name, aliases, False))
        roles: list[Role] = []
        for name, aliases, from_table in found:
            names = {_key(n) for n in {name, *aliases} if _key(n)}
            names |= {_key(acronyms[n]) for n in {name, *aliases} if n in acronyms}
            names |= {_key(a) for a, full in acronyms.items() if _key(full) in names}
            for part in re.split(r"\s*/\s*|\s+or\s+", name):
                names.add(_key(part))
            # "Site Technical Manager (owner)" is the Site Technical Manager the text names.
            names.add(_key(without_parentheses(name)))
            match = next((r for r in roles if r.names & names), None)
            if match is None:
                roles.append(Role(clean(name), frozenset(names), from_table))
            else:
                merged = Role(match.name, match.names | names, match.from_table or from_table)
                roles[roles.index(match)] = merged
        self.roles: tuple[Role, ...] = tuple(roles)
        all_names = sorted({n for r in roles for n in r.names}, key=len, reverse=True)
        alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in all_names if n)
        self.pattern = re.compile(rf"\b(?:{alternation or '(?!)'})s?\b", re.IGNORECASE)
        self._stand_ins = _stand_ins(document, self)

    def spelt_out(self, text: str) -> str:
        """ "Who deputises for STM?" → "Who deputises for the Site Technical Manager?": an
        acronym of a role the document never spells out meant nothing to a blind reviewer.
        Acronyms the document names a role by ("QMO" in its roles table) stay."""

        def spell(match: re.Match[str]) -> str:
            acronym = match[0]
            if _key(acronym) in {_key(r.name) for r in self.roles}:
                return acronym
            whole = [r for r in self.roles if abbreviates(acronym, without_parentheses(r.name))]
            if len(whole) != 1:
                return acronym
            name = without_parentheses(whole[0].name)
            before = text[: match.start()].rstrip().lower()
            return name if before.endswith(("the", "a", "an")) else f"the {name}"

        return re.sub(r"\b[A-Z]{2,6}\b", spell, text)

    def find(self, text: str) -> Role | None:
        key = _key(text)
        exact = next((r for r in self.roles if key in r.names), None)
        if exact is not None:
            return exact
        return next((r for r in self.roles if any(_alike(key, n) for n in r.names)), None)

    def mentioned_in(self, text: str) -> list[Role]:
        """The roles a text names, in the order it names them."""
        seen: list[Role] = []
        for match in self.pattern.finditer(normalise(text)):
            role = self.find(match.group(0))
            if role is not None and role not in seen:
                seen.append(role)
        return seen

    def same(self, a: str, b: str) -> bool:
        """Whether two names may mean one role: a shared name, or one name inside the other."""
        role_a, role_b = self.find(a), self.find(b)
        if role_a is not None and role_a is role_b:
            return True
        names_a = role_a.names if role_a else frozenset({_key(a)})
        names_b = role_b.names if role_b else frozenset({_key(b)})
        return any(_alike(x, y) for x in names_a for y in names_b)

    def linked(self, a: str, b: str) -> bool:
        """The same role, or one stands in for the other."""
        if self.same(a, b):
            return True
        role_a, role_b = self.find(a), self.find(b)
        return (
            role_a is not None
            and role_b is not None
            and {role_a.name, role_b.name} in [set(pair) for pair in self._stand_ins]
        )


def _acronyms(document: ProcedureDocument) -> dict[str, str]:
    found: dict[str, str] = {}
    for section in document.sections:
        for block in section.blocks:
            if block.kind is not BlockKind.TABLE or len(block.rows) < 2:
                continue
            header = [normalise(c) for c in block.rows[0]]
            if len(header) >= 2 and re.match(r"acronym|abbreviation|term", header[0]):
                for row in block.rows[1:]:
                    if len(row) >= 2 and clean(row[0]) and clean(row[1]):
                        found[clean(row[0])] = clean(row[1])
    for sentence in sentences(document):
        for match in _TITLED.finditer(sentence.text):
            after = _ACRONYM_AFTER.match(sentence.text, match.end())
            if after:
                found.setdefault(after.group(1), match.group(0))
        # A definition: "CSIRT – Computer Security Incident Response Team, convened for …".
        defined = _DEFINED_ACRONYM.match(sentence.text)
        if defined and (full := _TITLED.match(sentence.text, defined.end())):
            found.setdefault(defined.group(1), full.group(0))
    return found


def role_tables(document: ProcedureDocument) -> list[tuple[int, int | None, list[int], Block]]:
    """Each responsibilities table: its role column, its duty column, other columns, block."""
    tables: list[tuple[int, int | None, list[int], Block]] = []
    for section in document.sections:
        for block in section.blocks:
            if block.kind is not BlockKind.TABLE or len(block.rows) < 2:
                continue
            header = [normalise(c) for c in block.rows[0]]
            role_col = next((i for i, h in enumerate(header) if re.fullmatch(r"roles?", h)), None)
            if role_col is None:
                continue
            duty_col = next(
                (i for i, h in enumerate(header) if re.search(r"responsib|dut|task|authorit", h)),
                None,
            )
            others = [i for i in range(len(header)) if i not in (role_col, duty_col)]
            tables.append((role_col, duty_col, others, block))
    return tables


def _table_roles(document: ProcedureDocument) -> list[tuple[str, set[str]]]:
    found = []
    for role_col, _duty_col, others, block in role_tables(document):
        for row in block.rows[1:]:
            if role_col >= len(row) or not clean(row[role_col]):
                continue
            aliases = {clean(row[i]) for i in others if i < len(row) and _TITLE_WORD.search(row[i])}
            found.append((clean(row[role_col]), aliases))
    return found


def _text_roles(
    document: ProcedureDocument, acronyms: dict[str, str]
) -> list[tuple[str, set[str]]]:
    found: list[tuple[str, set[str]]] = []
    for acronym, full in acronyms.items():
        # "QMO | Quality Management Officer" names a role; "Immutable backup | A copy that no
        # one, administrators included, can change" only mentions one in its definition.
        named = _TITLED.match(strip_article(full))
        if named and len(full.split()) <= len(named.group(0).split()) + 2:
            found.append((acronym, {full}))
    for sentence in sentences(document):
        # "Data owners are responsible for …": whoever a duty is given to is a role, titled
        # or not.
        if (named := _RESPONSIBLE.match(sentence.text)) and not _TITLED.match(named["who"]):
            name = strip_article(named["who"])
            if not _NOT_A_ROLE_START.match(name) and len(name.split()) <= 4:
                found.append((upper_first(name), set()))
        for match in _TITLED.finditer(sentence.text):
            name = strip_article(match.group(0))
            if _NOT_A_ROLE_START.match(name) or len(name.split()) > 6:
                continue
            # "Lead is not used on site": one title word that is also a thing, capitalised
            # only to start the sentence (a metal offered as a role on a blind test set).
            if match.start() == 0 and name.lower() in _AMBIGUOUS_TITLES:
                continue
            # "a Red Team exercise": a title followed by a noun names a thing, not a role.
            if not _ROLE_FOLLOWER.match(sentence.text[match.end() :]):
                continue
            after = _ACRONYM_AFTER.match(sentence.text, match.end())
            aliases = {after.group(1)} if after else set()
            # "Security and Privacy Officer" is also "Security Officer" and "Privacy Officer".
            shared = re.match(r"^(\S+) (?:and|&) (\S+) (.+)$", name)
            if shared:
                aliases |= {
                    f"{shared.group(1)} {shared.group(3)}",
                    f"{shared.group(2)} {shared.group(3)}",
                }
            found.append((name, aliases))
    return found


def _stand_ins(document: ProcedureDocument, book: RoleBook) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    texts = [
        s.full
        for s in sentences(document)
        if _DELEGATION.search(s.text) or (s.lead_in and _MEMBERS.search(s.lead_in))
    ]
    for role_col, duty_col, _others, block in role_tables(document):
        for row in block.rows[1:]:
            if duty_col is not None and duty_col < len(row) and _DELEGATION.search(row[duty_col]):
                texts.append(f"{row[role_col]} {row[duty_col]}")
    for text in texts:
        named = book.mentioned_in(text)
        pairs += [(a.name, b.name) for a in named for b in named if a is not b]
    return pairs
