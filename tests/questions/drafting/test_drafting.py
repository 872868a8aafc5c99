"""Drafts from the fictional procedures: right answers a reader would agree with, wrong options
that are really wrong, citations that are really in their section, and review bookkeeping.
"""

from __future__ import annotations

import re

import pytest

from questions.documents.model import BlockKind, ProcedureDocument, Section
from questions.drafting import draft_questions
from questions.drafting.roles import RoleBook
from questions.drafting.sentences import normalise
from questions.drafting.statements import statement_drafts
from questions.model import Kind, Question, Status
from tests.questions.drafting.fixtures import (
    CALIBRATION,
    CALIBRATION_DUTIES,
    DOCUMENTS,
    SPILLS,
    SPILLS_DUTIES,
)


def _drafts(document: ProcedureDocument) -> list[Question]:
    return draft_questions(document)


def _by_prompt(drafts: list[Question], prompt: str) -> Question:
    found = [q for q in drafts if q.prompt == prompt]
    assert found, f"no draft {prompt!r} among {[q.prompt for q in drafts]}"
    return found[0]


def _right(question: Question) -> str:
    return question.options[question.correct_keys()[0]]


def _wrong(question: Question) -> list[str]:
    return [text for key, text in question.options.items() if key not in question.correct_keys()]


def test_the_responsible_role_is_the_one_the_table_names() -> None:
    drafts = _drafts(CALIBRATION)
    question = _by_prompt(drafts, "Who calibrates gauges against the reference standards?")
    assert question.kind is Kind.SINGLE
    assert _right(question) == "Metrology Technician"
    assert set(_wrong(question)) <= {
        "Quality Manager",
        "Production Supervisor",
        "Stores Controller",
    }
    assert 2 <= len(_wrong(question)) <= 3


def test_a_responsible_for_sentence_asks_who_is_responsible() -> None:
    question = _by_prompt(
        _drafts(CALIBRATION), "Who is responsible for keeping the equipment register current?"
    )
    assert _right(question) == "Quality Manager"
    assert "See QP-21 section 2." in question.explanation


def test_a_shall_sentence_asks_who_does_it() -> None:
    question = _by_prompt(_drafts(SPILLS), "Who restocks a spill kit after every use?")
    assert _right(question) == "Shift Leader"
    assert question.section == "5"


@pytest.mark.parametrize(
    ("document", "duties"), [(CALIBRATION, CALIBRATION_DUTIES), (SPILLS, SPILLS_DUTIES)]
)
def test_no_wrong_role_is_the_role_the_document_gives_that_duty(
    document: ProcedureDocument, duties: dict[str, str]
) -> None:
    checked = 0
    for question in _drafts(document):
        if not question.prompt.startswith("Who "):
            continue
        duty = next((d for d in duties if d in question.prompt.casefold()), None)
        assert duty is not None, question.prompt
        assert _right(question) == duties[duty]
        assert duties[duty] not in _wrong(question)
        checked += 1
    assert checked >= 5


def test_the_record_for_a_thing_is_the_one_the_document_names() -> None:
    drafts = _drafts(CALIBRATION)
    form = _by_prompt(drafts, "On which form is each calibration result recorded?")
    assert _right(form) == "Form QF-31"
    register = _by_prompt(drafts, "Where are out-of-tolerance findings logged?")
    # No option takes an article, so none stands out from the others by it.
    assert _right(register) == "NCR register"
    assert "Form QF-31" in _wrong(register)
    assert "Form QF-31" not in _wrong(form)
    assert set(_wrong(form)) <= {"NCR register", "Gauge Issue Log", "Training Record"}


def test_the_first_step_is_the_first_of_the_numbered_list() -> None:
    question = _by_prompt(_drafts(CALIBRATION), "What is the first step when calibrating a gauge?")
    assert _right(question) == "Check the gauge label against the equipment register."
    steps = [b.text for b in CALIBRATION.sections[3].blocks if b.kind is BlockKind.LIST_ITEM]
    assert set(_wrong(question)) <= set(steps[1:])


def test_what_comes_after_a_step_is_the_next_step() -> None:
    question = _by_prompt(
        _drafts(SPILLS),
        "When responding to a spill, what comes after “Keep people away and warn the Shift "
        "Leader”?",
    )
    assert _right(question) == "Cover nearby drains with a drain mat from the spill kit."
    assert "Keep people away and warn the Shift Leader." not in question.options.values()


def test_the_time_limit_is_the_documents_and_no_option_means_the_same() -> None:
    drafts = _drafts(CALIBRATION)
    question = _by_prompt(
        drafts, "Within how many hours must a gauge found out of tolerance be quarantined?"
    )
    assert _right(question) == "24 hours"
    assert "1 day" not in question.options.values()
    days = _by_prompt(drafts, "Within how many working days must affected customers be informed?")
    assert _right(days) == "5 working days"
    assert all(re.fullmatch(r"\d+ working days", w) for w in _wrong(days))


def test_how_often_asks_for_the_period() -> None:
    question = _by_prompt(_drafts(SPILLS), "How often must spill kits be checked?")
    assert _right(question) == "Every week"
    assert "Every 7 days" not in question.options.values()


def test_true_false_statements_are_balanced_and_the_false_ones_are_false() -> None:
    for document in DOCUMENTS:
        statements = [q for q in _drafts(document) if q.kind is Kind.TRUE_FALSE]
        trues = [q for q in statements if q.answer is True]
        falses = [q for q in statements if q.answer is False]
        assert trues and falses
        assert abs(len(trues) - len(falses)) <= 1
        text = normalise(" ".join(s.text for s in document.sections))
        for question in trues:
            assert normalise(question.prompt) in text
        for question in falses:
            assert normalise(question.prompt) not in text
            assert question.cites is not None and normalise(question.cites) in text


