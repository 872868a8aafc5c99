"""Six months of deliveries, answers and answer clauses for the simulated organisation."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from summary_company import HISTORY_DAYS, NOW, PersonSpec, QuestionSpec, World

UNANSWERED_SHARE = 0.05
BATCH = 10_000

DELIVERY_COLUMNS = (
    "id",
    "round_id",
    "person_id",
    "question_version_id",
    "source",
    "question_code",
    "procedure_code",
    "department",
    "role",
    "delivered_at",
    "channel",
    "message_ts",
    "send_error",
    "claimed_at",
    "closes_at",
    "closed_at",
    "reminded_at",
)
ANSWER_COLUMNS = (
    "id",
    "delivery_id",
    "person_id",
    "question_version_id",
    "question_code",
    "question_version",
    "chosen",
    "choice",
    "is_correct",
    "answered_at",
    "seconds_taken",
    "department",
    "role",
    "procedure_code",
    "procedure_revision",
    "clauses",
)
CLAUSE_COLUMNS = (
    "id",
    "answer_id",
    "clause",
    "person_id",
    "department",
    "is_correct",
    "answered_at",
)
COLUMNS = {"delivery": DELIVERY_COLUMNS, "answer": ANSWER_COLUMNS, "answer_clause": CLAUSE_COLUMNS}
Rows = dict[str, list[tuple[Any, ...]]]


def history_days() -> list[date]:
    return [NOW.date() - timedelta(days=d) for d in range(HISTORY_DAYS, 0, -1)]


def per_day(total: int, days: list[date]) -> list[int]:
    """`total` split over the days, weekends at a tenth of a weekday, summing exactly."""
    weights = [1.0 if day.weekday() < 5 else 0.1 for day in days]
    whole = sum(weights)
    counts, running, given = [], 0.0, 0
    for weight in weights:
        running += weight
        upto = round(total * running / whole)
        counts.append(upto - given)
        given = upto
    return counts


def delivery_times(total: int, rng: random.Random) -> Iterator[datetime]:
    """`total` moments in time order over the history, in working hours (UTC)."""
    days = history_days()
    for day, count in zip(days, per_day(total, days), strict=True):
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        for second in sorted(rng.uniform(7 * 3600, 17 * 3600) for _ in range(count)):
            yield start + timedelta(seconds=second)


def answer_delay(delivered: datetime, rng: random.Random) -> timedelta:
    """Most answer within hours, a few the next day; nobody answers after NOW."""
    delay = timedelta(seconds=min(rng.expovariate(1 / (4 * 3600)), 47 * 3600))
    if delivered + delay >= NOW:
        delay = (NOW - delivered) * rng.random()
    return delay


@dataclass
class Activity:
    """Generates the deliveries, answers and clause rows in batches, in time order."""

    world: World
    answers: int
    rng: random.Random
    answer_id: int = 0
    clause_id: int = 0
    active: list[PersonSpec] = field(default_factory=list)
    silent: list[PersonSpec] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.active = [p for p in self.world.people if not p.silent] or self.world.people
        self.silent = [p for p in self.world.people if p.silent] or self.active

    def batches(self) -> Iterator[Rows]:
        unanswered = round(self.answers * UNANSWERED_SHARE)
        total = self.answers + unanswered
        skipped = set(self.rng.sample(range(total), unanswered))
        rows: Rows = {name: [] for name in COLUMNS}
        for index, delivered in enumerate(delivery_times(total, self.rng)):
            self.add(rows, index + 1, delivered, answered=index not in skipped)
            if len(rows["delivery"]) >= BATCH:
                yield rows
                rows = {name: [] for name in COLUMNS}
        if rows["delivery"]:
            yield rows

    def pick_person(self, answered: bool) -> PersonSpec:
        if not answered and self.rng.random() < 0.25:
            return self.rng.choice(self.silent)
        return self.rng.choice(self.active)

    def add(self, rows: Rows, delivery_id: int, delivered: datetime, *, answered: bool) -> None:
        rng = self.rng
        person = self.pick_person(answered)
        question = rng.choice(self.world.questions_for[person.department.name])
        closes = delivered + timedelta(hours=48)
        rows["delivery"].append(
            (
                delivery_id,
                None,
                person.id,
                question.id,
                "scheduled" if delivery_id % 10 else "quiz",
                question.code,
                question.procedure.code,
                person.department_name,
                person.role,
                delivered,
                f"D{person.id:08d}",
                f"{delivered.timestamp():.6f}",
                None,
                delivered,
                closes,
                None if answered or closes > NOW else closes,
                None,
            )
        )
        if answered:
            self.add_answer(rows, delivery_id, person, question, delivered)

    def add_answer(
        self,
        rows: Rows,
        delivery_id: int,
        person: PersonSpec,
        question: QuestionSpec,
        delivered: datetime,
    ) -> None:
        rng = self.rng
        skill = person.department.skill + person.ability + question.difficulty
        correct = rng.random() < min(0.98, max(0.03, skill))
        if correct:
            choice = question.correct
        else:
            first, second = question.wrong
            choice = first if rng.random() < question.first_wrong_share else second
        delay = answer_delay(delivered, rng)
        answered_at = delivered + delay
        self.answer_id += 1
        department = person.department_name
        procedure = question.procedure
        rows["answer"].append(
            (
                self.answer_id,
                delivery_id,
                person.id,
                question.id,
                question.code,
                1,
                [choice],
                choice,
                correct,
                answered_at,
                int(delay.total_seconds()),
                department,
                person.role,
                procedure.code,
                procedure.revision,
                list(procedure.clauses),
            )
        )
        for clause in procedure.clauses:
            self.clause_id += 1
            rows["answer_clause"].append(
                (
                    self.clause_id,
                    self.answer_id,
                    clause,
                    person.id,
                    department,
                    correct,
                    answered_at,
                )
            )
