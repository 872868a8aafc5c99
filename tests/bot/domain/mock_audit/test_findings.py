from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.mock_audit.findings import (
    Finding,
    FindingGrade,
    FindingRules,
    Strength,
    TopicEvidence,
    write_findings,
)

QMS = "ISO 9001:2015"
NC_OUTPUT = "what to do with nonconforming output"
CONTROL = "Output that doesn't conform is identified and controlled so it isn't used."


def row(
    department: str,
    role: str | None,
    *,
    passed: int = 0,
    failed: int = 0,
    unavailable: int = 0,
    weak: int = 0,
    standard: str = QMS,
    clause: str = "8.7",
    topic: str = NC_OUTPUT,
) -> TopicEvidence:
    return TopicEvidence(
        standard=standard,
        clause=clause,
        requirement=CONTROL,
        topic=topic,
        department=department,
        role=role,
        sampled=passed + failed + unavailable,
        passed=passed,
        failed=failed,
        unavailable=unavailable,
        weak=weak,
    )


def only(evidence: list[TopicEvidence], rules: FindingRules | None = None) -> Finding:
    findings, strengths = write_findings(evidence, rules=rules or FindingRules())
    assert len(findings) == 1 and strengths == []
    return findings[0]


def test_a_single_failure_is_never_softened_into_an_observation() -> None:
    finding = only(
        [
            row("Production", "operator", passed=9, failed=1),
            row("Production", "supervisor", passed=4, unavailable=2),
            row("Warehouse", "picker", passed=10),
        ]
    )
    assert finding.grade is FindingGrade.MINOR
    assert "confined to Production" in finding.reason
    assert "not softened into an observation" in finding.reason


def test_failures_in_two_departments_are_systemic_and_major() -> None:
    finding = only(
        [
            row("Production", "operator", passed=5, failed=1),
            row("Warehouse", "picker", passed=5, failed=1),
        ]
    )
    assert finding.grade is FindingGrade.MAJOR
    assert "Systemic" in finding.reason and "Production and Warehouse" in finding.reason


def test_the_systemic_threshold_is_a_rule() -> None:
    evidence = [
        row("Production", "operator", passed=5, failed=1),
        row("Warehouse", "picker", passed=5, failed=1),
    ]
    assert only(evidence, FindingRules(systemic_departments=3)).grade is FindingGrade.MINOR


def test_most_of_those_sampled_failing_is_major_even_in_one_department() -> None:
    finding = only(
        [
            row("Production", "operator", failed=3),
            row("Production", "supervisor", passed=1, failed=1),
            row("Production", "engineer", passed=1),
        ]
    )
    assert finding.grade is FindingGrade.MAJOR
    assert "Most of those who answered could not: 4 of 6" in finding.reason


def test_half_failing_in_one_department_is_minor() -> None:
    # failed > passed makes it major; an even split does not.
    assert only([row("Production", "operator", passed=2, failed=2)]).grade is FindingGrade.MINOR


def test_people_unavailable_without_failures_is_an_observation() -> None:
    finding = only([row("Warehouse", "picker", passed=3, unavailable=2)])
    assert finding.grade is FindingGrade.OBSERVATION
    assert finding.statement == (
        "Of 5 people sampled in Warehouse (5 pickers), 2 were not available to be interviewed "
        f"on {NC_OUTPUT}."
    )
    assert "2 people sampled were not available for interview" in finding.reason


def test_a_thin_sample_without_failures_is_an_observation() -> None:
    finding = only([row("Warehouse", "picker", passed=1)])
    assert finding.grade is FindingGrade.OBSERVATION
    assert finding.statement == (
        f"Only 1 person answered on {NC_OUTPUT}, too few to show it is understood."
    )


def test_weak_but_passing_answers_are_an_opportunity_for_improvement() -> None:
    finding = only([row("Production", "operator", passed=4, weak=2)])
    assert finding.grade is FindingGrade.OFI
    assert finding.statement == (
        f"Of 4 people sampled in Production (4 operators), all could describe {NC_OUTPUT}, "
        "but 2 answers were weak."
    )


