"""The simulated company the write-path benchmarks share: people, roster, schedules, a round.

People are spread evenly over six departments and four time zones, and synced into the product
from the Slack stand-in exactly as `auditready staff sync` and `staff import` would.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.domain.schedules import SchedulesFile, load_schedules
from bot.sandbox import SandboxUser
from bot.services.bank import sync_bank
from bot.services.departments import declare_departments
from bot.services.rounds.service import RoundPlan
from bot.services.staff import import_roster, sync_staff
from bot.slack.app import Runtime
from bot.slack.directory import WebDirectory
from questions.loader import load_bank, sample_bank_path, sample_schedules_path
from questions.model import Audience

DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "Production": ("operator", "operator", "operator", "supervisor", "engineer"),
    "Warehouse": ("operator", "driver", "driver", "supervisor"),
    "Quality": ("inspector", "inspector", "engineer", "coordinator"),
    "Maintenance": ("technician", "technician", "engineer"),
    "Sales": ("coordinator", "coordinator", "engineer"),
    "IT": ("technician", "engineer", "administrator"),
}
TIME_ZONES = ("Europe/London", "Europe/Berlin", "America/Chicago", "Asia/Singapore")


def department_of(index: int) -> str:
    names = list(DEPARTMENTS)
    return names[index % len(names)]


def sandbox_users(people: int, *, domain: str) -> list[SandboxUser]:
    return [
        SandboxUser(
            id=f"U{index:08d}",
            name=f"Person {index:04d}",
            email=f"person{index:04d}@{domain}",
            tz=TIME_ZONES[index % len(TIME_ZONES)],
        )
        for index in range(people)
    ]


def roster_rows(users: list[SandboxUser]) -> list[dict[str, str]]:
    rows = []
    for index, user in enumerate(users):
        department = department_of(index)
        roles = DEPARTMENTS[department]
        rows.append(
            {
                "email": user.email or "",
                "slack_id": user.id,
                "name": user.name,
                "department": department,
                "role": roles[(index // len(DEPARTMENTS)) % len(roles)],
                "manager": "no",
                "oversees": "",
                "admin": "no",
            }
        )
    return rows


def every_day_schedules() -> SchedulesFile:
    """The sample schedules with no weekend and no holidays, so nobody is skipped today."""
    schedules = load_schedules(sample_schedules_path())
    company = schedules.company.model_copy(update={"weekend": [], "country": None})
    return schedules.model_copy(update={"company": company})


def everyone_plan() -> RoundPlan:
    return RoundPlan(
        kind="adhoc", audience=Audience(), questions_each=1, window_hours=48, reminder_hours=24
    )


def load_people(runtime: Runtime, users: list[SandboxUser]) -> None:
    now = datetime.now(UTC)
    sync_bank(uow=runtime.uow, bank=load_bank(sample_bank_path()), now=now)
    staff = sync_staff(
        uow=runtime.uow, directory=WebDirectory(runtime.client), include_guests=False, now=now
    )
    roster = import_roster(
        uow=runtime.uow, rows=roster_rows(users), departments=declare_departments(DEPARTMENTS)
    )
    if len(staff.added) != len(users) or roster.matched != len(users):
        raise SystemExit(
            f"setup: synced {len(staff.added)} and matched {roster.matched} of {len(users)} people"
        )


def quiet_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(logging.WARNING)
