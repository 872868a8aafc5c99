"""The simulated organisation of the summary benchmark: departments, procedures, questions,
people, and the rows of the small tables."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from storage.rollups import UNASSIGNED

SEED = 20261126
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
HISTORY_DAYS = 180
SILENT_SHARE = 0.01
NO_DEPARTMENT_SHARE = 0.01
HARD_SHARE = 0.03
PRACTICE_SHARE = 0.05
PROCEDURES = 40
PROCEDURES_PER_DEPARTMENT = 24
COMMON_PROCEDURES = 6


@dataclass(frozen=True)
class Department:
    name: str
    weight: float
    skill: float
    roles: tuple[str, ...]


DEPARTMENTS = (
    Department("Production", 0.28, 0.74, ("operator", "operator", "operator", "supervisor")),
    Department("Warehouse", 0.14, 0.66, ("operator", "driver", "driver", "supervisor")),
    Department("Logistics", 0.11, 0.69, ("planner", "driver", "coordinator")),
    Department("Quality", 0.10, 0.88, ("inspector", "inspector", "engineer", "coordinator")),
    Department("Maintenance", 0.10, 0.77, ("technician", "technician", "engineer")),
    Department("Sales", 0.10, 0.70, ("coordinator", "account manager")),
    Department("IT", 0.06, 0.81, ("technician", "engineer", "administrator")),
    Department("Finance", 0.05, 0.79, ("accountant", "controller")),
)
NO_DEPARTMENT = Department(UNASSIGNED, 0.0, 0.70, ("contractor",))
CLAUSES = tuple(
    [f"ISO 9001:2015 {c}" for c in ("4.4", "5.1", "6.1", "7.1.5", "7.2", "7.3", "7.5.3")]
    + [f"ISO 9001:2015 {c}" for c in ("8.2", "8.4", "8.5.1", "8.5.2", "8.5.4", "8.6", "8.7")]
    + [f"ISO 9001:2015 {c}" for c in ("9.1.2", "9.2", "10.2")]
    + [f"ISO 14001:2015 {c}" for c in ("6.1.2", "8.1", "8.2")]
    + [f"ISO 45001:2018 {c}" for c in ("5.4", "6.1.2", "8.1.2", "8.2")]
)
TIME_ZONES = ("Europe/London", "Europe/Berlin", "Europe/Warsaw", "America/Chicago")
KEYS = ("a", "b", "c")


# -- the generated organisation ----------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureSpec:
    id: int
    code: str
    revision: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    code: str
    procedure: ProcedureSpec
    correct: str
    difficulty: float
    # How wrong answers spread over the two wrong options (the first one's share).
    first_wrong_share: float

    @property
    def wrong(self) -> tuple[str, str]:
        first, second = (k for k in KEYS if k != self.correct)
        return first, second


@dataclass(frozen=True)
class PersonSpec:
    id: int
    department: Department
    role: str
    ability: float
    silent: bool

    @property
    def department_name(self) -> str | None:
        return None if self.department is NO_DEPARTMENT else self.department.name


@dataclass(frozen=True)
class World:
    procedures: list[ProcedureSpec]
    questions: list[QuestionSpec]
    people: list[PersonSpec]
    questions_for: dict[str, list[QuestionSpec]]


def make_world(people: int, questions: int, rng: random.Random) -> World:
    procedures = [
        ProcedureSpec(
            id=i + 1,
            code=f"QP-{i + 1:02d}",
            revision=rng.choice("BCDE"),
            clauses=tuple(rng.sample(CLAUSES, rng.choice((2, 2, 3)))),
        )
        for i in range(PROCEDURES)
    ]
    bank = [make_question(i, procedures[i % PROCEDURES], rng) for i in range(questions)]
    staff = [make_person(i, rng) for i in range(people)]
    questions_for = {
        d.name: relevant_questions(bank, procedures, rng) for d in (*DEPARTMENTS, NO_DEPARTMENT)
    }
    return World(procedures, bank, staff, questions_for)


def make_question(index: int, procedure: ProcedureSpec, rng: random.Random) -> QuestionSpec:
    draw = rng.random()
    if draw < HARD_SHARE:
        difficulty, first_wrong = -0.6, 0.5
    elif draw < HARD_SHARE + PRACTICE_SHARE:
        # A wrong answer most people agree on: practice differs from the procedure.
        difficulty, first_wrong = -0.3, 0.9
    else:
        difficulty, first_wrong = rng.gauss(0.0, 0.08), 0.5
    return QuestionSpec(
        id=index + 1,
        code=f"Q-{index + 1:04d}",
        procedure=procedure,
        correct=rng.choice(KEYS),
        difficulty=difficulty,
        first_wrong_share=first_wrong,
    )


def make_person(index: int, rng: random.Random) -> PersonSpec:
    if rng.random() < NO_DEPARTMENT_SHARE:
        department = NO_DEPARTMENT
    else:
        department = rng.choices(DEPARTMENTS, weights=[d.weight for d in DEPARTMENTS])[0]
    return PersonSpec(
        id=index + 1,
        department=department,
        role=rng.choice(department.roles),
        ability=rng.gauss(0.0, 0.07),
        silent=rng.random() < SILENT_SHARE,
    )


def relevant_questions(
    bank: list[QuestionSpec], procedures: list[ProcedureSpec], rng: random.Random
) -> list[QuestionSpec]:
    """A department is asked about the common procedures and a share of the others."""
    common = procedures[:COMMON_PROCEDURES]
    own = rng.sample(procedures[COMMON_PROCEDURES:], PROCEDURES_PER_DEPARTMENT - COMMON_PROCEDURES)
    codes = {p.code for p in (*common, *own)}
    return [q for q in bank if q.procedure.code in codes] or bank


# -- small tables ------------------------------------------------------------------------------


def procedure_rows(world: World) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "code": p.code,
            "title": f"Procedure {p.code}",
            "revision": p.revision,
            "owner": "Quality Manager",
            "clauses": list(p.clauses),
            "document": f"https://docs.example.com/{p.code}",
            "retired_at": None,
        }
        for p in world.procedures
    ]


def question_rows(world: World) -> list[dict[str, Any]]:
    return [
        {"id": q.id, "code": q.code, "procedure_id": q.procedure.id, "current_version": 1}
        for q in world.questions
    ]


def version_rows(world: World) -> list[dict[str, Any]]:
    return [
        {
            "id": q.id,
            "question_id": q.id,
            "version": 1,
            "content_hash": f"{q.id:064x}",
            "kind": "single",
            "prompt": f"Question {q.code} about {q.procedure.code}?",
            "options": [[k, f"Option {k} of {q.code}"] for k in KEYS],
            "correct": [q.correct],
            "explanation": "See the procedure.",
            "section": f"{q.procedure.code} section {q.id % 7 + 1}",
            "clauses": list(q.procedure.clauses),
            "audience_departments": [],
            "audience_roles": [],
            "created_at": NOW - timedelta(days=HISTORY_DAYS + 30),
        }
        for q in world.questions
    ]


def person_rows(world: World) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "slack_id": f"U{p.id:08d}",
            "name": f"Person {p.id}",
            "email": f"person{p.id}@example.com",
            "tz": TIME_ZONES[p.id % len(TIME_ZONES)],
            "department": p.department_name,
            "role": p.role,
            "is_manager": p.id % 40 == 0,
            "is_admin": p.id == 1,
            "is_active": True,
            "paused_until": None,
            "country": "GB",
            "synced_at": NOW - timedelta(days=1),
        }
        for p in world.people
    ]