def test_the_statement_counts_people_by_role_and_department() -> None:
    finding = only(
        [
            row("Production", "operator", failed=3),
            row("Production", "supervisor", passed=1, failed=1),
            row("Production", "engineer", passed=1),
        ]
    )
    assert finding.statement == (
        "Of 6 people sampled in Production (3 operators, 2 supervisors, 1 engineer), "
        f"4 could not describe {NC_OUTPUT}."
    )
    assert finding.evidence == (
        f"Production, {NC_OUTPUT}: 6 people sampled (3 operators, 2 supervisors, 1 engineer); "
        "2 could describe it, 4 could not (3 operators, 1 supervisor)."
    )
    assert (finding.standard, finding.clause, finding.requirement) == (QMS, "8.7", CONTROL)


def test_evidence_covers_every_department_asked_and_names_nobody() -> None:
    finding = only(
        [
            row("Warehouse", "picker", passed=2, failed=1, unavailable=1),
            row("Warehouse", None, passed=1),
            row("Quality", "inspector", passed=2, weak=1),
            row("Quality", "head of quality", passed=1),
        ]
    )
    assert finding.evidence == (
        f"Warehouse, {NC_OUTPUT}: 5 people sampled (4 pickers, 1 with no role recorded); "
        "3 could describe it, 1 could not (1 picker), 1 was not available for interview. "
        f"Quality, {NC_OUTPUT}: 3 people sampled (2 inspectors, 1 head of quality); "
        "3 could describe it (1 only weakly), 0 could not."
    )
    assert finding.statement == (
        "Of 5 people sampled in Warehouse (4 pickers, 1 with no role recorded), 1 could not "
        f"describe {NC_OUTPUT} and 1 was not available for interview."
    )


def test_a_department_can_be_counted_without_its_roles() -> None:
    evidence = [
        row("Production", "operator", passed=2),
        row("Production", "supervisor", failed=1),
        row("Stores", "picker", passed=3),
    ]
    findings, _ = write_findings(evidence, without_roles={"Production"})
    (finding,) = findings
    assert finding.evidence == (
        f"Production, {NC_OUTPUT}: 3 people sampled; 2 could describe it, 1 could not. "
        f"Stores, {NC_OUTPUT}: 3 people sampled (3 pickers); 3 could describe it, 0 could not."
    )
    assert finding.statement == (
        f"Of 3 people sampled in Production, 1 could not describe {NC_OUTPUT}."
    )
    assert "supervisor" not in finding.reason
    shown, _ = write_findings(evidence)
    assert shown[0].grade is finding.grade and shown[0].reason == finding.reason
    assert "(2 operators, 1 supervisor)" in shown[0].statement


def test_roles_are_put_in_the_plural_sensibly() -> None:
    finding = only(
        [
            row("Maintenance", "head of safety", failed=2),
            row("Maintenance", "deputy", passed=1, failed=1),
            row("Maintenance", "staff", failed=2),
            row("Maintenance", "technician", failed=1),
        ]
    )
    assert "(2 deputies, 2 heads of safety, 2 staff, 1 technician)" in finding.statement


ISMS, EVENT = "ISO/IEC 27001:2022", "how to report an event"


def test_strengths_need_everyone_to_answer_well_and_at_least_two_people() -> None:
    findings, strengths = write_findings(
        [
            row("IT", "developer", passed=2, standard=ISMS, clause="A.6.8", topic=EVENT),
            row("IT", "analyst", passed=1, standard=ISMS, clause="A.6.8", topic=EVENT),
            row("IT", "developer", passed=3, clause="7.3", topic="the quality policy"),
            row("IT", "developer", passed=2, clause="7.3", topic="the quality objectives"),
        ]
    )
    assert findings == []
    assert strengths == [
        Strength(
            standard=QMS,
            clause="7.3",
            topic="the quality policy; the quality objectives",
            evidence=(
                "IT, the quality policy: 3 people sampled (3 developers); 3 could describe it, "
                "0 could not. IT, the quality objectives: 2 people sampled (2 developers); "
                "2 could describe it, 0 could not."
            ),
        ),
        Strength(
            standard=ISMS,
            clause="A.6.8",
            topic=EVENT,
            evidence=(
                "IT, how to report an event: 3 people sampled (2 developers, 1 analyst); "
                "3 could describe it, 0 could not."
            ),
        ),
    ]


