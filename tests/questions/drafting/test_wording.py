"""How drafts read: clause numbers, verbs that agree, time limits asked with what they count
from. Each case is a fault an independent reviewer of drafts from held-out procedures found."""

from __future__ import annotations

from questions.documents.model import Block, ProcedureDocument
from questions.drafting import draft_questions
from questions.drafting.interview import topic_of
from questions.drafting.likeness import same_duty
from questions.drafting.roles import RoleBook
from questions.drafting.sentences import lower_first
from questions.drafting.statements import statement_drafts
from questions.model import Kind, Question
from tests.questions.drafting.fixtures import item, para, section, table, with_roles

_ROLES = ("Metrology Technician", "Quality Manager", "Section Supervisors", "Line Manager")


def _document(*blocks: Block) -> ProcedureDocument:
    return with_roles("QP-08", _ROLES, "Procedure", *blocks)


def _plain(*blocks: Block) -> ProcedureDocument:
    """A procedure without a roles table: its roles are what its sentences name."""
    return ProcedureDocument(
        id="IMS-PR-09",
        original_id="IMS-PR-09",
        title="Management review",
        revision="5",
        source="ims-pr-09.md",
        sections=(section("1", "Procedure", *blocks),),
    )


def _prompts(*blocks: Block) -> list[str]:
    return [q.prompt for q in draft_questions(_document(*blocks))]


def _asking(start: str, *blocks: Block) -> Question:
    found = [q for q in draft_questions(_document(*blocks)) if q.prompt.startswith(start)]
    assert len(found) == 1, [q.prompt for q in draft_questions(_document(*blocks))]
    return found[0]


def test_a_clause_number_opening_a_paragraph_is_left_out_of_every_draft() -> None:
    drafts = draft_questions(
        _document(
            para("6.1.1 The Metrology Technician shall maintain the Gauge Register."),
            para("6.1.2 All new gauges shall be entered on the Gauge Register before first use."),
        )
    )

    assert "Who maintains the Gauge Register?" in [q.prompt for q in drafts]
    assert not [q for q in drafts if "6.1" in q.prompt or "6.1" in (q.cites or "")]


def test_every_duty_verb_of_a_shall_sentence_agrees_with_who() -> None:
    prompts = _prompts(
        para(
            "The Metrology Technician shall maintain the Gauge Register, schedule and perform "
            "in-house calibration, and recall equipment when due."
        )
    )

    assert (
        "Who maintains the Gauge Register, schedules and performs in-house calibration, and "
        "recalls equipment when due?"
    ) in prompts


def test_a_sentence_asked_who_does_it_is_not_also_a_true_false() -> None:
    drafts = draft_questions(
        _document(para("The Quality Manager shall approve every calibration interval."))
    )

    assert [q.kind for q in drafts] == [Kind.SINGLE]


def test_a_false_statement_naming_one_role_for_several_takes_an_article() -> None:
    document = _document(
        para("The Metrology Technician shall label every gauge with its number and due date."),
        para("Section Supervisors shall return recalled equipment to the Metrology Room."),
    )

    falses = [d for d in statement_drafts(document, RoleBook(document)) if d.truth is False]

    assert [d.prompt.split(" shall ")[0] for d in falses] == ["The Metrology Technician"]


def test_a_limit_counted_from_an_event_asks_with_the_event() -> None:
    question = _asking(
        "Within how many",
        para(
            "Access not needed in the new role must be removed within 5 working days of the move."
        ),
    )

    assert question.prompt == (
        "Within how many working days of the move must access not needed in the new role be "
        "removed?"
    )


def test_no_later_than_and_at_least_before_are_asked_whole() -> None:
    late = _asking(
        "No later than",
        para("All accounts of a leaver must be disabled no later than 4 hours after they leave."),
    )
    ahead = _asking(
        "At least",
        para("The Line Manager must raise a request at least 5 working days before the start."),
    )

    assert late.prompt == (
        "No later than how many hours after they leave must all accounts of a leaver be disabled?"
    )
    assert ahead.prompt == (
        "At least how many working days before the start must the Line Manager raise a request?"
    )


def test_a_question_asks_what_must_be_done_where_the_document_says_shall() -> None:
    question = _asking(
        "How often",
        para("Calibration intervals shall be reviewed annually by the Quality Manager."),
    )

    assert (
        question.prompt
        == "How often must calibration intervals be reviewed by the Quality Manager?"
    )


def test_a_second_requirement_after_the_limit_is_left_out_of_the_question() -> None:
    question = _asking(
        "At least how often",
        para(
            "API keys must be rotated at least every 12 months and immediately when a person "
            "who knows them leaves."
        ),
    )

    assert question.prompt == "At least how often must API keys be rotated?"


def test_a_limit_inside_a_clause_of_its_own_is_not_asked() -> None:
    prompts = _prompts(
        para(
            "Reviews that are not completed within 10 working days of the due date are "
            "escalated to the Quality Manager."
        ),
        para(
            "The Metrology Technician shall send the supplier the questionnaire, which is to be "
            "returned within 10 working days."
        ),
        para(
            "Calibration shall be carried out in the Metrology Room, after the gauge has "
            "stabilised for at least 2 hours."
        ),
    )

    assert not [p for p in prompts if "how many" in p.casefold()], prompts


def _with_table(*rows: tuple[str, str], steps: tuple[Block, ...] = ()) -> ProcedureDocument:
    return ProcedureDocument(
        id="QP-21",
        original_id="QP-21",
        title="Internal audit",
        revision="5",
        source="qp-21.md",
        sections=(
            section("1", "Responsibilities", table(("Role", "Responsibility"), *rows)),
            section("2", "Procedure", *steps),
        ),
    )


_AUDIT_ROLES = (
    ("Quality Manager", "Owns this procedure; prepares the audit programme; appoints auditors."),
    ("Lead Auditor", "Plans and conducts the audit; issues the audit report."),
    ("Managing Director", "Approves the annual audit programme."),
    ("Department Manager", "Answers the findings."),
)


def test_a_roles_cell_of_several_duties_asks_one_of_them_and_never_who_owns_the_procedure() -> None:
    prompts = [q.prompt for q in draft_questions(_with_table(*_AUDIT_ROLES))]

    assert "Who prepares the audit programme?" in prompts
    assert "Who plans and conducts the audit?" in prompts
    assert not [p for p in prompts if ";" in p or "owns this procedure" in p]


def test_a_duty_in_the_roles_table_and_again_in_a_step_is_asked_once() -> None:
    document = _with_table(
        *_AUDIT_ROLES,
        steps=(para("The Managing Director approves the programme by signing form QF-21-01."),),
    )

    approving = [q for q in draft_questions(document) if q.prompt.startswith("Who approves")]

    assert [q.prompt for q in approving] == ["Who approves the annual audit programme?"]


