from __future__ import annotations

from pathlib import Path

from questions.documents.reading import read_document


def _sections(tmp_path: Path, headings: str) -> list[tuple[str, str, bool]]:
    path = tmp_path / "doc.md"
    body = "\n\n".join(f"{line}\n\nText under it." for line in headings.strip().split("\n"))
    path.write_text(f"Document No: QP-01\n\n{body}\n", encoding="utf-8")
    document = read_document(path)
    return [(s.number, s.heading, s.numbered_by_document) for s in document.sections]


def test_numbered_headings_in_any_style(tmp_path: Path) -> None:
    found = _sections(
        tmp_path, "# 1 Purpose\n# 2. Scope\n# Section 3 – Procedure\n## 3.1. Steps\n## 3.2) Checks"
    )

    assert found == [
        ("1", "Purpose", True),
        ("2", "Scope", True),
        ("3", "Procedure", True),
        ("3.1", "Steps", True),
        ("3.2", "Checks", True),
    ]


def test_unnumbered_headings_are_numbered_by_their_level(tmp_path: Path) -> None:
    found = _sections(
        tmp_path, "# Purpose\n# Procedure\n## Receiving\n### Checks\n## Storing\n# Records"
    )

    assert [n for n, _, _ in found] == ["1", "2", "2.1", "2.1.1", "2.2", "3"]
    assert not any(by_document for _, _, by_document in found)


def test_steps_numbered_under_an_unnumbered_heading_take_its_number(tmp_path: Path) -> None:
    found = _sections(tmp_path, "## Purpose\n## Process steps\n### 1. Input\n### 2. Decision")

    assert found == [
        ("1", "Purpose", False),
        ("2", "Process steps", False),
        ("2.1", "Input", False),
        ("2.2", "Decision", False),
    ]


def test_numbers_that_would_repeat_give_way_to_places(tmp_path: Path) -> None:
    found = _sections(tmp_path, "## Purpose\n## Roles\n### 1. Before delivery\n## 2. Rework")

    assert [n for n, _, _ in found] == ["1", "2", "2.1", "3"]
    assert found[3][1] == "2. Rework"


def test_a_revision_history_placed_first_does_not_shift_the_numbers(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(
        "# Gauges\n\n## Document history\n\n| Issue | Date |\n|---|---|\n| 2 | 2024-01-01 |\n\n"
        "## Purpose\n\nText.\n\n## Scope\n\nText.\n",
        encoding="utf-8",
    )

    document = read_document(path)

    assert [(s.number, s.heading) for s in document.sections] == [("1", "Purpose"), ("2", "Scope")]
    assert document.revision == "2"
