"""Departments: declared in one place, then every roster name is checked against them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DEPARTMENTS_FILE = "departments.txt"
SETTING = "AUDITREADY_DEPARTMENTS"
MAX_LENGTH = 80
# Control and format characters (bidi overrides, zero-width spaces) and line breaks hide or
# reorder text; < and > open Slack's control sequences (<!channel>, <@U123>, <#C1>).
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


class DepartmentsError(Exception):
    """The departments are not declared, or a declared name is refused; nothing was imported."""


@dataclass(frozen=True)
class Departments:
    """The declared department names, and where they were declared."""

    by_key: Mapping[str, str]
    source: str

    @property
    def names(self) -> list[str]:
        return list(self.by_key.values())

    def declared(self, text: str) -> str | None:
        """The declared spelling of `text`, or None when no such department is declared."""
        return self.by_key.get(department_key(text))


def department_key(text: str) -> str:
    """What two spellings of one department share: case folded, runs of spaces collapsed."""
    return " ".join(text.split()).casefold()


def unsafe_text(text: str) -> bool:
    """Whether Slack could read `text` as a control sequence, or it hides characters."""
    return any(c in "<>" or unicodedata.category(c) in _UNSAFE_CATEGORIES for c in text)


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a department, or None when it can."""
    if not name.strip():
        return "is blank"
    if unsafe_text(name):
        return "holds Slack markup or control characters (< > or invisible characters)"
    if len(name.strip()) > MAX_LENGTH:
        return f"is longer than {MAX_LENGTH} characters"
    return None


def declare_departments(names: Iterable[str], *, source: str = SETTING) -> Departments:
    """Departments from a list of names; DepartmentsError names the first one refused."""
    return _declare(((None, name) for name in names), source=source)


def _declare(names: Iterable[tuple[int | None, str]], *, source: str) -> Departments:
    by_key: dict[str, str] = {}
    for line, name in names:
        problem = name_problem(name)
        if problem is not None:
            where = source if line is None else f"{source} line {line}"
            raise DepartmentsError(f"{where}: department {name!r} {problem}")
        by_key.setdefault(department_key(name), " ".join(name.split()))
    if not by_key:
        raise DepartmentsError(f"{source} declares no departments")
    return Departments(by_key=by_key, source=source)


def load_departments(*, roster: Path, setting: Sequence[str] | None) -> Departments:
    """The setting's departments when set, else those in departments.txt beside the roster."""
    if setting is not None:
        return declare_departments(setting, source=SETTING)
    path = roster.parent / DEPARTMENTS_FILE
    if not path.exists():
        raise DepartmentsError(
            f"no departments are declared: list them one per line in {path}, "
            f"or set {SETTING} to a comma-separated list (e.g. Production,Warehouse,Quality)"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DepartmentsError(f"{path}: cannot be read: {error}") from error
    # Whole-line comments only: a department may be called "Line #2".
    lines = [
        (number, line)
        # Only newlines end a line, so a stray control character is refused, not split on.
        for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return _declare(lines, source=str(path))