def test_a_role_written_in_lower_case_is_offered_as_the_roles_table_writes_it() -> None:
    document = _with_table(
        *_AUDIT_ROLES, steps=(para("The lead auditor presents the findings and their grading."),)
    )

    question = next(q for q in draft_questions(document) if q.prompt.startswith("Who presents"))

    assert question.options[str(question.answer)] == "Lead Auditor"


def test_a_time_limit_question_has_three_wrong_options() -> None:
    question = _asking(
        "Within how many", para("The Quality Manager shall close each finding within 30 days.")
    )

    assert len(question.options) == 4


def test_an_interview_question_names_its_topic_in_plain_english() -> None:
    # "Talk me through investigation" read as broken English.
    assert topic_of("Investigation") == "the investigation"
    assert topic_of("Hand-back after maintenance") == "the hand-back after maintenance"
    assert topic_of("Preparing the audit") == "preparing the audit"


def test_a_long_or_two_part_sentence_is_no_true_false() -> None:
    document = _document(
        para(
            "Reports of thorough examination are received by the Quality Manager; defects "
            "classed as immediate danger shall be fixed before the equipment is used again."
        ),
        para(
            "Every gauge that is dropped, damaged, found without a label, found with a broken "
            "seal, or suspected of giving wrong readings for any other reason must be reported "
            "to the Metrology Technician before anyone uses it again on the shop floor."
        ),
    )

    assert not list(statement_drafts(document, RoleBook(document)))


def test_an_interview_key_point_is_never_matched_by_a_role_name_or_a_bare_verb() -> None:
    document = _with_table(
        *_AUDIT_ROLES,
        steps=(
            item("1", "The Lead Auditor shall carry out the opening meeting with the auditees."),
            item("2", "The Lead Auditor shall present the findings at a closing meeting;"),
            item("3", "The Department Manager shall agree the findings before the auditors leave."),
        ),
    )

    opens = [q for q in draft_questions(document) if q.kind is Kind.OPEN]

    assert opens
    points = opens[0].key_points
    phrasings = {p for point in points for p in point.phrasings}
    assert not phrasings & {"Lead Auditor", "Department Manager", "carry out"}
    assert not [point for point in points if point.point.endswith(";")]


def test_a_false_statement_never_swaps_the_end_of_a_longer_name() -> None:
    document = _document(
        para("The Metrology Technician shall label every gauge with its number and due date."),
        para("Every dropped gauge must be reported to the Health & Quality Manager at once."),
        para("Findings are presented to the Calibration Committee Line Manager each month."),
    )

    falses = [d for d in statement_drafts(document, RoleBook(document)) if d.truth is False]

    assert not [d for d in falses if "Health &" in d.prompt or "Committee" in d.prompt]


def test_a_sentence_of_who_and_by_when_is_asked_by_when_only() -> None:
    drafts = draft_questions(
        _document(
            para("The Line Manager shall enter each reported incident in the log within 24 hours."),
            para("The Quality Manager shall review the calibration results within 5 working days."),
            para("The Metrology Technician shall label every gauge with its next due date."),
        )
    )

    choices = [q for q in drafts if q.kind is Kind.SINGLE]
    cited = [q.cites for q in choices]
    # One choice question per sentence: "Who …?" would give the time away, and the other way.
    assert len(cited) == len(set(cited)), [q.prompt for q in choices]
    timed = [q for q in choices if "how many" in q.prompt]
    assert {q.options[q.answer] for q in timed if isinstance(q.answer, str)} == {
        "24 hours",
        "5 working days",
    }
    assert [q.prompt for q in choices if q.prompt.startswith("Who ")] == [
        "Who labels every gauge with its next due date?"
    ]


def test_a_role_name_joined_by_and_or_ampersand_is_one_role() -> None:
    document = _plain(
        para("The Quality & Compliance Manager shall take the minutes of every review."),
        para("The Health and Safety Committee Chair shall attend the OH&S part of the review."),
        para("The Plant Manager and Environmental Coordinator shall walk the site each month."),
        para("The HSE Manager shall prepare the incident statistics."),
    )
    names = {role.name for role in RoleBook(document).roles}

    assert {"Quality & Compliance Manager", "Health and Safety Committee Chair"} <= names
    # Two titles joined by "and" stay two roles.
    assert {"Plant Manager", "Environmental Coordinator"} <= names
    assert not names & {"Compliance Manager", "Chair", "Manager and Environmental Coordinator"}
    # A false statement never swaps in a role made of half a longer name.
    falses = [d for d in statement_drafts(document, RoleBook(document)) if d.truth is False]
    for false in falses:
        assert "Compliance Manager" not in false.prompt.replace("Quality & Compliance", "")
        assert "Quality & HSE" not in false.prompt and "Managing" not in false.prompt


def test_a_role_defined_by_its_acronym_keeps_its_full_name() -> None:
    document = _plain(
        para("CSIRT – Computer Security Incident Response Team, convened for P1 incidents."),
        para("The Service Desk Analyst shall log every reported event."),
    )
    book = RoleBook(document)

    csirt = book.find("Computer Security Incident Response Team")
    assert csirt is not None and csirt.name == "CSIRT"
    assert book.find("Security Incident Response Team") is csirt
    assert "Security Incident Response Team" not in {r.name for r in book.roles}


def test_a_procedure_or_chart_code_is_never_offered_as_a_form() -> None:
    document = _document(
        para("Waste oils are classified using procedure EMS-PR-006 and the chart ORG-01."),
        para("Each waste transfer note must be recorded on form EMS-F-041."),
        para("Each collection must be recorded in the Waste Register."),
        para("Each spill must be recorded on the Spill Report (EMS-F-044)."),
        para("Each inspection must be recorded on the Weekly Checklist EMS-CL-02."),
    )
    options = {
        option
        for q in draft_questions(document)
        if q.kind is Kind.SINGLE and q.prompt.startswith(("On which form", "Where"))
        for option in q.options.values()
    }

    assert "Form EMS-F-041" in options
    assert not {o for o in options if "EMS-PR-006" in o or "ORG-01" in o}


def test_a_who_question_whose_words_name_the_answer_is_not_drafted() -> None:
    document = with_roles(
        "PU-01",
        ("Purchasing Officer", "Quality Manager", "Stores Controller", "Maintenance Manager"),
        "Purchasing",
        para("The Purchasing Officer shall raise purchase orders only for approved suppliers."),
        para("The Quality Manager shall approve each new supplier before the first order."),
    )
    prompts = [q.prompt for q in draft_questions(document) if q.prompt.startswith("Who ")]

    assert "Who approves each new supplier before the first order?" in prompts
    assert not [p for p in prompts if "purchase orders" in p]


def test_each_sentence_of_a_step_is_read_alone() -> None:
    prompts = _prompts(
        item(
            "9.",
            "Every new starter shall complete the site induction before starting work. "
            "The induction is valid for 12 months.",
        ),
        item(
            "10.",
            "Section Supervisors shall report every dropped gauge to the Line Manager. "
            "The Line Manager shall enter the report in the gauge log within 24 hours.",
        ),
    )

    assert not [p for p in prompts if ". " in p.rstrip("?.")], prompts
    assert [p for p in prompts if p.startswith("Within how many hours")], prompts