def test_a_role_swapped_statement_names_a_role_that_does_not_do_it() -> None:
    statements = statement_drafts(SPILLS, RoleBook(SPILLS))
    swapped = [d for d in statements if d.truth is False and "Spill Log" in d.prompt]
    assert swapped
    assert "Environmental Coordinator" not in swapped[0].prompt


def test_a_sentence_a_choice_question_asks_about_gets_no_true_false() -> None:
    drafts = _drafts(SPILLS)
    asked = {q.cites for q in drafts if q.kind is Kind.SINGLE}
    statements = [q for q in drafts if q.kind is Kind.TRUE_FALSE]
    assert statements
    assert not {q.cites for q in statements} & asked
    review = "The Environmental Coordinator shall review the Spill Log every 3 months."
    assert review in asked


def test_the_open_question_takes_its_key_points_from_its_section() -> None:
    drafts = _drafts(CALIBRATION)
    opens = [q for q in drafts if q.kind is Kind.OPEN]
    assert len(opens) == 1
    question = opens[0]
    points = [k.point for k in question.key_points]
    assert 2 <= len(points) <= 4
    # Most of the points, as an auditor would expect: 2 of 2 or 3, 3 of 4.
    assert question.pass_mark == (2 * len(points) + 2) // 3
    (section,) = [s for s in CALIBRATION.sections if s.number == question.section]
    section_text = normalise(section.text)
    for key_point in question.key_points:
        assert normalise(key_point.point) in section_text
        assert 1 <= len(key_point.phrasings) <= 3
        for phrasing in key_point.phrasings:
            assert 2 <= len(phrasing.split()) <= 6 or phrasing in ("NCR",)
            assert normalise(phrasing) in normalise(key_point.point)


def test_the_one_interview_question_is_on_the_section_richest_in_rules() -> None:
    opens = {q.section: q for q in _drafts(CALIBRATION) if q.kind is Kind.OPEN}
    # 4 is steps, 5 says who must do what within what time ("The Metrology Technician shall
    # raise an NCR", "within 24 hours"): 5 weighs more. The purpose, records (passive
    # sentences) and intervals (no doer) would give none.
    assert set(opens) == {"5"}
    assert opens["5"].prompt.endswith("What happens, and who does it?")
    points = " ".join(k.point for k in opens["5"].key_points)
    assert "within 24 hours" in points and "raise an NCR" in points


def test_an_open_question_about_incidents_is_at_the_problems_stage() -> None:
    opens = [q for q in _drafts(CALIBRATION) if q.kind is Kind.OPEN]
    assert opens
    assert all(q.stage is not None for q in opens)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.id)
def test_every_draft_is_a_valid_draft_with_distinct_options(document: ProcedureDocument) -> None:
    drafts = _drafts(document)
    assert len(drafts) >= 8
    for question in drafts:
        assert Question.model_validate(question.model_dump()) == question
        assert question.status is Status.DRAFT
        assert question.explanation
        texts = [t.casefold() for t in question.options.values()]
        assert len(texts) == len(set(texts))
        if question.kind is Kind.SINGLE:
            assert 3 <= len(texts) <= 4
    kinds = {q.kind for q in drafts}
    assert {Kind.SINGLE, Kind.TRUE_FALSE, Kind.OPEN} <= kinds


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.id)
def test_every_draft_cites_a_sentence_of_its_section(document: ProcedureDocument) -> None:
    for question in _drafts(document):
        section = document.section(question.section)
        assert section is not None
        assert question.cites is not None
        assert _in_section(question.cites, section, document), question.cites
        assert f"section {section.number}." in question.explanation


def _in_section(cites: str, section: Section, document: ProcedureDocument) -> bool:
    words = normalise(f"{section.heading} {section.text}")
    children = " ".join(s.heading for s in document.sections if s.level > section.level)
    cells = [c for b in section.blocks for row in b.rows for c in row]
    if normalise(cites) in words or normalise(cites) in normalise(children):
        return True
    # A table row is cited as "Header: cell; Header: cell."
    parts = [p.split(": ", 1)[-1] for p in cites.rstrip(".").split("; ")]
    return all(any(normalise(p) == normalise(c) for c in cells) for p in parts)


def test_the_same_document_gives_the_same_drafts() -> None:
    assert draft_questions(SPILLS) == draft_questions(SPILLS)


def test_ids_take_the_next_free_numbers() -> None:
    drafts = draft_questions(CALIBRATION, taken_ids={"QP-21-001", "QP-21-002", "QP-21-004"})
    ids = [q.id for q in drafts]
    assert ids[:3] == ["QP-21-003", "QP-21-005", "QP-21-006"]
    assert len(ids) == len(set(ids))


def test_rejected_and_existing_prompts_are_not_drafted_again() -> None:
    first = draft_questions(SPILLS)
    rejected = first[0].prompt.upper().rstrip("?") + " ?"
    existing = "  " + first[1].prompt.lower().replace(" ", "   ")
    again = draft_questions(SPILLS, rejected_prompts=[rejected], existing_prompts=[existing])
    prompts = [q.prompt for q in again]
    assert first[0].prompt not in prompts
    assert first[1].prompt not in prompts
    assert len(again) == len(first) - 2


def test_a_frequency_of_no_whole_unit_of_its_own_is_read_in_a_larger_one() -> None:
    from questions.drafting.time_limits import limits_in

    (quarterly,) = limits_in("User access is reviewed quarterly by the system owner.")
    assert (quarterly.kind, quarterly.phrase()) == ("period", "Every 3 months")
