"""What each clause asks of people, paraphrased in our own words for findings."""

from __future__ import annotations

REQUIREMENTS = {
    "5.2": "The policy is communicated, understood and applied within the organisation.",
    "5.4": "Workers are consulted and take part, including in reporting hazards and incidents.",
    "6.1.2": "Significant aspects, hazards and risks of the work are known to those doing it.",
    "6.2": "Objectives are communicated to the people who contribute to them.",
    "7.3": (
        "People doing work under the organisation's control know the policy, the objectives "
        "that concern them, how they contribute, and what follows if they don't conform."
    ),
    "7.5": "People use the current, controlled version of the documented information they need.",
    "8.1": "Work is carried out under the planned controls, including for waste and emergencies.",
    "8.1.2": "Hazards are removed or controlled, following the order of protective measures.",
    "8.2": "People know how to prepare for and respond to emergencies such as spills.",
    "8.2.1": "Customer communication, including complaints, is handled as planned.",
    "8.7": "Output that doesn't conform is identified and controlled so it isn't delivered.",
    "9.1.2": "Customer feedback and complaints are captured and acted on.",
    "10.2": (
        "When a nonconformity or incident happens, people react, report it, and causes are "
        "investigated and corrected."
    ),
    "A.5.24": "Information security incidents are handled through a planned process.",
    "A.5.10": "Information and assets are used acceptably, by known rules.",
    "A.5.17": "Passwords and other authentication secrets are handled securely.",
    "A.6.8": "People report information security events quickly through the right channel.",
    "A.7.7": "Desks and screens are kept clear of sensitive information when unattended.",
}

# The standards a mock audit may cover, as the start form and the command line offer them.
STANDARDS = ("ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018", "ISO/IEC 27001:2022")


def split_clause(reference: str) -> tuple[str, str]:
    """'ISO 9001:2015 8.7' → ('ISO 9001:2015', '8.7')."""
    standard, _, clause = reference.rpartition(" ")
    return standard, clause


def requirement_for(clause: str) -> str:
    """The clause's requirement in plain words; a generic phrase for clauses not listed."""
    return REQUIREMENTS.get(clause, f"People understand and follow what clause {clause} asks.")