def test_prompts_never_end_in_a_clause_that_goes_on_elsewhere() -> None:
    prompts = _prompts(
        para(
            "Before a new gauge type is bought, the Section Supervisors must inform the "
            "Metrology Technician, who shall classify it."
        ),
        para("Before first use, the Quality Manager shall verify on the certificate that:"),
        item("a)", "the gauge number matches;"),
        item("b)", "the uncertainty is stated."),
        para("The Line Manager classifies each nonconformity as: minor, major or critical."),
        para(
            "Calibration records are kept for 10 years, or for the life of the gauge plus "
            "1 year, whichever is longer."
        ),
    )

    assert "Who informs the Metrology Technician before a new gauge type is bought?" in prompts
    assert not [p for p in prompts if "who shall" in p or p.endswith((" that?", " as?"))], prompts
    assert not [p for p in prompts if "how many years" in p], prompts


def test_a_time_prompt_moves_a_fronted_phrase_and_leaves_out_an_aside() -> None:
    question = _asking(
        "At least how many",
        para(
            "For each calibration, the Metrology Technician shall book the reference standard "
            "at least 5 working days before the due date (2 working days for urgent repairs)."
        ),
        para("Each gauge must be checked within 24 hours of a drop and every 12 months."),
        para("Each gauge label must be renewed within 10 working days of a recalibration."),
    )

    assert question.prompt == (
        "At least how many working days before the due date must the Metrology Technician "
        "book the reference standard for each calibration?"
    )


def test_a_choice_prompt_never_points_at_words_it_does_not_quote() -> None:
    prompts = _prompts(
        para("Section Supervisors shall make sure their operators return gauges on time."),
        para("A dropped gauge is reported at once. The Line Manager shall enter it in the log."),
        para("The Quality Manager presents the findings and their grading."),
    )

    assert "Who presents the findings and their grading?" in prompts
    assert not [p for p in prompts if "their operators" in p or " it " in p], prompts


def test_a_false_statement_never_swaps_one_word_of_a_longer_role_name() -> None:
    document = with_roles(
        "HS-12",
        ("Reception / Security", "Site Director", "Contract Owner"),
        "Arrival",
        para("The Contract Owner shall check the work at least once per shift."),
        para("Contractors without a valid induction must not be allowed past Security."),
    )

    falses = [d for d in statement_drafts(document, RoleBook(document)) if d.truth is False]

    assert not [d for d in falses if "past" in d.prompt], [d.prompt for d in falses]


def test_an_interview_question_keeps_the_points_an_auditor_checks_first() -> None:
    document = _document(
        item("1", "Agree the calibration date with the Line Manager."),
        item("2", "For each gauge, collect the gauge from the line."),
        item("3", "Clean the gauge before measuring."),
        item("4", "Record the readings on form QF-40."),
        item("5", "Report a gauge out of tolerance to the Quality Manager within 24 hours."),
        item("6", "Return the gauge to the line."),
    )
    (interview,) = [q for q in draft_questions(document) if q.kind is Kind.OPEN]
    phrasings = [p for point in interview.key_points for p in point.phrasings]

    assert interview.prompt.endswith("What do you do, step by step?")
    points = " ".join(point.point for point in interview.key_points)
    assert "within 24 hours" in points and "QF-40" in points
    assert "24 hours" in phrasings and "QF-40" in phrasings
    assert not [p for p in phrasings if p.lower().startswith(("for ", "on ", "not "))]


def test_a_responsibilities_section_gets_no_interview_question() -> None:
    document = with_roles(
        "QP-08",
        _ROLES,
        "Responsibilities",
        para("The Quality Manager shall approve every calibration interval."),
        para("The Metrology Technician shall maintain the gauge register."),
        para("The Line Manager shall release gauges for calibration."),
    )

    assert not [q for q in draft_questions(document) if q.kind is Kind.OPEN]


def test_a_limit_after_without_delay_asks_the_limit_alone() -> None:
    question = _asking(
        "Within how many hours of confirming",
        para(
            "The Quality Manager shall inform the Line Manager without delay, and in any case "
            "within 4 hours of confirming the fault."
        ),
        para("Each gauge must be checked within 24 hours of a drop."),
        para("Each label must be renewed within 2 hours of a recalibration."),
    )

    assert question.prompt == (
        "Within how many hours of confirming the fault must the Quality Manager inform the "
        "Line Manager?"
    )


def test_a_frequency_naming_a_report_is_no_time_limit() -> None:
    prompts = _prompts(
        para(
            "The Quality Manager is responsible for this procedure, for the gauge log and for "
            "the monthly calibration report."
        ),
        para("The Line Manager shall audit at least 10 % of gauges each month."),
        para("Each gauge must be checked every 6 months."),
        para("Each label must be renewed every 2 years."),
    )

    assert not [p for p in prompts if p.startswith("How often is the Quality Manager")], prompts
    assert "How often must the Line Manager audit at least 10 % of gauges?" in prompts


def test_every_verb_of_a_roles_table_duty_agrees_with_who() -> None:
    roles_table = table(
        ("Role", "Responsibility"),
        ("QA Technicians", "Take allergen swabs, carry out pack checks, and place suspect "
         "product on hold."),
        ("Technical Manager", "Approves every allergen risk assessment."),
        ("Line Leaders", "Sign off each changeover clean."),
    )  # fmt: skip
    document = ProcedureDocument(
        id="FSP-14",
        original_id="FSP-14",
        title="Allergen control",
        revision="3",
        source="fsp-14.md",
        sections=(section("1", "Roles", roles_table),),
    )

    assert (
        "Who takes allergen swabs, carries out pack checks, and places suspect product on hold?"
        in [q.prompt for q in draft_questions(document)]
    )


def test_a_choice_prompt_is_short_enough_to_read_at_a_glance() -> None:
    prompts = _prompts(
        para(
            "The Line Manager inspects the gauge store weekly and records: label condition, "
            "storage temperature, damaged cases and missing gauges."
        ),
        para(
            "The Quality Manager shall report calibration statistics to the management team "
            "every month, including the number of gauges by type, the share found out of "
            "tolerance, overdue recalls and the cost of external calibration."
        ),
        para("The Metrology Technician shall label every gauge with its next due date."),
    )

    assert "Who labels every gauge with its next due date?" in prompts
    assert not [p for p in prompts if ":" in p or len(p.split()) > 25], prompts


def test_bands_of_a_score_are_not_steps() -> None:
    prompts = _prompts(
        para("The total score decides the approval status:"),
        item("1", "80 to 100 – Approved. The supplier is added to the approved supplier list."),
        item("2", "60 to 79 – Conditionally approved, subject to an improvement plan."),
        item("3", "Below 60 – Not approved. The supplier shall not be used."),
    )

    assert not [p for p in prompts if "first step" in p or "what comes after" in p], prompts


