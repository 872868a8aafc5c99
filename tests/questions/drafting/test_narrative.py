"""Drafts from procedures written as narrative: passive voice, "will" and "needs to", "Role: duty"
bullets, with "should" and conditions kept from becoming requirements a reader never wrote.
"""

from __future__ import annotations

from questions.documents.model import Block, ProcedureDocument
from questions.drafting import draft_questions
from questions.drafting.narrative import active_verb
from questions.drafting.roles import RoleBook
from questions.drafting.statements import statement_drafts
from questions.model import Kind, Question
from tests.questions.drafting.fixtures import item, para, with_roles

_ROLES = ("Dispatch Supervisor", "Fleet Engineer", "Safety Advisor", "Depot Manager")


def _document(*blocks: Block) -> ProcedureDocument:
    return with_roles("DP-04", _ROLES, "Handling a defect", *blocks)


def _prompted(document: ProcedureDocument, prompt: str) -> Question:
    found = [q for q in draft_questions(document) if q.prompt == prompt]
    assert found, [q.prompt for q in draft_questions(document)]
    return found[0]


def _right_and_wrong(question: Question) -> tuple[str, set[str]]:
    right = question.options[question.correct_keys()[0]]
    return right, {v for k, v in question.options.items() if k not in question.correct_keys()}


def test_a_passive_sentence_asks_who_does_it() -> None:
    document = _document(para("Defect tags are signed by the Fleet Engineer before release."))
    question = _prompted(document, "Who signs defect tags before release?")
    right, wrong = _right_and_wrong(question)
    assert right == "Fleet Engineer"
    assert wrong and wrong <= {"Dispatch Supervisor", "Safety Advisor", "Depot Manager"}


def test_a_passive_sentence_naming_two_roles_is_not_drafted() -> None:
    document = _document(
        para("Repair orders will be approved by the Depot Manager or the Safety Advisor.")
    )
    prompts = [q.prompt for q in draft_questions(document)]
    assert not any(p.startswith("Who approves repair orders") for p in prompts)


def test_participles_read_back_as_duty_verbs() -> None:
    assert active_verb("approved") == "approve"
    assert active_verb("verified") == "verify"
    assert active_verb("planned") == "plan"
    assert active_verb("written") == "write"
    assert active_verb("painted") is None


def test_a_needs_to_sentence_asks_who_does_it() -> None:
    document = _document(para("The Safety Advisor needs to inspect every towed vehicle."))
    right, wrong = _right_and_wrong(_prompted(document, "Who inspects every towed vehicle?"))
    assert right == "Safety Advisor"
    assert "Safety Advisor" not in wrong


def test_a_role_colon_bullet_is_read_like_a_table_row() -> None:
    document = _document(
        para("Each role has its part:"),
        item("•", "Dispatch Supervisor: withdraws the vehicle keys."),
        item("•", "Depot Manager – approves the return to service."),
    )
    right, wrong = _right_and_wrong(_prompted(document, "Who withdraws the vehicle keys?"))
    assert right == "Dispatch Supervisor"
    assert "Dispatch Supervisor" not in wrong
    right, _ = _right_and_wrong(_prompted(document, "Who approves the return to service?"))
    assert right == "Depot Manager"


def test_a_lead_in_with_shall_and_a_colon_gives_each_item_to_its_role() -> None:
    document = _document(
        para("The Fleet Engineer shall:"),
        item("a", "record the defect in the workshop system"),
    )
    question = _prompted(document, "Who records the defect in the workshop system?")
    assert _right_and_wrong(question)[0] == "Fleet Engineer"


def test_a_will_statement_is_a_true_false_and_its_false_form_swaps_the_doer() -> None:
    document = _document(
        para("The Depot Manager will review the defect trend report with the drivers monthly."),
        para("The Fleet Engineer will log every brake defect in the national defect database."),
    )
    # The statement rule alone: drafting asks these sentences "Who …?" instead.
    statements = list(statement_drafts(document, RoleBook(document)))
    trues = [d for d in statements if d.truth is True]
    falses = [d for d in statements if d.truth is False]
    assert trues and falses
    assert trues[0].prompt.startswith("The Depot Manager will review")
    assert "Fleet Engineer" not in falses[0].prompt
    assert falses[0].prompt.endswith("will log every brake defect in the national defect database.")


def test_a_should_sentence_is_never_a_true_false_nor_a_duty_stated_as_done() -> None:
    document = _document(
        para("The Safety Advisor should review near-miss reports from the drivers every quarter.")
    )
    drafts = draft_questions(document)
    assert not [q for q in drafts if q.kind is Kind.TRUE_FALSE]
    assert not [q for q in drafts if q.prompt.startswith("Who reviews near-miss")]
    question = _prompted(
        document, "Who should review near-miss reports from the drivers every quarter?"
    )
    assert _right_and_wrong(question)[0] == "Safety Advisor"


def test_a_conditional_duty_keeps_its_condition_in_the_prompt() -> None:
    document = _document(
        para("If a tyre is worn past the legal limit, the Fleet Engineer will remove the vehicle.")
    )
    prompts = [q.prompt for q in draft_questions(document)]
    assert "Who removes the vehicle if a tyre is worn past the legal limit?" in prompts
    assert "Who removes the vehicle?" not in prompts


def test_a_purpose_or_hedged_sentence_is_not_a_statement() -> None:
    document = _document(
        para("The goal of the defect review is to reduce roadside breakdowns across the fleet."),
        para("There probably will be more vehicle types added to the fleet in the future."),
        para("You will need to adapt it to the vehicles of your own depot, of course."),
    )
    assert not [q for q in draft_questions(document) if q.kind is Kind.TRUE_FALSE]
