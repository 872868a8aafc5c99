"""Four procedures of a fictional valve maker, Kestrel Valve Works, as content to lay out.

Each has a roles table, numbered steps, forms, shall and must statements, time limits and a
revision history, so drafting tests can use them as well as reading tests. `builders` lays
them out as Markdown, Word and PDF in several styles.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Steps:
    """A list: `marker` "1" for numbers, "a" for letters, "•" for bullets."""

    items: tuple[str, ...]
    marker: str = "1"


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]


Content = Paragraph | Steps | Table


@dataclass(frozen=True)
class SampleSection:
    number: str
    heading: str
    content: tuple[Content, ...]

    @property
    def level(self) -> int:
        return self.number.count(".") + 1


@dataclass(frozen=True)
class SampleProcedure:
    id: str
    written_id: str
    title: str
    revision: str
    owner: str
    owner_slack_id: str | None
    sections: tuple[SampleSection, ...]
    history: tuple[tuple[str, ...], ...]

    @property
    def expected_sections(self) -> tuple[tuple[str, str], ...]:
        """(number, heading) of every section a reader should find, the history left out."""
        return tuple((s.number, s.heading) for s in self.sections)


_TECHNICIAN = "Calibration Technician"


def _roles(*rows: tuple[str, str]) -> Table:
    return Table((("Role", "Responsibility"), *rows))


NONCONFORMING = SampleProcedure(
    id="QP-08",
    written_id="QP 08",
    title="Control of nonconforming product",
    revision="4",
    owner="Quality Manager",
    owner_slack_id="U012ABCDEF",
    sections=(
        SampleSection("1", "Purpose", (Paragraph(
            "This procedure sets out how Kestrel Valve Works identifies, segregates and decides "
            "what to do with product that does not meet its specification, so that it is never "
            "delivered by mistake."),)),
        SampleSection("2", "Scope", (Paragraph(
            "It applies to raw material, work in progress and finished valves at the Millbrook "
            "site, and to product returned by customers."),)),
        SampleSection("3", "Responsibilities", (_roles(
            ("Quality Manager", "Decides the disposition of every nonconforming batch."),
            ("Production Supervisor", "Stops the line and quarantines the affected batch."),
            ("Inspector", "Raises the nonconformance report and fixes the red hold label."),
            ("Stores Controller", "Keeps quarantined product in the locked hold area."),
            ("Purchasing Officer", "Tells the supplier about nonconforming material."),
        ),)),
        SampleSection("4", "Definitions", (Steps((
            "Nonconforming product: any item that does not meet its drawing or specification.",
            "Concession: written permission from the customer to ship product as it is.",
            "Disposition: the decision on what happens to nonconforming product.",
        ), "•"),)),
        # The last two sentences of each procedure's paragraph here are ones no choice question
        # asks about: only such sentences make true/false drafts.
        SampleSection("5", "Procedure", (Paragraph(
            "Whoever finds a nonconformity shall stop work on the affected product at once. A "
            "nonconformity found at a customer's site must be reported to the Quality Manager. "
            "Any doubt about whether product conforms shall be referred to the Inspector."),)),
        SampleSection("5.1", "Identifying nonconforming product", (Steps((
            "Stop the operation and tell the Production Supervisor.",
            "Fix a red hold label to each affected item.",
            "Move the items to the locked hold area within 4 hours.",
            "Raise a nonconformance report on form QF-12.",
            "Enter the report number in the NCR register.",
        )),)),
        SampleSection("5.2", "Deciding the disposition", (
            Paragraph("The Quality Manager must decide the disposition within 5 working days "
                      "of the report being raised. The options are:"),
            Steps((
                "Rework to the drawing and inspect again.",
                "Accept under a concession signed by the customer.",
                "Return to the supplier.",
                "Scrap, recording the scrap on form QF-15.",
            ), "a"),
            Paragraph("The Purchasing Officer shall notify the supplier within 2 working days. "
                      "Product accepted under a concession shall carry a green concession label."),
        )),
        SampleSection("6", "Records", (Paragraph(
            "The nonconformance report (form QF-12) and the scrap note (form QF-15) must be kept "
            "for 10 years. The Quality Manager shall review the NCR register every month."),)),
    ),
    history=(
        ("Revision", "Date", "Description"),
        ("1", "2021-02-01", "First issue"),
        ("2", "2022-03-15", "Hold area moved to building B"),
        ("3", "2023-01-09", "Purchasing Officer added"),
        ("4", "2024-06-10", "Green concession label added"),
    ),
)  # fmt: skip

INTERNAL_AUDIT = SampleProcedure(
    id="QP-14",
    written_id="QP 14",
    title="Internal audit",
    revision="3.1",
    owner="Management Representative",
    owner_slack_id="U07A8DT2KQ",
    sections=(
        SampleSection("1", "Purpose", (Paragraph(
            "This procedure describes how Kestrel Valve Works checks that its quality system "
            "works as planned, through internal audits."),)),
        SampleSection("2", "Scope", (Paragraph(
            "Every process of the quality system, at both sites, is audited."),)),
        SampleSection("3", "Responsibilities", (_roles(
            ("Management Representative", "Plans the audit programme and appoints auditors."),
            ("Lead Auditor", "Prepares, carries out and reports each audit."),
            ("Auditee Manager", "Answers the findings and agrees corrective actions."),
            ("Top Management", "Reviews the audit results at the management review."),
        ),)),
        SampleSection("4", "Audit programme", (Paragraph(
            "The Management Representative shall plan the audit programme every year so that "
            "each process is audited at least once in 12 months. Auditors must not audit their "
            "own work. Any conflict of interest must be declared to the Management "
            "Representative. A finding the auditee disputes shall be referred to Top "
            "Management. The Management Representative shall report the status of open "
            "corrective actions to Top Management."),)),
        SampleSection("5", "Carrying out an audit", (Paragraph(
            "The Lead Auditor is responsible for each audit from plan to report."),)),
        SampleSection("5.1", "Preparing and auditing", (Steps((
            "Agree the audit date with the Auditee Manager.",
            "Send the audit plan at least 10 working days before the audit.",
            "Review the procedures and the previous audit report.",
            "Hold an opening meeting with the auditees.",
            "Collect evidence by interview, observation and records.",
            "Present the findings at a closing meeting.",
        )),)),
        SampleSection("5.2", "Reporting findings", (Paragraph(
            "The Lead Auditor shall issue the audit report on form QF-21 within 5 working days "
            "of the closing meeting. Each nonconformity must be answered by the Auditee Manager "
            "within 10 working days, on form QF-22."),)),
        SampleSection("6", "Records", (Paragraph(
            "Audit reports (form QF-21) and corrective action forms (form QF-22) shall be kept "
            "for 6 years."),)),
    ),
    history=(
        ("Issue", "Date", "Change"),
        ("1.0", "2020-05-04", "First issue"),
        ("2.0", "2022-11-21", "Audit programme made yearly"),
        ("3.1", "2024-02-12", "Closing meeting added"),
    ),
)  # fmt: skip

SUPPLIER_EVALUATION = SampleProcedure(
    id="SP-04",
    written_id="SP-04",
    title="Supplier evaluation",
    revision="2",
    owner="Purchasing Manager",
    owner_slack_id=None,
    sections=(
        SampleSection("1", "Purpose", (Paragraph(
            "This procedure explains how Kestrel Valve Works chooses and keeps suppliers whose "
            "castings, seals and services meet its requirements."),)),
        SampleSection("2", "Scope", (Paragraph(
            "It covers suppliers of material, parts and calibration services."),)),
        SampleSection("3", "Responsibilities", (_roles(
            ("Purchasing Manager", "Approves new suppliers and keeps the supplier list."),
            ("Quality Engineer", "Scores the supplier questionnaire and audits suppliers."),
            ("Buyer", "Orders only from approved suppliers."),
            ("Finance Controller", "Checks the financial standing of new suppliers."),
        ),)),
        SampleSection("4", "Evaluating a new supplier", (Steps((
            "Send the supplier questionnaire, form QF-30, to the supplier.",
            "Score the returned questionnaire against the criteria.",
            "Check the supplier's certificates and financial standing.",
            "Audit the supplier's site when the score is below 70.",
            "Decide approval and enter the supplier on the approved supplier list, form QF-31.",
        )),)),
        SampleSection("5", "Re-evaluation", (Paragraph(
            "The Quality Engineer shall re-evaluate every approved supplier every 12 months. A "
            "supplier with two rejected deliveries must be put on hold within 3 working days. "
            "The Buyer shall not place orders with a supplier on hold. Certificates must be "
            "checked for expiry every 6 months. A late or short delivery must be reported to "
            "the Buyer. Any change in a supplier's ownership shall be reported to the "
            "Purchasing Manager."),)),
        SampleSection("6", "Records", (Paragraph(
            "Questionnaires (form QF-30) and the approved supplier list (form QF-31) are kept "
            "for 7 years."),)),
    ),
    history=(
        ("Rev", "Date", "Description"),
        ("1", "2022-09-01", "First issue"),
        ("2", "2024-04-18", "Financial check added"),
    ),
)  # fmt: skip

CALIBRATION = SampleProcedure(
    id="QP-11",
    written_id="QP-11",
    title="Control of measuring equipment",
    revision="B",
    owner="Metrology Lead",
    owner_slack_id="U0CALIB99",
    sections=(
        SampleSection("1", "Purpose", (Paragraph(
            "This procedure keeps every gauge used to accept valves accurate and traceable."),)),
        SampleSection("2", "Responsibilities", (_roles(
            ("Metrology Lead", "Keeps the gauge register and the calibration plan."),
            ("Calibration Technician", "Calibrates gauges against the reference standards."),
            ("Production Supervisor", "Withdraws overdue gauges from the shop floor."),
            ("Quality Manager", "Reviews product measured with a faulty gauge."),
        ),)),
        SampleSection("3", "Calibrating a gauge", (  # the steps in a table, not a list
            Paragraph("Each calibration follows these steps:"),
            Table((
                ("Step", "Action", "By"),
                ("1", "Check the gauge label against the gauge register.", _TECHNICIAN),
                ("2", "Let the gauge reach room temperature for 2 hours.", _TECHNICIAN),
                ("3", "Measure the reference standard three times.", _TECHNICIAN),
                ("4", "Record the readings on form QF-40.", _TECHNICIAN),
                ("5", "Fix a label showing the next due date.", _TECHNICIAN),
            )),
        )),
        SampleSection("4", "Faulty gauges", (Paragraph(
            "A gauge found out of tolerance must be quarantined within 24 hours. The Quality "
            "Manager shall review all product measured with it since its last calibration and "
            "record the review on form QF-41. Hand gauges shall be calibrated every 12 months. "
            "Calibration certificates must be kept for 6 years. A dropped or damaged gauge must "
            "be reported to the Metrology Lead. A broken seal on a gauge shall be reported to "
            "the Calibration Technician."),)),
    ),
    history=(
        ("Revision", "Date", "Description"),
        ("A", "2023-01-10", "First issue"),
        ("B", "2024-09-30", "Step table added"),
    ),
)  # fmt: skip

ALL = (NONCONFORMING, INTERNAL_AUDIT, SUPPLIER_EVALUATION, CALIBRATION)