def test_a_time_prompt_says_what_someone_is_told_of() -> None:
    prompts = _prompts(
        para(
            "A gauge with a broken seal is put on hold and the Quality Manager is informed "
            "within 1 hour."
        ),
        para("The Line Manager shall be informed within 4 hours of a dropped gauge."),
        para("Each gauge must be checked within 24 hours of a drop."),
        para("Each label must be renewed within 2 hours of a recalibration."),
    )

    assert "Within how many hours of a dropped gauge must the Line Manager be informed?" in prompts
    assert not [p for p in prompts if p.endswith("is the Quality Manager informed?")], prompts


def test_wrong_roles_come_first_from_the_section_that_asks() -> None:
    roles = (
        "Metrology Technician",
        "Quality Manager",
        "Line Manager",
        "Stores Controller",
        "Purchasing Officer",
        "Site Director",
    )
    document = with_roles(
        "QP-08",
        roles,
        "Out-of-tolerance gauges",
        para("The Metrology Technician shall quarantine every gauge found out of tolerance."),
        para("The Quality Manager shall decide whether product must be recalled."),
        para("The Line Manager shall stop the line until the gauge is replaced."),
    )
    question = next(
        q for q in draft_questions(document) if q.prompt.startswith("Who decides whether")
    )

    assert set(_wrong_options(question)) >= {"Metrology Technician", "Line Manager"}


def _wrong_options(question: Question) -> list[str]:
    return [text for key, text in question.options.items() if key != question.answer]


def test_a_list_of_standing_rules_or_of_cycles_is_not_steps() -> None:
    rules = _prompts(
        para("Backups are protected as follows:"),
        item("1", "Backups shall follow the 3-2-1 rule, with a copy at the secondary site."),
        item("2", "At least one copy of every weekly backup must be immutable for 30 days."),
        item("3", "Backup data shall be encrypted in transit and at rest."),
    )
    cycles = _prompts(
        para("Restores are tested on three cycles:"),
        item("1", "Monthly: restore a random sample of at least 10 files from 3 servers."),
        item("2", "Quarterly: perform a full restore of one Tier 1 system."),
        item("3", "Annually: carry out a disaster recovery exercise at the secondary site."),
    )

    for prompts in (rules, cycles):
        assert not [p for p in prompts if "first step" in p or "what comes after" in p], prompts


def test_steps_under_a_heading_that_is_an_instruction_are_asked_when_doing_it() -> None:
    drafts = draft_questions(
        with_roles(
            "HSE-07",
            _ROLES,
            "Step 1 – Prepare",
            item("1", "Obtain the energy control procedure for the equipment."),
            item("2", "Identify every energy source and isolation point on site."),
            item("3", "Tell the Line Manager that the equipment will be locked out."),
        )
    )

    prompts = [q.prompt for q in drafts]
    assert "What is the first step when preparing?" in prompts, prompts


def test_a_term_whose_definition_mentions_a_role_is_not_a_role() -> None:
    drafts = draft_questions(
        _document(
            table(
                ("Term", "Meaning"),
                ("Immutable backup", "A copy no one can change, administrators included."),
                ("QMO", "Quality Management Officer"),
            ),
            para("The Metrology Technician shall recall every overdue gauge within 2 days."),
            para("Failed recalls must be escalated to the Quality Manager within 4 hours."),
        )
    )

    offered = [o for q in drafts for o in (q.options or {}).values()]
    assert offered, [q.prompt for q in drafts]
    assert not [o for o in offered if "Immutable" in o]
    assert not [q.prompt for q in drafts if "Immutable" in q.prompt]


def test_a_time_prompt_reads_whole_whatever_the_sentence_leads_with() -> None:
    prompts = _prompts(
        para("For out-of-warranty items a repair quotation shall be issued within 3 working days."),
        para(
            "The Quality Manager is responsible for ensuring that a register exists, and that "
            "gauges are reviewed at least every 3 years and after any repair."
        ),
        para("The target is closure within 15 working days of receipt."),
        para("Calibration certificates are kept for 5 years."),
    )

    asked = [p for p in prompts if p.startswith(("Within", "How often", "At least", "For"))]
    fronted = "Within how many working days must a repair quotation be issued for out-of-warranty"
    assert f"{fronted} items?" in asked, asked
    assert "At least how often are gauges reviewed?" in asked
    assert not [p for p in asked if "target" in p or "That" in p], asked


def test_an_interview_question_asks_the_rules_not_what_is_only_allowed() -> None:
    drafts = draft_questions(
        _document(
            item("1", "Log every restore request on form IT-F-22-01 within 4 working hours."),
            item("2", "Users may restore their own files from the recycle bin without a request."),
            item("3", "Obtain the data owner's approval before restoring another user's data."),
            item("4", "Restore the data to an alternative location and tell the requester."),
            item("5", "Close the ticket when the requester confirms the data is correct."),
        )
    )

    opens = [q for q in drafts if q.kind is Kind.OPEN]
    assert len(opens) == 1, [q.prompt for q in drafts]
    points = [k.point for k in opens[0].key_points]
    phrasings = [p for k in opens[0].key_points for p in k.phrasings]
    assert not [p for p in points if " may " in p], points
    assert points[0].startswith("Log every restore request")
    # Who or what and a verb, with nothing done: "Users may restore", "requester confirms".
    assert not [p for p in phrasings if p.split()[-1] in ("restore", "confirms", "tell")]


def test_whoever_a_duty_is_given_to_is_a_role_though_untitled() -> None:
    drafts = draft_questions(
        _plain(
            para("Data owners are responsible for approving restore requests for their data."),
            para("The Service Desk is responsible for logging restore requests."),
            para("The Backup Administrator shall carry out the restore tests."),
            para("The IT Manager shall report restore test results to the board."),
        )
    )

    who = [q for q in drafts if q.prompt.startswith("Who carries out")]
    assert who, [q.prompt for q in drafts]
    assert "Data owners" in _wrong_options(who[0])


def test_where_an_instruction_says_to_record_something_is_asked() -> None:
    drafts = draft_questions(
        _document(
            item("1", "Clean the gauge and let it reach room temperature."),
            item("2", "Record the readings on form QF-40."),
            item("3", "Enter the gauge number in the Gauge Register."),
            para("Out-of-tolerance gauges are logged in the NCR register."),
        )
    )

    form = [q for q in drafts if q.prompt == "On which form are the readings recorded?"]
    register = [q for q in drafts if q.prompt == "Where is the gauge number entered?"]
    assert form and register, [q.prompt for q in drafts]
    assert _right_option(form[0]) == "Form QF-40"
    assert _right_option(register[0]) == "Gauge Register"
    assert len(_wrong_options(register[0])) >= 2


def _right_option(question: Question) -> str:
    assert question.options is not None and isinstance(question.answer, str)
    return question.options[question.answer]


