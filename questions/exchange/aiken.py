"""Reading Moodle's Aiken format into `single` bank questions.

The rules, as Moodle's Aiken documentation gives them:

- A question is its text (one line, or several, kept with their line breaks), then its
  options, one a line, each starting with a capital letter, `.` or `)` and a space
  (`A. Paris`, `B) Lyon`), then the answer line `ANSWER: B`.
- Blank lines between questions are allowed and not needed: a question ends at its ANSWER.
- Option `A` becomes option key `a`, and so on.

Reported by line and skipped: a question whose options are not followed by an ANSWER line,
options with no question text before them, an ANSWER line with no question, an ANSWER that
names no option, and an option letter given twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from questions.exchange.result import Candidate, Finding, Parsed
from questions.model import Kind

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*(.*)$")


@dataclass
class _Pending:
    """A question read up to its ANSWER line."""

    line: int
    prompt: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    problem: Finding | None = None


def parse_aiken(text: str) -> Parsed:
    """Every question of an Aiken file, and a report of what did not fit."""
    parsed = Parsed()
    pending: _Pending | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        pending = _read_line(pending, number, raw.strip(), parsed)
    if pending is not None:
        _no_answer(pending, parsed)
    return parsed


def _read_line(pending: _Pending | None, number: int, line: str, parsed: Parsed) -> _Pending | None:
    answer = _ANSWER.match(line)
    if answer is not None:
        _finish(pending, number, answer[1].strip(), parsed)
        return None
    option = _OPTION.match(line)
    if option is not None:
        return _add_option(pending or _Pending(number), number, option[1], option[2])
    if pending is not None and pending.options and line:
        _no_answer(pending, parsed)
        pending = None
    if not line:
        return pending
    if pending is None:
        return _Pending(number, [line])
    pending.prompt.append(line)
    return pending


def _add_option(pending: _Pending, number: int, letter: str, text: str) -> _Pending:
    key = letter.lower()
    if key in pending.options and pending.problem is None:
        pending.problem = Finding(number, f"option {letter} is given twice")
    pending.options[key] = text.strip()
    return pending


def _finish(pending: _Pending | None, number: int, letter: str, parsed: Parsed) -> None:
    if pending is None:
        parsed.skipped.append(Finding(number, "an ANSWER line with no question before it"))
        return
    problem = pending.problem or _answer_problem(pending, number, letter)
    if problem is not None:
        parsed.skipped.append(problem)
        return
    parsed.candidates.append(
        Candidate(
            line=pending.line,
            title=None,
            kind=Kind.SINGLE,
            prompt="\n".join(pending.prompt),
            options=pending.options,
            answer=letter.lower(),
        )
    )


def _answer_problem(pending: _Pending, number: int, letter: str) -> Finding | None:
    if not pending.prompt:
        return Finding(pending.line, "options with no question text before them")
    if not pending.options:
        return Finding(pending.line, "a question with no A. B. options before its ANSWER")
    if letter.lower() not in pending.options or not re.fullmatch("[A-Z]", letter):
        known = ", ".join(key.upper() for key in pending.options)
        return Finding(number, f"ANSWER: {letter} names none of the options {known}")
    return None


def _no_answer(pending: _Pending, parsed: Parsed) -> None:
    if pending.options or pending.prompt:
        parsed.skipped.append(Finding(pending.line, "a question with no ANSWER line"))
