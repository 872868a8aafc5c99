"""What the four sample procedures say, written out by hand from their text, for checking drafts.

`tests.questions.documents.sample_procedures` holds the documents' content; this module holds
what a reader of that content knows: who does each duty and in which section, the time limits,
the first step of each list of steps, the forms things are recorded on. The acceptance tests in
`test_import_and_draft` look drafts up by what they ask and compare them with these facts, so
nothing here comes from the drafting code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.questions.documents.sample_procedures import (
    CALIBRATION,
    INTERNAL_AUDIT,
    NONCONFORMING,
    SUPPLIER_EVALUATION,
    Paragraph,
    SampleProcedure,
    SampleSection,
    Steps,
    Table,
)


@dataclass(frozen=True)
class Duty:
    """`role` does the duty a "Who …?" prompt names with `asks` (lower case), in `section`."""

    asks: str
    role: str
    section: str
    required: bool = False  # the drafts must ask about it


@dataclass(frozen=True)
class TimeLimit:
    """The time `answer` the document sets for what a prompt names by `about` (lower case).

    The drafter keeps one choice question per sentence, and where a sentence gives both who and
    by when, it asks by when: "Who …?" would give the time away and the time question the role.
    """

    about: str
    answer: str
    section: str
    required: bool = True


@dataclass(frozen=True)
class FirstStep:
    """A list of steps in order; prompts about it name `context`."""

    context: str
    section: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Record:
    """What is recorded (`about`, as a prompt names it) and the form or register it goes in."""

    about: str
    place: str
    section: str


@dataclass(frozen=True)
class Facts:
    sample: SampleProcedure
    roles: tuple[str, ...]  # every role the document names
    duties: tuple[Duty, ...]
    time_limits: tuple[TimeLimit, ...]
    first_step: FirstStep | None  # None: the steps are tested in their own (xfail) tests
    records: tuple[Record, ...]


NONCONFORMING_FACTS = Facts(
    sample=NONCONFORMING,
    roles=(
        "Quality Manager",
        "Production Supervisor",
        "Inspector",
        "Stores Controller",
        "Purchasing Officer",
    ),
    duties=(
        Duty("disposition of every nonconforming batch", "Quality Manager", "3", required=True),
        Duty("stops the line", "Production Supervisor", "3"),
        Duty("red hold label", "Inspector", "3", required=True),
        Duty("quarantined product in the locked hold area", "Stores Controller", "3"),
        Duty("supplier about nonconforming material", "Purchasing Officer", "3"),
        Duty("disposition within 5 working days", "Quality Manager", "5.2"),
        Duty("the supplier within 2 working days", "Purchasing Officer", "5.2"),
        Duty("ncr register every month", "Quality Manager", "6"),
    ),
    time_limits=(
        TimeLimit("locked hold area", "4 hours", "5.1", required=False),
        TimeLimit("decide the disposition", "5 working days", "5.2", required=False),
        TimeLimit("purchasing officer notify the supplier", "2 working days", "5.2"),
        TimeLimit("nonconformance report and the scrap note", "10 years", "6"),
        TimeLimit("review the ncr register", "Every month", "6"),
    ),
    first_step=FirstStep(
        "identifying nonconforming product",
        "5.1",
        (
            "Stop the operation and tell the Production Supervisor.",
            "Fix a red hold label to each affected item.",
            "Move the items to the locked hold area within 4 hours.",
            "Raise a nonconformance report on form QF-12.",
            "Enter the report number in the NCR register.",
        ),
    ),
    records=(
        Record("report number", "NCR register", "5.1"),
        Record("scrap", "QF-15", "5.2"),
    ),
)

INTERNAL_AUDIT_FACTS = Facts(
    sample=INTERNAL_AUDIT,
    # "Auditors" is named by the document too (section 4: "Auditors must not audit …").
    roles=(
        "Management Representative",
        "Lead Auditor",
        "Auditee Manager",
        "Top Management",
        "Auditors",
    ),
    duties=(
        Duty("appoints auditors", "Management Representative", "3", required=True),
        Duty("carries out and reports each audit", "Lead Auditor", "3"),
        Duty("findings and agrees corrective actions", "Auditee Manager", "3"),
        Duty("audit results at the management review", "Top Management", "3", required=True),
        Duty("audit programme every year", "Management Representative", "4"),
        Duty("status of open corrective actions", "Management Representative", "4", required=True),
        Duty("each audit from plan to report", "Lead Auditor", "5"),
        Duty("audit report on form qf-21", "Lead Auditor", "5.2"),
        Duty("each nonconformity", "Auditee Manager", "5.2"),
    ),
    time_limits=(
        TimeLimit("plan the audit programme", "Every year", "4", required=False),
        TimeLimit("audit plan", "10 working days", "5.1", required=False),
        TimeLimit("issue the audit report", "5 working days", "5.2"),
        TimeLimit("each nonconformity", "10 working days", "5.2", required=False),
        TimeLimit("audit reports and corrective action forms", "6 years", "6"),
    ),
    first_step=FirstStep(
        "preparing and auditing",
        "5.1",
        (
            "Agree the audit date with the Auditee Manager.",
            "Send the audit plan at least 10 working days before the audit.",
            "Review the procedures and the previous audit report.",
            "Hold an opening meeting with the auditees.",
            "Collect evidence by interview, observation and records.",
            "Present the findings at a closing meeting.",
        ),
    ),
    records=(
        Record("audit report", "QF-21", "5.2"),
        Record("nonconformity", "QF-22", "5.2"),
    ),
)

SUPPLIER_EVALUATION_FACTS = Facts(
    sample=SUPPLIER_EVALUATION,
    roles=("Purchasing Manager", "Quality Engineer", "Buyer", "Finance Controller"),
    duties=(
        Duty("approves new suppliers", "Purchasing Manager", "3", required=True),
        Duty("supplier questionnaire and audits suppliers", "Quality Engineer", "3"),
        Duty("only from approved suppliers", "Buyer", "3"),
        # "Who checks the financial standing…?" would name the Finance Controller: not drafted.
        Duty("financial standing of new suppliers", "Finance Controller", "3"),
        Duty("every approved supplier every 12 months", "Quality Engineer", "5"),
        Duty("orders with a supplier on hold", "Buyer", "5"),
    ),
    time_limits=(
        TimeLimit("re-evaluate every approved supplier", "Every 12 months", "5"),
        TimeLimit("two rejected deliveries", "3 working days", "5"),
        TimeLimit("certificates be checked for expiry", "Every 6 months", "5"),
        TimeLimit("questionnaires and the approved supplier list", "7 years", "6"),
    ),
    first_step=None,  # see test_the_first_supplier_evaluation_step_is_drafted
    records=(
        Record("questionnaire", "QF-30", "4"),
        Record("supplier", "QF-31", "4"),
    ),
)

CALIBRATION_FACTS = Facts(
    sample=CALIBRATION,
    roles=("Metrology Lead", "Calibration Technician", "Production Supervisor", "Quality Manager"),
    duties=(
        Duty("gauge register and the calibration plan", "Metrology Lead", "2", required=True),
        # "Who calibrates gauges…?" would name the Calibration Technician: not drafted.
        Duty("gauges against the reference standards", "Calibration Technician", "2"),
        Duty("overdue gauges", "Production Supervisor", "2", required=True),
        Duty("product measured with a faulty gauge", "Quality Manager", "2", required=True),
        # The steps table's "By" column.
        Duty("gauge label", "Calibration Technician", "3"),
        Duty("room temperature", "Calibration Technician", "3"),
        Duty("reference standard three times", "Calibration Technician", "3"),
        Duty("readings", "Calibration Technician", "3"),
        Duty("next due date", "Calibration Technician", "3"),
        Duty("since its last calibration", "Quality Manager", "4"),
    ),
    time_limits=(
        TimeLimit("room temperature", "2 hours", "3", required=False),
        TimeLimit("gauge found out of tolerance", "24 hours", "4"),
        TimeLimit("hand gauges", "Every 12 months", "4"),
        TimeLimit("calibration certificates", "6 years", "4"),
    ),
    first_step=None,  # the steps are a table: see test_the_first_step_of_a_steps_table_…
    records=(
        Record("readings", "QF-40", "3"),
        Record("review", "QF-41", "4"),
    ),
)

ALL_FACTS = (
    NONCONFORMING_FACTS,
    INTERNAL_AUDIT_FACTS,
    SUPPLIER_EVALUATION_FACTS,
    CALIBRATION_FACTS,
)

_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")
_ASIDE = re.compile(r"\s*\([^)]*\)")


def section_sentences(section: SampleSection) -> tuple[str, ...]:
    """Every sentence, list item and table cell of the section as the document writes it."""
    found: list[str] = []
    for content in section.content:
        if isinstance(content, Paragraph):
            found += _SENTENCE_END.split(content.text)
        elif isinstance(content, Steps):
            found += content.items
        elif isinstance(content, Table):
            found += [cell for row in content.rows for cell in row]
    return tuple(found)


def document_sentences(sample: SampleProcedure) -> frozenset[str]:
    """The document's sentences, each also without its asides in brackets ("(form QF-21)")."""
    sentences = [s for section in sample.sections for s in section_sentences(section)]
    return frozenset([*sentences, *(_ASIDE.sub("", s) for s in sentences)])


def table_rows(section: SampleSection) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(header, row) of every body row of the section's tables."""
    return tuple(
        (content.rows[0], row)
        for content in section.content
        if isinstance(content, Table)
        for row in content.rows[1:]
    )