def test_a_rule_that_holds_only_under_the_sentence_before_is_no_true_false() -> None:
    drafts = draft_questions(
        _document(
            item(
                "1",
                "Obtain the ECP for the equipment. If there is no ECP, stop. The isolation must "
                "be planned on a LOTO Permit signed by the Quality Manager before any work begins.",
            ),
            item("2", "Tell the Line Manager that the equipment is going to be locked out."),
            item("3", "Identify every energy source and isolation point listed on the ECP."),
        )
    )

    statements = [q.prompt for q in drafts if q.kind is Kind.TRUE_FALSE]
    assert not [s for s in statements if "LOTO Permit" in s], statements


def test_a_time_for_the_case_beside_is_never_a_wrong_option() -> None:
    drafts = draft_questions(
        _document(
            para(
                "Inspection shall be completed within 5 working days of receipt. Returns from "
                "key accounts shall be inspected within 2 working days."
            ),
            para("The Quality Manager shall review open returns every 10 working days."),
        )
    )

    standard = [q for q in drafts if q.prompt.startswith("Within how many working days of rec")]
    assert standard, [q.prompt for q in drafts]
    assert _right_option(standard[0]) == "5 working days"
    assert "2 working days" not in _wrong_options(standard[0])


def test_a_duty_others_share_by_nature_is_not_asked_who() -> None:
    document = _with_table(
        ("Quality Manager", "Attends gate reviews G3 and G4; confirms the evidence is complete."),
        ("Line Manager", "Chairs gate reviews G2 to G4; appoints independent reviewers."),
        ("Metrology Technician", "Supports the reviews; records the minutes."),
    )

    prompts = [q.prompt for q in draft_questions(document)]

    assert not [p for p in prompts if p.startswith(("Who attends", "Who supports"))], prompts
    assert "Who confirms the evidence is complete?" in prompts


def test_steps_under_a_heading_that_names_a_thing_quote_it() -> None:
    drafts = draft_questions(
        with_roles(
            "MS-31",
            _ROLES,
            "Issue of tools",
            para("Storekeepers issue tools in this order:"),
            item("1", "Check the tool's calibration label before issue."),
            item("2", "Record the tool number and the borrower on the issue sheet."),
            item("3", "Hang the borrower's tag on the empty hook of the shadow board."),
        )
    )

    prompts = [q.prompt for q in drafts]
    assert "What is the first step under “Issue of tools”?" in prompts, prompts


def test_a_numbered_list_whose_order_the_document_never_stresses_gives_no_step_question() -> None:
    drafts = draft_questions(
        with_roles(
            "MS-31",
            _ROLES,
            "Out-of-tolerance equipment",
            item("1", "Withdraw the gauge from use and quarantine it."),
            item("2", "Record the gauge as quarantined in the gauge register."),
            item("3", "Tell the QC Inspector before the end of the shift."),
        )
    )

    prompts = [q.prompt for q in drafts]
    assert not [p for p in prompts if "first step" in p or "comes after" in p], prompts


def test_a_how_often_prompt_never_says_how_often() -> None:
    prompts = _prompts(
        para("The Quality Manager shall issue the annual audit plan every January."),
        para("The Line Manager shall issue the monthly scrap report every 4 weeks."),
        para("The Metrology Technician shall check the gauges every 6 months."),
    )

    asked = [p for p in prompts if p.startswith("How often")]
    assert asked == ["How often must the Metrology Technician check the gauges?"], prompts


def test_an_interview_on_a_step_heading_quotes_the_instruction() -> None:
    assert topic_of("Step 2 – Shut down and isolate") == "“Shut down and isolate”"
    assert topic_of("Issue of tools") == "the issue of tools"


def test_a_definition_is_no_true_false() -> None:
    drafts = draft_questions(
        _document(
            para(
                "First article – a part taken from the first production run, made using the "
                "tooling and operators that will be used for production by the Line Manager."
            ),
            para("The Quality Manager shall approve every first article report within 2 days."),
        )
    )

    statements = [q.prompt for q in drafts if q.kind is Kind.TRUE_FALSE]
    assert not [s for s in statements if s.startswith("First article")], statements


def test_a_step_offered_as_an_option_is_its_first_sentence() -> None:
    first = _asking(
        "What is the first step",
        para("Lock out the equipment in this order:"),
        item("1", "Obtain the ECP for the equipment. If there is no ECP, stop and tell the HSE."),
        item("2", "Identify every energy source and isolation point listed on the ECP."),
        item("3", "Tell the Line Manager that the equipment is going to be locked out."),
    )

    assert _right_option(first) == "Obtain the ECP for the equipment."


def test_a_heading_is_read_as_an_order_only_when_it_is_one() -> None:
    assert topic_of("Return request and authorisation") == "the return request and authorisation"
    assert topic_of("Restore to service") == "“Restore to service”"


def test_a_list_of_checks_each_on_its_own_cycle_is_not_steps() -> None:
    drafts = draft_questions(
        with_roles(
            "FS-02",
            _ROLES,
            "Verification",
            item("1", "A sample of CCP records is reviewed weekly against the HACCP plan."),
            item(
                "2", "Probe thermometers are calibrated by an outside laboratory every 12 months."
            ),
            item("3", "Metal detectors are serviced and validated by the maker every 12 months."),
            item("4", "The HACCP plan is reviewed by the HACCP team every year."),
        )
    )
    prompts = [q.prompt for q in drafts]

    assert not [p for p in prompts if "first step" in p or "what comes after" in p], prompts


def test_a_minimum_frequency_is_asked_as_one() -> None:
    prompts = _prompts(para("Critical suppliers shall be audited at least once every 3 years."))

    assert "At least how often must critical suppliers be audited?" in prompts, prompts


def test_one_duty_of_a_responsibilities_sentence_is_asked() -> None:
    prompts = _prompts(
        para(
            "The Quality Manager is responsible for making sure this procedure is followed, for "
            "approving the Authorised Persons Register, and for authorising high-risk work."
        ),
        para("The Line Manager is responsible for briefing the work party."),
    )

    assert "Who is responsible for approving the Authorised Persons Register?" in prompts


def test_steps_tables_numbered_on_from_an_earlier_table_are_steps() -> None:
    first = _asking(
        "What is the first step",
        table(
            ("Step", "Action", "Responsible"),
            ("5", "Complete sections 2 and 4 of the permit.", "Line Manager"),
            ("6", "Brief the permit holder on the precautions.", "Line Manager"),
            ("7", "Sign section 5 to accept the permit.", "Metrology Technician"),
        ),
    )

    assert _right_option(first) == "Complete sections 2 and 4 of the permit."


def test_an_interview_topic_leaves_out_the_section_number() -> None:
    assert topic_of("5.2 Request for a new supplier") == "the request for a new supplier"


