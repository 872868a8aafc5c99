"""Two fictional procedures, built as a reader would build them, with what they say as facts the
tests can check drafts against.
"""

from __future__ import annotations

from itertools import count

from questions.documents.model import Block, BlockKind, Location, ProcedureDocument, Section

_paragraphs = count(1)


def para(text: str) -> Block:
    return Block(BlockKind.PARAGRAPH, text, Location(next(_paragraphs)))


def item(marker: str, text: str, depth: int = 0) -> Block:
    return Block(BlockKind.LIST_ITEM, text, Location(next(_paragraphs)), marker=marker, depth=depth)


def table(*rows: tuple[str, ...]) -> Block:
    text = "\n".join(" | ".join(row) for row in rows)
    return Block(BlockKind.TABLE, text, Location(next(_paragraphs)), rows=tuple(rows))


def section(number: str, heading: str, *blocks: Block, level: int = 1) -> Section:
    return Section(number, heading, tuple(blocks), Location(next(_paragraphs)), level=level)


def with_roles(
    code: str, roles: tuple[str, ...], heading: str, *blocks: Block
) -> ProcedureDocument:
    """A procedure of a roles table, so drafts know the roles, and one section of `blocks`."""
    return ProcedureDocument(
        id=code,
        original_id=code,
        title=heading,
        revision="2",
        source=f"{code.lower()}.md",
        sections=(
            section(
                "1",
                "Roles",
                table(("Role", "Responsibility"), *[(r, "Takes part in reviews.") for r in roles]),
            ),
            section("2", heading, *blocks),
        ),
    )


CALIBRATION = ProcedureDocument(
    id="QP-21",
    original_id="QP-21",
    title="Calibration of measuring equipment",
    revision="C",
    source="qp-21.docx",
    sections=(
        section(
            "1",
            "Purpose",
            para(
                "This procedure makes sure that every gauge used to accept product at Harbourline "
                "Engineering measures correctly."
            ),
        ),
        section(
            "2",
            "Responsibilities",
            table(
                ("Role", "Responsibility"),
                ("Quality Manager", "Approves the annual calibration plan."),
                ("Metrology Technician", "Calibrates gauges against the reference standards."),
                ("Production Supervisor", "Withdraws overdue gauges from the shop floor."),
                ("Stores Controller", "Issues registered gauges from the gauge store."),
            ),
            para("The Quality Manager is responsible for keeping the equipment register current."),
        ),
        section(
            "3",
            "Records",
            para("Each calibration result is recorded on form QF-31."),
            para("Out-of-tolerance findings are logged in the NCR register."),
            para("Gauge issues and returns are recorded in the Gauge Issue Log."),
            para("Gauge handling training is recorded in the Training Record."),
        ),
        section(
            "4",
            "Calibrating a gauge",
            para("The Metrology Technician calibrates each gauge in the metrology room."),
            item("1", "Check the gauge label against the equipment register."),
            item("2", "Clean the measuring faces and let the gauge reach room temperature."),
            item("3", "Measure the reference standard three times and note each reading."),
            item("4", "Compare the readings with the tolerance on the calibration sheet."),
            item("5", "Fix a new calibration label showing the next due date."),
        ),
        section(
            "5",
            "Gauges found out of tolerance",
            para(
                "A gauge found out of tolerance must be quarantined within 24 hours. The Metrology "
                "Technician shall raise an NCR for every gauge found out of tolerance."
            ),
            para(
                "The Quality Manager shall review every job measured with the gauge since its "
                "last calibration. Affected customers must be informed within 5 working days."
            ),
            para(
                "A dropped gauge must be reported to the Metrology Technician. A gauge with a "
                "damaged label shall be reported to the Quality Manager."
            ),
        ),
        section(
            "6",
            "Calibration intervals",
            para("Hand gauges shall be calibrated every 12 months."),
            para(
                "Reference standards must be checked by an accredited laboratory every 24 months."
            ),
            para("Calibration certificates shall be kept for at least 6 years."),
        ),
        section(
            "7",
            "Revision history",
            table(
                ("Revision", "Date", "Change"),
                ("B", "2023-03-01", "Calibration intervals added"),
                ("C", "2024-05-14", "Gauge Issue Log replaces the paper book"),
            ),
        ),
    ),
    owner="Quality Manager",
)

# Who does what in CALIBRATION, in the words of its prompts.
CALIBRATION_DUTIES = {
    "annual calibration plan": "Quality Manager",
    "calibrates gauges": "Metrology Technician",
    "calibrates each gauge": "Metrology Technician",
    "withdraws overdue gauges": "Production Supervisor",
    "issues registered gauges": "Stores Controller",
    "equipment register current": "Quality Manager",
    "raises an ncr": "Metrology Technician",
    "reviews every job": "Quality Manager",
}


SPILLS = ProcedureDocument(
    id="SP-11",
    original_id="SP 11",
    title="Responding to chemical spills",
    revision="4",
    source="sp-11.md",
    sections=(
        section(
            "1",
            "Scope",
            para(
                "This procedure covers spills of oils, coolants and solvents on the Dockside site."
            ),
        ),
        section(
            "2",
            "Roles",
            table(
                ("Role", "Duties"),
                ("Shift Leader", "Takes charge at the spill and decides whether to evacuate."),
                ("First Aider", "Treats anyone splashed or overcome by fumes."),
                ("Environmental Coordinator", "Reports spills that reach a drain to the agency."),
                ("Site Manager", "Signs off the investigation report."),
            ),
        ),
        section(
            "3",
            "Responding to a spill",
            item("a", "Stop the source of the spill if it is safe to do so."),
            item("b", "Keep people away and warn the Shift Leader."),
            item("c", "Cover nearby drains with a drain mat from the spill kit."),
            item("d", "Soak up the liquid with absorbent pads."),
            item("e", "Bag the used pads as hazardous waste."),
            para("The Shift Leader must inspect the area before work restarts."),
        ),
        section(
            "4",
            "Reporting and records",
            para(
                "Every spill is recorded in the Spill Log. The investigation is written up on "
                "form EF-07. Waste collections are recorded on the waste transfer note. Spill kit "
                "checks are recorded on the Spill Kit Checklist."
            ),
            para(
                "A spill that reaches a drain must be reported to the environment agency within "
                "2 hours. The investigation report shall be completed within 10 working days."
            ),
            para("The Environmental Coordinator shall review the Spill Log every 3 months."),
            # Sentences no choice question asks about: only these make true/false drafts.
            para(
                "A spill kit with a broken seal must be reported to the Shift Leader. Any spill "
                "of an unknown substance shall be reported to the Environmental Coordinator."
            ),
        ),
        section(
            "5",
            "Spill kits",
            para(
                "Spill kits must be checked every week. The Shift Leader shall restock a spill kit "
                "after every use."
            ),
        ),
    ),
    owner="Site Manager",
)

SPILLS_DUTIES = {
    "takes charge": "Shift Leader",
    "treats anyone": "First Aider",
    "reports spills": "Environmental Coordinator",
    "signs off the investigation": "Site Manager",
    "inspects the area": "Shift Leader",
    "reviews the spill log": "Environmental Coordinator",
    "restocks a spill kit": "Shift Leader",
}

DOCUMENTS = (CALIBRATION, SPILLS)