def test_no_strength_with_anyone_unavailable_weak_or_alone() -> None:
    for evidence in (
        [row("IT", "developer", passed=3, unavailable=1)],
        [row("IT", "developer", passed=3, weak=1)],
        [row("IT", "developer", passed=1)],
    ):
        assert write_findings(evidence)[1] == []


def test_references_run_from_the_most_severe() -> None:
    findings, _ = write_findings(
        [
            row("Production", "operator", passed=3, weak=1, clause="7.1.6", topic="where to look"),
            row("Production", "operator", passed=2, unavailable=1, clause="7.2", topic="training"),
            row("Production", "operator", passed=5, failed=1, clause="7.5", topic="documents"),
            row("Production", "operator", failed=3, clause="10.2", topic="reacting"),
            row("Warehouse", "picker", passed=4, failed=2, clause="8.5.1", topic="work orders"),
            row("Production", "operator", passed=4, failed=1, clause="8.5.1", topic="work orders"),
        ]
    )
    assert [(f.reference, f.grade, f.clause) for f in findings] == [
        ("MA-01", FindingGrade.MAJOR, "8.5.1"),
        ("MA-02", FindingGrade.MAJOR, "10.2"),
        ("MA-03", FindingGrade.MINOR, "7.5"),
        ("MA-04", FindingGrade.OBSERVATION, "7.2"),
        ("MA-05", FindingGrade.OFI, "7.1.6"),
    ]


def test_requirements_are_grouped_by_standard_and_clause() -> None:
    findings, _ = write_findings(
        [
            row("Production", "operator", passed=3, failed=1, clause="7.3", topic="the policy"),
            row("Warehouse", "picker", passed=3, failed=1, clause="7.3", topic="the objectives"),
            row(
                "Production",
                "operator",
                passed=3,
                failed=1,
                clause="7.3",
                standard="ISO 14001:2015",
                topic="the environmental policy",
            ),
        ]
    )
    assert [(f.standard, f.grade) for f in findings] == [
        (QMS, FindingGrade.MAJOR),
        ("ISO 14001:2015", FindingGrade.MINOR),
    ]


def test_rows_without_anyone_sampled_are_no_evidence() -> None:
    assert write_findings([row("Production", "operator")]) == ([], [])


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"sampled": 5, "passed": 1, "failed": 1, "unavailable": 1}, "sampled is 5"),
        ({"sampled": 1, "passed": 2, "failed": -1, "unavailable": 0}, "failed is -1"),
        ({"sampled": 2, "passed": 1, "failed": 1, "unavailable": 0, "weak": 2}, "weak is 2"),
    ],
)
def test_inconsistent_counts_are_refused_with_where_they_are(
    counts: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message) as error:
        TopicEvidence(QMS, "8.7", CONTROL, NC_OUTPUT, "Production", "operator", **counts)
    assert "ISO 9001:2015 clause 8.7, Production" in str(error.value)


@st.composite
def evidence_rows(draw: st.DrawFn) -> TopicEvidence:
    passed, failed, unavailable = (draw(st.integers(0, 6)) for _ in range(3))
    return row(
        draw(st.sampled_from(["Production", "Warehouse", "IT"])),
        draw(st.sampled_from([None, "operator", "supervisor"])),
        passed=passed,
        failed=failed,
        unavailable=unavailable,
        weak=draw(st.integers(0, passed)),
        clause=draw(st.sampled_from(["7.2", "7.3", "8.7"])),
        topic=draw(st.sampled_from(["the policy", "the objectives"])),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(evidence_rows(), max_size=12))
def test_any_failure_is_a_nonconformity_and_references_follow_severity(
    evidence: list[TopicEvidence],
) -> None:
    findings, strengths = write_findings(evidence)
    failed = {r.clause for r in evidence if r.failed}
    for finding in findings:
        is_nc = finding.grade in (FindingGrade.MAJOR, FindingGrade.MINOR)
        assert is_nc == (finding.clause in failed)
        assert re.search(r"\d+ (person|people) sampled \(", finding.evidence)
    assert [f.reference for f in findings] == [f"MA-{n:02d}" for n in range(1, len(findings) + 1)]
    order = list(FindingGrade)
    assert [order.index(f.grade) for f in findings] == sorted(
        order.index(f.grade) for f in findings
    )
    assert not {s.clause for s in strengths} & {f.clause for f in findings}