def test_two_forms_whose_numbers_differ_are_two_options() -> None:
    where = _asking(
        "Where is",
        item("1", "Raise a nonconformance report on form QF-12."),
        item("2", "Enter the report number in the NCR register."),
        item("3", "Record the scrap on form QF-15 and tell the Line Manager."),
    )

    assert {"Form QF-12", "Form QF-15"} <= set(_wrong_options(where))


def test_a_thing_named_like_a_body_of_people_is_no_role() -> None:
    drafts = draft_questions(
        _document(
            para("Panels with polystyrene cores are present in the cold store."),
            para("The Metrology Technician shall stop the work if a fire alarm sounds."),
            para("The Line Manager shall brief the work party before the work starts."),
        )
    )

    offered = [o for q in drafts for o in (q.options or {}).values()]
    assert offered and "Panels" not in offered, offered


def test_one_role_asked_twice_about_one_form_is_asked_once() -> None:
    prompts = _prompts(
        table(
            ("Role", "Responsibility"),
            ("Line Manager", "Issues form QF-30 to prospective suppliers."),
            ("Quality Manager", "Approves new suppliers."),
            ("Metrology Technician", "Calibrates the supplier's gauges."),
        ),
        para("The Line Manager shall send the QF-30 questionnaire to the prospective supplier."),
    )

    assert len([p for p in prompts if "QF-30" in p and p.startswith("Who")]) == 1, prompts


def test_a_sentence_that_leans_on_the_one_before_gives_no_choice_or_true_false() -> None:
    drafts = draft_questions(
        _document(
            para("The Metrology Technician shall complete gauge handling training."),
            para("Section Supervisors shall also complete the gauge handling training."),
            para("Recalibration must then be completed within 15 days if the gauge is reused."),
        )
    )

    leaning = [q.prompt for q in drafts if q.kind is not Kind.OPEN and "also" in (q.cites or "")]
    leaning += [q.prompt for q in drafts if q.kind is not Kind.OPEN and "then" in (q.cites or "")]
    assert not leaning
    assert any("Metrology Technician" in (q.cites or "") for q in drafts)


def test_a_rule_whose_conditions_are_listed_after_it_is_not_asked_without_them() -> None:
    drafts = draft_questions(
        _document(
            para(
                "The Line Manager shall stop the work, make the area safe and inform the Quality "
                "Manager immediately if:"
            ),
            item("a", "the gauge label is missing;"),
            item("b", "the reading is out of tolerance."),
            para("The Metrology Technician shall calibrate every gauge against the masters."),
        )
    )

    cited = [q.cites for q in drafts if q.kind is not Kind.OPEN]
    assert not [c for c in cited if c and c.endswith("if:")], cited
    assert "Who calibrates every gauge against the masters?" in [q.prompt for q in drafts]


def test_sentences_about_the_document_itself_are_not_asked() -> None:
    prompts = _prompts(
        para("The current version is held on the QMS intranet page."),
        para("Records shall be controlled in accordance with QP-05 Control of Records."),
        para("Gauge calibration results are recorded on form QF-41 by the Metrology Technician."),
    )

    assert not [p for p in prompts if "current version" in p or "QP-05" in p], prompts


def test_a_duty_with_nothing_done_to_is_not_asked() -> None:
    prompts = _prompts(
        para("For critical gauges the Quality Manager shall countersign."),
        para("The Line Manager shall sign the gauge issue sheet."),
    )

    assert not [p for p in prompts if p.endswith("countersign.") or "countersigns?" in p]


def test_a_section_named_by_its_bare_number_is_not_asked() -> None:
    prompts = _prompts(para("The gauge must go through 5.3 before any second use."))

    assert not [p for p in prompts if "5.3" in p], prompts


def test_a_time_limit_of_a_second_verb_is_not_asked_of_the_first() -> None:
    prompts = _prompts(
        para("Each gauge shall be validated before use and revalidated at least every 12 months."),
        para("Rework containers must be labelled with the date, and be used within 24 hours."),
        para("Obsolete labels shall be removed and destroyed within 2 working days."),
    )

    assert not [p for p in prompts if p.endswith(("revalidated?", "be used?"))], prompts
    assert "Within how many working days must obsolete labels be removed and destroyed?" in (
        prompts
    )


def test_a_moved_phrase_starts_lower_case_in_the_middle_of_a_prompt() -> None:
    prompts = _prompts(
        para(
            "For Class 1 complaints, containment actions must be started within 24 hours of "
            "logging."
        )
    )

    assert (
        "Within how many hours of logging must containment actions be started for Class 1 "
        "complaints?" in prompts
    ), prompts


def test_a_record_and_its_acronym_are_never_two_options() -> None:
    drafts = draft_questions(
        _document(
            para("Approved contractors are added to the ACL with an expiry date."),
            para("Gauge issues are recorded in the Approved Contractor List by mistake."),
            para("Calibration results are recorded on form QF-41."),
            para("Training is recorded on form QF-42 Training Record."),
        )
    )

    for question in drafts:
        options = set(question.options.values())
        assert not {"ACL", "Approved Contractor List"} <= options, question


def test_a_record_of_an_unnamed_activity_is_not_asked_where() -> None:
    prompts = _prompts(
        para("Record the review on the RAMS Review Checklist."),
        para("Successful completion is recorded on HS-F-06-05."),
        para("Gauge calibration results are recorded on form QF-41."),
    )

    assert not [p for p in prompts if "the review" in p or "completion" in p], prompts


def test_a_role_is_swapped_only_where_it_acts() -> None:
    document = _document(
        para("The Line Manager shall review every incident report within 5 working days."),
        para(
            "Accidents involving Section Supervisors shall be reported on form QF-50 Incident "
            "Report within the same shift."
        ),
    )
    falses = [d for d in statement_drafts(document, RoleBook(document)) if d.truth is False]

    assert not [d.prompt for d in falses if "involving" in d.prompt], [d.prompt for d in falses]


def test_an_interview_on_a_heading_that_names_a_time_asks_what_happens_then() -> None:
    assert topic_of("During the work") == "what happens during the work"
    assert topic_of("After the audit") == "what happens after the audit"


def test_an_interview_point_never_says_what_is_done_to_it() -> None:
    document = _document(
        para("The Line Manager shall withdraw a dropped gauge from use within 1 hour."),
        para("The Line Manager shall enter it in the incident system within 24 hours."),
        para("The Quality Manager shall review the incident report within 5 working days."),
    )
    opens = [q for q in draft_questions(document) if q.kind is Kind.OPEN]

    assert opens
    assert not [k.point for q in opens for k in q.key_points if "enter it" in k.point]


def test_an_adverb_after_shall_and_a_second_verb_both_read_right_in_a_who_prompt() -> None:
    prompts = _prompts(
        para("The Line Manager shall immediately tell the Quality Manager about a dropped gauge."),
        para("The Metrology Technician shall check and sign each calibration certificate."),
    )

    assert "Who immediately tells the Quality Manager about a dropped gauge?" in prompts, prompts
    assert "Who checks and signs each calibration certificate?" in prompts, prompts


