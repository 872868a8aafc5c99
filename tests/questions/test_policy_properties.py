"""Properties of the selection policy over random banks and histories."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from questions.policy import (
    BankQuestion,
    DepartmentAwareness,
    Learner,
    PastAnswer,
    PastDelivery,
    select_questions,
)
from tests.questions.test_policy import NOW, ago, codes

# --- properties ----------------------------------------------------------------------------

NAMES = st.sampled_from(["Production", "production", "Sales", "QA"])
ROLES = st.sampled_from(["Operator", "OPERATOR", "Manager"])


@st.composite
def banks(draw: st.DrawFn) -> list[BankQuestion]:
    size = draw(st.integers(0, 8))
    return [
        BankQuestion(
            code=f"Q{i}",
            procedure=draw(st.sampled_from(["QP-01", "QP-02", "QP-03"])),
            procedure_revision=draw(st.sampled_from(["A", "B"])),
            clauses=tuple(draw(st.lists(st.sampled_from(["C1", "C2", "C3"]), max_size=2))),
            departments=tuple(draw(st.lists(NAMES, max_size=2))),
            roles=tuple(draw(st.lists(ROLES, max_size=2))),
            retired=draw(st.booleans()),
            changed_section=draw(st.booleans()),
        )
        for i in range(size)
    ]


MOMENTS = st.floats(min_value=-2, max_value=120).map(ago)
CODES = st.sampled_from([f"Q{i}" for i in range(8)])
ANSWERS = st.builds(
    PastAnswer,
    question_code=CODES,
    procedure=st.sampled_from(["QP-01", "QP-02", "QP-03"]),
    procedure_revision=st.sampled_from(["A", "B"]),
    correct=st.booleans(),
    answered_at=MOMENTS,
)
DELIVERIES = st.builds(PastDelivery, question_code=CODES, sent_at=MOMENTS)
SHARES = st.floats(min_value=0, max_value=1)
AWARENESS = st.builds(
    DepartmentAwareness,
    by_procedure=st.dictionaries(st.sampled_from(["QP-01", "QP-02", "QP-03"]), SHARES),
    by_clause=st.dictionaries(st.sampled_from(["C1", "C2", "C3"]), SHARES),
)


def _eligible(q: BankQuestion, learner: Learner) -> bool:
    def fits(allowed: tuple[str, ...], value: str | None) -> bool:
        return not allowed or (value is not None and value.lower() in {a.lower() for a in allowed})

    return not q.retired and fits(q.departments, learner.department) and fits(q.roles, learner.role)


@settings(max_examples=300, deadline=None)
@given(
    bank=banks(),
    learner=st.builds(Learner, st.none() | NAMES, st.none() | ROLES),
    answers=st.lists(ANSWERS, max_size=12),
    deliveries=st.lists(DELIVERIES, max_size=12),
    awareness=AWARENESS,
    now_shift=st.floats(min_value=-5, max_value=60),
    count=st.integers(1, 3),
    seed=st.integers(),
    min_gap_days=st.integers(0, 30),
)
def test_property_only_eligible_no_duplicates_and_full_count(
    bank: list[BankQuestion],
    learner: Learner,
    answers: list[PastAnswer],
    deliveries: list[PastDelivery],
    awareness: DepartmentAwareness,
    now_shift: float,
    count: int,
    seed: int,
    min_gap_days: int,
) -> None:
    kwargs = dict(
        learner=learner,
        bank=bank,
        answers=answers,
        deliveries=deliveries,
        awareness=awareness,
        now=NOW + timedelta(days=now_shift),
        count=count,
        seed=seed,
        min_gap_days=min_gap_days,
    )
    choices = select_questions(**kwargs)
    eligible = {q.code for q in bank if _eligible(q, learner)}
    chosen = codes(choices)
    assert set(chosen) <= eligible
    assert len(chosen) == len(set(chosen))
    assert len(chosen) == min(count, len(eligible))
    assert select_questions(**kwargs) == choices
