"""The words of mock audit findings: people counted by role and department, never named.

Pure. Examples of each sentence are in `docs/mock-audit.md`, "What a finding says".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.domain.mock_audit.evidence import RequirementEvidence, TopicCell, unique


def evidence_text(requirement: RequirementEvidence) -> str:
    """One sentence per topic and department: who was sampled and what they could show."""
    return " ".join(_evidence_sentence(cell) for cell in requirement.cells)


def topics_text(requirement: RequirementEvidence) -> str:
    return "; ".join(unique(cell.topic for cell in requirement.cells))


def failure_sentences(requirement: RequirementEvidence) -> list[str]:
    """The statement of nonconformity: one sentence per department where someone failed."""
    return [_failure_sentence(cell) for cell in requirement.cells if cell.failed]


def observation_sentences(requirement: RequirementEvidence, min_answered: int) -> list[str]:
    """The statement of an observation: who was not available, and topics too few answered."""
    sentences = [_unavailable_sentence(cell) for cell in requirement.cells if cell.unavailable]
    answered = requirement.answered_by_topic()
    return sentences + [
        _thin_sentence(topic, answered[topic]) for topic in requirement.thin_topics(min_answered)
    ]


def weak_sentences(requirement: RequirementEvidence) -> list[str]:
    """The statement of an opportunity for improvement: where answers were weak."""
    return [_weak_sentence(cell) for cell in requirement.cells if cell.weak]


def _evidence_sentence(cell: TopicCell) -> str:
    could = f"{cell.passed} could describe it"
    if cell.weak:
        could += f" ({cell.weak} only weakly)"
    could_not = f"{cell.failed} could not"
    if cell.failed:
        could_not += _in_roles(cell.failed_roles)
    parts = [could, could_not]
    if cell.unavailable:
        parts.append(f"{count(cell.unavailable, 'was', 'were')} not available for interview")
    return (
        f"{cell.department}, {cell.topic}: {people(cell.sampled)} sampled"
        f"{_in_roles(cell.roles)}; {', '.join(parts)}."
    )


def _of_people(cell: TopicCell) -> str:
    return f"Of {people(cell.sampled)} sampled in {cell.department}{_in_roles(cell.roles)}"


def _failure_sentence(cell: TopicCell) -> str:
    sentence = f"{_of_people(cell)}, {cell.failed} could not describe {cell.topic}"
    if cell.unavailable:
        sentence += f" and {count(cell.unavailable, 'was', 'were')} not available for interview"
    return sentence + "."


def _unavailable_sentence(cell: TopicCell) -> str:
    were = count(cell.unavailable, "was", "were")
    return f"{_of_people(cell)}, {were} not available to be interviewed on {cell.topic}."


def _thin_sentence(topic: str, answered: int) -> str:
    if answered == 0:
        return f"Nobody sampled answered on {topic}."
    return f"Only {people(answered)} answered on {topic}, too few to show it is understood."


def _weak_sentence(cell: TopicCell) -> str:
    weak = count(cell.weak, "answer was", "answers were")
    return f"{_of_people(cell)}, all could describe {cell.topic}, but {weak} weak."


def people(n: int) -> str:
    return count(n, "person", "people")


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def and_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _in_roles(counts: dict[str | None, int]) -> str:
    """' (3 operators, 1 supervisor)', or nothing where people are counted without roles."""
    return f" ({_roles(counts)})" if counts else ""


def _roles(counts: dict[str | None, int]) -> str:
    """'3 operators, 2 supervisors, 1 engineer': most first, no role recorded last."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return ", ".join(_role_count(n, role) for role, n in ordered if n)


def _role_count(n: int, role: str | None) -> str:
    if role is None:
        return f"{n} with no role recorded"
    return f"{n} {role if n == 1 else _plural(role)}"


_UNCOUNTABLE = {"staff", "personnel"}


def _plural(role: str) -> str:
    head, of, tail = role.partition(" of ")
    if of:
        return f"{_plural(head)}{of}{tail}"
    last = role.rsplit(" ", 1)[-1].casefold()
    if last in _UNCOUNTABLE:
        return role
    if last.endswith(("s", "x", "z", "ch", "sh")):
        return role + "es"
    if re.search(r"[^aeiou]y$", last):
        return role[:-1] + "ies"
    return role + "s"