def test_a_title_word_that_is_also_a_thing_is_no_role_when_it_opens_a_sentence() -> None:
    document = _plain(
        para("Lead is not used on site."),
        para("The SHEQ Manager shall approve every new chemical before it is ordered."),
        para("The Stores Controller shall check each delivery within 1 working day."),
    )

    assert "lead" not in {role.name.lower() for role in RoleBook(document).roles}


def test_a_condition_kept_in_a_who_prompt_starts_lower_case() -> None:
    assert lower_first("If Q1 is full") == "if Q1 is full"
    assert lower_first("Quality Manager") == "Quality Manager"
    assert lower_first("The Site Manager") == "the Site Manager"


def _roles_table(*rows: tuple[str, str], then: tuple[Block, ...] = ()) -> ProcedureDocument:
    """A procedure whose roles table gives each role its own duty, and `then` in a section 2."""
    roles = section("1", "Roles", table(("Role", "Responsibility"), *rows))
    return ProcedureDocument(
        id="WH-02",
        original_id="WH-02",
        title="Stock rotation",
        revision="3",
        source="wh-02.md",
        sections=(roles, section("2", "Procedure", *then)) if then else (roles,),
    )


def test_two_clauses_run_together_give_no_time_question() -> None:
    prompts = _prompts(
        para(
            "Q1 is not a waste area – rejected gauges go in the marked bay inside Q1 and shall "
            "be removed within 72 hours."
        ),
        para(
            "Once review is complete and all issues are closed the Line Manager shall send the "
            "acknowledgement within 3 working days of receipt."
        ),
        para("Obsolete labels shall be removed and destroyed within 2 working days."),
    )

    timed = [p for p in prompts if p.startswith("Within")]
    assert "Within how many working days must obsolete labels be removed and destroyed?" in timed
    assert not [p for p in timed if "waste area" in p or "issues closed" in p], timed


def test_a_clause_number_run_into_a_paragraph_is_left_out() -> None:
    drafts = draft_questions(
        _document(
            para(
                "6.6.1 Rejected gauges shall be scrapped within 72 hours of the decision. 6.6.2 "
                "Damaged gauges shall be returned to the Metrology Technician with form QF-41."
            )
        )
    )

    assert any("Damaged gauges" in (q.cites or "") for q in drafts)
    assert not [q.prompt for q in drafts if "6.6.2" in q.prompt or "6.6.2" in (q.cites or "")]


def test_who_does_what_a_role_is_named_after_is_not_asked() -> None:
    document = with_roles(
        "WH-01",
        ("Pickers", "Shift Manager", "Inventory Controller"),
        "Picking",
        para("Pickers shall pick only from the location directed by the handheld."),
        para("The Shift Manager shall review the pick accuracy report every Monday."),
    )
    prompts = [q.prompt for q in draft_questions(document)]

    assert "Who reviews the pick accuracy report every Monday?" in prompts, prompts
    assert not [p for p in prompts if p.startswith("Who picks")], prompts


def test_a_rule_that_points_at_a_table_or_another_procedure_is_not_asked() -> None:
    prompts = _prompts(
        para("Gauges shall only be stored in the designated cabinets shown in Table 1."),
        para("Gauge spills shall be dealt with under EHS/EP/05."),
        para("The Line Manager shall sign the gauge issue sheet QF-44 before issue."),
    )

    assert not [p for p in prompts if "Table 1" in p or "EHS/EP/05" in p], prompts
    assert any("QF-44" in p for p in prompts), prompts


def test_the_same_form_without_saying_which_is_not_asked() -> None:
    drafts = draft_questions(
        _document(
            para("Gauge stores are inspected weekly on form QF-45."),
            para(
                "The Quality Manager shall do a monthly inspection of all gauge stores using the "
                "same form."
            ),
        )
    )

    assert not [
        q.prompt for q in drafts if q.kind is not Kind.OPEN and "same form" in (q.cites or "")
    ]


def test_a_labelled_step_gives_no_true_false() -> None:
    document = _document(
        para(
            "Register check: the Quality Manager shall confirm the gauge is on the Gauge "
            "Register before approval."
        ),
        para("The Line Manager shall sign the gauge issue sheet QF-44 before issue."),
    )
    statements = [d.prompt for d in statement_drafts(document, RoleBook(document))]

    assert statements
    assert not [s for s in statements if s.startswith("Register check")], statements


def test_a_duty_cell_whose_verb_takes_a_preposition_is_asked_as_a_verb() -> None:
    document = _roles_table(
        ("Quality Manager", "Approves the annual calibration plan."),
        ("Line Manager", "Deputises for the Quality Manager."),
        ("Metrology Technician", "Maintains the Gauge Register."),
        ("Stores Controller", "Issues gauges against a signed request."),
        ("Purchasing Officer", "Orders replacement gauges."),
    )
    prompts = [q.prompt for q in draft_questions(document)]

    assert "Who deputises for the Quality Manager?" in prompts, prompts


def test_a_true_false_restating_a_who_question_from_another_sentence_is_left_out() -> None:
    document = _roles_table(
        ("Quality Manager", "Approves the annual calibration plan."),
        ("Line Manager", "Confirms the delivery date where lead time is under standard."),
        ("Metrology Technician", "Maintains the Gauge Register."),
        then=(
            para(
                "Where the required date is shorter than our standard lead time the Line "
                "Manager shall confirm the date in JobTrack before acknowledgement."
            ),
        ),
    )
    drafts = draft_questions(document)

    assert any(q.prompt.startswith("Who confirms the delivery date") for q in drafts), drafts
    assert not [q.prompt for q in drafts if q.kind is Kind.TRUE_FALSE and "JobTrack" in q.prompt]


def test_one_role_asked_one_duty_once_though_the_table_adds_an_aside_to_its_name() -> None:
    document = _roles_table(
        ("Quality Manager (owner)", "Reviews weekly gauge report."),
        ("Line Manager", "Approves the annual calibration plan."),
        ("Metrology Technician", "Maintains the Gauge Register."),
        then=(para("The Quality Manager shall review the gauge report every Monday."),),
    )
    prompts = [q.prompt for q in draft_questions(document)]

    assert len([p for p in prompts if p.startswith("Who reviews")]) == 1, prompts


def test_what_comes_after_is_not_asked_of_a_rule_or_a_state_in_a_steps_table() -> None:
    drafts = draft_questions(
        _document(
            table(
                ("Step", "Action", "Responsible"),
                ("1", "Scan the gauge label.", "Metrology Technician"),
                ("2", "Line Manager contacts the owner for a decision.", "Line Manager"),
                ("3", "Mixed gauges: split by size before storage.", "Metrology Technician"),
                ("4", "Check the calibration date on the label.", "Metrology Technician"),
                ("5", "Gauge past its due date – no decision needed.", "Line Manager"),
            )
        )
    )
    after = [q for q in drafts if "what comes after" in q.prompt]

    assert [q for q in drafts if q.prompt.startswith("What is the first step")]

    assert not [q.prompt for q in after if _right_option(q).startswith(("Mixed", "Gauge past"))]


