from __future__ import annotations

from pathlib import Path

import pytest

from questions.loader import BankError, check_bank, load_bank, sample_bank_path

GOOD = """\
procedure:
  id: QP-08
  title: Control of nonconforming output
  revision: "C"
  owner: Quality Manager
  clauses: ["ISO 9001:2015 8.7"]
  audience:
    departments: [Production]
  document: https://intranet.example/QP-08
questions:
  - id: QP-08-001
    kind: single
    prompt: You find a damaged part. What first?
    options:
      a: Ship it anyway
      b: Tag it and move it to quarantine
    answer: b
    explanation: Quarantine stops it being used by mistake.
    section: "4.1"
"""

BAD = """\
procedure:
  id: QP-09
  title: Handling
  revision: 2
  owner: Quality Manager
  clauses: ["ISO 9001 8.7"]
  audience:
    departments: ["@channel<!>"]
  document: somewhere
questions:
  - id: QP-09-001
    kind: single
    prompt: Which?
    options:
      a: One
      b: Two
      c: Three
    answer: d
    explanation: Because.
    section: "1"
    colour: red
  - id: QP-09-002
    kind: single
    prompt: Only one option
    options:
      a: Lonely
    answer: a
    explanation: x
    section: "2"
  - id: QP-08-001
    kind: multiple
    prompt: Duplicate id across files
    options:
      a: One
      b: Two
    answer: [a]
    explanation: x
    section: "3"
  - id: QP-09-004
    kind: single
    prompt: "%s"
    options:
      a: One
      b: Two
    answer: a
    explanation: x
    section: "4"
""" % ("A very long prompt. " * 40)


# An open question that draws no warnings: terse accepted replies, wrong claims, vocabulary used.
OPEN = """\
procedure:
  id: QP-08
  title: Control of nonconforming output
  revision: "C"
  owner: Quality Manager
  clauses: ["ISO 9001:2015 8.7"]
  document: https://intranet.example/QP-08
vocabulary:
  supervisor: [team leader, foreman]
questions:
  - id: QP-08-010
    kind: open
    stage: problems
    prompt: You find a part that doesn't meet the drawing. What do you do?
    key_points:
      - point: Tag it as nonconforming
        phrasings: [red tag, label it as reject]
        accept: [tag it]
      - point: Keep it apart in quarantine
        phrasings: [quarantine, put it in the reject bin]
        accept: [quarantine it]
      - point: Tell the supervisor or Quality
        phrasings: [tell my supervisor, raise an NCR]
        accept: [tell the foreman]
    pass_mark: 2
    contradicts: [ship it anyway, fix it myself]
    explanation: Tag it, quarantine it and tell your supervisor, who decides.
    section: "4.1"
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_sample_bank_is_valid_and_large_enough() -> None:
    bank = load_bank(sample_bank_path())
    assert len(bank.files) >= 8
    assert bank.question_count >= 60
    for _, bank_file in bank.files:
        for question in bank_file.questions:
            assert question.id.startswith(bank_file.procedure.id + "-")


def test_sample_bank_covers_the_clause_7_3_awareness_items_in_all_four_standards() -> None:
    bank = load_bank(sample_bank_path())
    clauses = {
        c for _, f in bank.files for q in f.questions for c in (q.clauses or f.procedure.clauses)
    }
    for standard in ("ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018", "ISO/IEC 27001:2022"):
        assert f"{standard} 7.3" in clauses


def test_every_problem_is_listed_with_file_question_and_field(tmp_path: Path) -> None:
    write(tmp_path, "qp-08.yaml", GOOD)
    bad = write(tmp_path, "qp-09.yaml", BAD)
    problems = [str(p) for p in check_bank(tmp_path)]
    expected = [
        f"{bad}: procedure.clauses: clause 'ISO 9001 8.7' is malformed",
        f"{bad}: procedure.audience.departments: department '@channel<!>' is malformed",
        f"{bad}: question QP-09-001: answer: names option 'd', but only a, b, c exist",
        f"{bad}: question QP-09-001: unknown field 'colour'",
        f"{bad}: question QP-09-002: options: a single question needs at least two options",
        f"{bad}: question QP-09-004: prompt: is 800 characters; at most 700 fit Slack's limits",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


def test_duplicate_ids_across_files_name_both_files(tmp_path: Path) -> None:
    write(tmp_path, "qp-08.yaml", GOOD)
    other = write(tmp_path, "qp-10.yaml", GOOD.replace("id: QP-08\n", "id: QP-10\n"))
    problems = [str(p) for p in check_bank(tmp_path)]
    assert (
        f"{other}: question QP-08-001: id: is also used in qp-08.yaml; ids must be unique"
        in problems
    )


def test_text_over_slacks_section_limit_is_reported(tmp_path: Path) -> None:
    # Each & becomes &amp; in mrkdwn, so a prompt within its own limit can still overflow.
    long = GOOD.replace("prompt: You find a damaged part. What first?", f'prompt: "{"&" * 650}"')
    path = write(tmp_path, "qp-08.yaml", long)
    problems = [str(p) for p in check_bank(tmp_path)]
    assert any(p.startswith(f"{path}: question QP-08-001: prompt: renders to 3") for p in problems)


def test_an_explanation_full_of_escaped_characters_is_reported(tmp_path: Path) -> None:
    long = GOOD.replace(
        "explanation: Quarantine stops it being used by mistake.",
        f'explanation: "{"<" * 800}"',
    )
    path = write(tmp_path, "qp-08.yaml", long)
    problems = [str(p) for p in check_bank(tmp_path)]
    assert any(
        p.startswith(f"{path}: question QP-08-001: explanation: renders to 3200") for p in problems
    )


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "qp-08.yaml", GOOD + "  - id: [unclosed\n")
    (problem,) = check_bank(tmp_path)
    assert str(problem).startswith(f"{path}: line ")
    assert "not valid YAML" in str(problem)


def test_load_bank_refuses_a_bank_with_problems(tmp_path: Path) -> None:
    write(tmp_path, "qp-09.yaml", BAD)
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    assert len(caught.value.problems) >= 5


def test_an_empty_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (problem,) = check_bank(tmp_path)
    assert "holds no .yaml question files" in str(problem)


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("true_false", "    options: {a: x, b: y}\n    answer: true\n", "takes no options"),
        ("true_false", "    answer: b\n", "answer is true or false"),
        ("multiple", "    options: {a: x, b: y}\n    answer: a\n", "list of option keys"),
        ("single", "    options: {a: x, b: y}\n    answer: [a]\n", "one option key"),
        ("single", "    options: {A: x, b: y}\n    answer: b\n", "single letters"),
    ],
)
def test_kind_rules(tmp_path: Path, kind: str, extra: str, message: str) -> None:
    text = GOOD.split("  - id:")[0] + (
        f"  - id: QP-08-001\n    kind: {kind}\n    prompt: P\n{extra}"
        "    explanation: E\n    section: '1'\n"
    )
    write(tmp_path, "qp-08.yaml", text)
    problems = [str(p) for p in check_bank(tmp_path)]
    assert any(message in p and "QP-08-001" in p for p in problems), problems


def open_question(old: str, new: str) -> str:
    """OPEN with one of its lines changed."""
    assert old in OPEN, old
    return OPEN.replace(old, new)


def test_the_open_question_example_is_valid(tmp_path: Path) -> None:
    write(tmp_path, "qp-08.yaml", OPEN)
    assert check_bank(tmp_path) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    contradicts: [ship it anyway, fix it myself]",
            "    contradicts: [ship it anyway, Ship it anyway]",
            "question QP-08-010: contradicts: a contradicting phrasing is listed twice: "
            "'Ship it anyway'",
        ),
        (
            "        phrasings: [red tag, label it as reject]",
            "        phrasings: [red tag, Red Tag]",
            'question QP-08-010: key point 1 ("Tag it as nonconforming"): phrasings: '
            "a phrasing is listed twice: 'Red Tag'",
        ),
        (
            "        accept: [quarantine it]",
            "        accept: [quarantine it, quarantine it]",
            'question QP-08-010: key point 2 ("Keep it apart in quarantine"): accept: '
            "a phrasing is listed twice: 'quarantine it'",
        ),
        (
            "  supervisor: [team leader, foreman]",
            "  supervisor: [team leader, lead]\n  manager: [lead]",
            "vocabulary: 'lead' is under both 'supervisor' and 'manager'",
        ),
        (
            "  supervisor: [team leader, foreman]",
            "  supervisor: []",
            "vocabulary: 'supervisor' lists no words that mean the same",
        ),
        (
            "  supervisor: [team leader, foreman]",
            "  supervisor: [foreman, Foreman]",
            "vocabulary: 'Foreman' is listed twice under 'supervisor'",
        ),
        (
            "        accept: [tag it]",
            "        acept: [tag it]",
            "question QP-08-010: key point 1 (\"Tag it as nonconforming\"): unknown field 'acept'",
        ),
        (
            "      - point: Tell the supervisor or Quality\n",
            "      - phrasings: [ask]\n",
            "question QP-08-010: key point 3: point: is missing",
        ),
    ],
)
def test_problems_in_open_question_fields_name_the_place(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = write(tmp_path, "qp-08.yaml", open_question(old, new))
    problems = [str(p) for p in check_bank(tmp_path)]
    assert f"{path}: {expected}" in problems, problems


def test_contradicts_on_a_closed_question_names_file_and_question(tmp_path: Path) -> None:
    closed = GOOD.replace("    answer: b\n", "    answer: b\n    contradicts: [ship it anyway]\n")
    path = write(tmp_path, "qp-08.yaml", closed)
    assert [str(p) for p in check_bank(tmp_path)] == [
        f"{path}: question QP-08-001: contradicts: only open questions have contradicting phrasings"
    ]


def test_accept_forms_on_a_closed_question_are_refused(tmp_path: Path) -> None:
    closed = GOOD.replace(
        "    answer: b\n",
        "    answer: b\n    key_points:\n      - point: Tag it\n"
        "        phrasings: [red tag]\n        accept: [tag it]\n",
    )
    path = write(tmp_path, "qp-08.yaml", closed)
    assert [str(p) for p in check_bank(tmp_path)] == [
        f"{path}: question QP-08-001: key_points: only open questions have key points and a "
        "pass_mark"
    ]