def test_a_minimum_frequency_is_asked_as_at_least_how_often() -> None:
    prompts = _prompts(
        para("The gauge register must be reviewed at minimum once per year by the Line Manager.")
    )

    assert "At least how often must the gauge register be reviewed by the Line Manager?" in (
        prompts
    ), prompts


def test_a_duty_and_its_acronym_written_out_are_one_duty() -> None:
    assert same_duty(
        "Who co-ordinates CAPA activities relating to the QMS?",
        "Who coordinates defining and implementing corrective and preventive action?",
    )
    assert not same_duty(
        "Who co-ordinates CAPA activities relating to the QMS?",
        "Who discusses the next steps with the person closest to the issue?",
    )


def test_a_clipped_singular_object_in_a_duty_cell_takes_the() -> None:
    document = _roles_table(
        ("Quality Manager", "Reviews weekly gauge report."),
        ("Line Manager", "Approves purchase orders for gauges."),
        ("Metrology Technician", "Maintains the Gauge Register."),
        ("Stores Controller", "Issues gauges against a signed request."),
    )
    prompts = [q.prompt for q in draft_questions(document)]

    assert "Who reviews the weekly gauge report?" in prompts, prompts
    assert "Who approves purchase orders for gauges?" in prompts, prompts


def test_a_role_named_by_an_acronym_the_document_never_spells_out_is_asked_by_its_name() -> None:
    document = _roles_table(
        ("Site Technical Manager (owner)", "Approves the annual calibration plan."),
        ("Technical Coordinator", "Deputises for STM."),
        ("Metrology Technician", "Maintains the Gauge Register."),
        ("Stores Controller", "Issues gauges against a signed request."),
        ("QMO", "Approves every concession."),
    )
    deputy = next(q for q in draft_questions(document) if q.prompt.startswith("Who deputises"))

    assert deputy.prompt == "Who deputises for the Site Technical Manager?"
    assert "Site Technical Manager (owner)" not in deputy.options.values()
    assert RoleBook(document).spelt_out("Who tells the QMO?") == "Who tells the QMO?"


def test_a_rule_naming_its_form_only_as_the_form_is_not_asked() -> None:
    prompts = _prompts(
        para(
            "New gauges shall not be approved unless there is no calibrated alternative, and the "
            "reason is written on the form."
        ),
        para("The Line Manager shall record the reason for a gauge rejection on the form QF-46."),
    )

    assert not [p for p in prompts if p.endswith("on the form.")], prompts
    assert "Who records the reason for a gauge rejection on the form QF-46?" in prompts, prompts


def test_a_lower_rung_of_an_authority_ladder_is_not_asked_who() -> None:
    prompts = _prompts(
        para("The Line Manager shall approve gauge purchases over £1,000."),
        para("The Quality Manager shall approve gauge purchases over £10,000."),
        para("The Metrology Technician shall sign the gauge issue sheet before issue."),
    )

    assert "Who approves gauge purchases over £10,000?" in prompts, prompts
    assert "Who approves gauge purchases over £1,000?" not in prompts, prompts


def test_a_record_named_inside_another_rule_is_not_asked_where() -> None:
    prompts = _prompts(
        para("No gauge shall be issued to the line before the approval is recorded on form QF-47."),
        para("Gauge calibration results are recorded on form QF-41."),
        para("Gauge repairs are recorded on form QF-48."),
    )

    where = [p for p in prompts if p.startswith(("On which form", "Where"))]
    assert "On which form are gauge calibration results recorded?" in where, prompts
    assert not [p for p in where if "issued to the line" in p], prompts


def test_a_false_statement_swaps_in_a_role_the_section_involves() -> None:
    document = _document(
        para("The Quality Manager shall approve the gauge plan on form QF-40 each January."),
        para("The Line Manager shall review every incident report within 5 working days."),
    )
    falses = [d.prompt for d in statement_drafts(document, RoleBook(document)) if not d.truth]

    assert falses, falses
    assert not [f for f in falses if "Metrology Technician" in f], falses


def test_italics_read_from_word_or_pdf_leave_no_asterisks_in_a_prompt() -> None:
    prompts = _prompts(
        para("Our *core gauges* must be checked at minimum once per year by the Line Manager.")
    )

    assert "At least how often must our core gauges be checked by the Line Manager?" in prompts
    assert not [p for p in prompts if "*" in p], prompts


def test_a_sentence_cut_where_a_line_broke_gives_no_prompt() -> None:
    prompts = _prompts(
        para("The Line Manager determines if the gauge is a Class A, Class B,"),
        para("The Metrology Technician shall sign the gauge issue sheet before issue."),
    )

    assert "Who signs the gauge issue sheet before issue?" in prompts, prompts
    assert not [p for p in prompts if p.endswith(",?")], prompts


def test_at_least_before_every_is_asked_as_at_least_how_often() -> None:
    prompts = _prompts(
        para("Generic gauge checks must be reviewed at least every 12 months by the Line Manager.")
    )

    assert "At least how often must generic gauge checks be reviewed by the Line Manager?" in (
        prompts
    ), prompts


def test_a_rule_pointing_at_a_step_or_note_by_number_is_not_asked() -> None:
    prompts = _prompts(
        para("All gauge users shall have the training listed in Step 2 recorded on form QF-49."),
        para("A gauge must not be issued to its own inspector except as described in note 6.5.3."),
        para("The Line Manager shall sign the gauge issue sheet QF-44 before issue."),
    )

    assert not [p for p in prompts if "Step 2" in p or "note 6.5.3" in p], prompts
    assert any("QF-44" in p for p in prompts), prompts


def test_a_distance_is_no_place_a_thing_is_kept() -> None:
    prompts = _prompts(
        para("Loose tools shall be kept at least 30 cm from ESDS gauges."),
        para("Gauge calibration results are recorded on form QF-41."),
        para("Gauge repairs are recorded on form QF-48."),
        para("Gauge losses are recorded on form QF-43."),
    )

    assert not [p for p in prompts if p.startswith("Where") and "tools" in p], prompts
    assert "On which form are gauge calibration results recorded?" in prompts, prompts


def test_a_cells_duties_listed_with_commas_are_asked_with_and() -> None:
    document = _roles_table(
        ("Quality Manager", "Approves the annual calibration plan."),
        ("Stores Controller", "Keeps the Gauge Register, applies calibration tags, quarantines "
         "damaged gauges."),
        ("Metrology Technician", "Calibrates gauges against the masters."),
        ("Line Manager", "Signs the gauge issue sheet."),
    )  # fmt: skip
    prompts = [q.prompt for q in draft_questions(document)]

    assert (
        "Who keeps the Gauge Register, applies calibration tags and quarantines damaged gauges?"
        in prompts
    ), prompts
