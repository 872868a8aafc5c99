"""The test company: its Slack members, its staff roster and copies of its question bank."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import yaml

from bot.domain.schedules import Schedule, SchedulesFile
from bot.sandbox import SandboxUser
from bot.services.staff import ROSTER_COLUMNS
from questions.loader import Bank, load_bank, sample_bank_path
from questions.model import effective_audience

AMARA = SandboxUser("U0E2E0001", "Amara Okafor", email="amara.okafor@brightfield.example")
JONAS = SandboxUser(
    "U0E2E0002", "Jonas Weber", email="jonas.weber@brightfield.example", tz="Europe/Berlin"
)
TOMASZ = SandboxUser("U0E2E0003", "Tomasz Nowak", email="tomasz.nowak@brightfield.example")
GRACE = SandboxUser(
    "U0E2E0004", "Grace Mensah", email="grace.mensah@brightfield.example", tz="Africa/Accra"
)
HELEN = SandboxUser("U0E2E0005", "Helen Park", email="helen.park@brightfield.example")
PEOPLE = (AMARA, JONAS, TOMASZ, GRACE, HELEN)

# Someone who joins Slack after the last staff sync.
NEWCOMER = SandboxUser("U0E2E0099", "Noor Haddad", email="noor.haddad@brightfield.example")

# Rows match by Slack id, or by email where the id is left blank, as a real roster might.
ROSTER = [
    {"email": AMARA.email, "slack_id": AMARA.id, "name": AMARA.name, "department": "Production",
     "role": "operator", "manager": "no", "oversees": "", "admin": "no"},
    {"email": JONAS.email, "slack_id": "", "name": JONAS.name, "department": "Production",
     "role": "Operator", "manager": "no", "oversees": "", "admin": "no"},
    {"email": TOMASZ.email, "slack_id": TOMASZ.id, "name": TOMASZ.name, "department": "Warehouse",
     "role": "operator", "manager": "no", "oversees": "", "admin": "no"},
    {"email": GRACE.email, "slack_id": GRACE.id, "name": GRACE.name, "department": "Warehouse",
     "role": "supervisor", "manager": "yes", "oversees": "Warehouse", "admin": "no"},
    {"email": HELEN.email, "slack_id": "", "name": HELEN.name, "department": "Quality",
     "role": "manager", "manager": "no", "oversees": "", "admin": "yes"},
]  # fmt: skip

DEPARTMENTS = {AMARA.id: "Production", JONAS.id: "Production", TOMASZ.id: "Warehouse"}


def write_roster(path: Path) -> Path:
    """The roster CSV at `path`, and beside it the departments.txt that declares its departments."""
    declared = dict.fromkeys(row["department"] for row in ROSTER)
    (path.parent / "departments.txt").write_text("\n".join(declared) + "\n", encoding="utf-8")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=ROSTER_COLUMNS)
        writer.writeheader()
        writer.writerows(ROSTER)
    return path


def bank_copy(folder: Path, keep: Callable[[str], bool]) -> Path:
    """A copy of the sample bank holding only the questions whose id `keep` accepts.

    Files left with no questions are dropped, as a content owner would delete them.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(sample_bank_path().glob("*.yaml")):
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
        raw["questions"] = [q for q in raw["questions"] if keep(str(q["id"]))]
        if raw["questions"]:
            text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
            (folder / source.name).write_text(text, encoding="utf-8")
    return folder


@cache
def sample_bank() -> Bank:
    """The shipped sample bank, loaded and validated once per test run (it is read-only)."""
    return load_bank(sample_bank_path())


def sample_questions(
    *, kind: str, department: str, role: str, exclude: Iterable[str] = ()
) -> list[str]:
    """Ids of sample-bank questions of this kind that a person of this department and role gets."""
    skipped = set(exclude)
    found = []
    for _path, bank_file in sample_bank().files:
        for question in bank_file.questions:
            audience = effective_audience(question, bank_file.procedure)
            if (
                question.kind.value == kind
                and question.id not in skipped
                and audience.includes(department=department, role=role)
            ):
                found.append(question.id)
    return found


# A company with staff in London, Singapore and New York, for the scheduled-round tests. Its
# holidays are the schedules file's (GB) unless a roster row names the person's own country.
OLIVIA = SandboxUser("U0RND0001", "Olivia Hart", email="olivia.hart@brightfield.example")
HARRY = SandboxUser("U0RND0002", "Harry Quinn", email="harry.quinn@brightfield.example")
WEI = SandboxUser(
    "U0RND0003", "Wei Ling Tan", email="wei.tan@brightfield.example", tz="Asia/Singapore"
)
MAYA = SandboxUser(
    "U0RND0004", "Maya Ortiz", email="maya.ortiz@brightfield.example", tz="America/New_York"
)
SAM = SandboxUser(
    "U0RND0005", "Sam Adler", email="sam.adler@brightfield.example", tz="America/New_York"
)
ZONED_PEOPLE = (OLIVIA, HARRY, WEI, MAYA, SAM)
_COUNTRIES = {WEI.id: "SG", MAYA.id: "US"}  # Sam, in New York, keeps the company's GB calendar


def zoned_roster() -> list[dict[str, str]]:
    """Roster rows for ZONED_PEOPLE: Production operators, Wei and Maya with their own country."""
    return [
        {"email": user.email or "", "slack_id": user.id, "name": user.name,
         "department": "Production", "role": "operator", "manager": "no", "oversees": "",
         "admin": "no", "country": _COUNTRIES.get(user.id, "")}
        for user in ZONED_PEOPLE
    ]  # fmt: skip


EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# Daily so that runs are frequent; the calendars still skip weekends and holidays.
DAILY = Schedule(
    id="daily",
    name="Daily questions",
    days=EVERY_DAY,
    time="10:00",
    questions=2,
    answer_window_hours=48,
    reminder_after_hours=24,
)
ZONED_SCHEDULES = SchedulesFile.model_validate(
    {"company": {"country": "GB", "weekend": ["sat", "sun"]}, "schedules": [DAILY.model_dump()]}
)


# A bigger company for the gap-report and authorisation tests: whole teams per department.
_GIVEN = ("Ada", "Bilal", "Chen", "Dara", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jun")


def team(department: str, size: int) -> list[SandboxUser]:
    """`size` Slack members who will work in `department`; ids and names are unique per team."""
    code = department[:3].upper()
    return [
        SandboxUser(
            f"U0{code}{n:04d}",
            f"{_GIVEN[(n - 1) % len(_GIVEN)]} {code.title()}{n}",
            email=f"{code.lower()}{n}@brightfield.example",
        )
        for n in range(1, size + 1)
    ]


def roster_row(
    user: SandboxUser,
    department: str,
    *,
    role: str = "operator",
    oversees: str = "",
    admin: bool = False,
) -> dict[str, str]:
    """A roster line for `user`; naming departments in `oversees` makes them a manager."""
    return {
        "email": user.email or "", "slack_id": user.id, "name": user.name,
        "department": department, "role": role, "manager": "yes" if oversees else "no",
        "oversees": oversees, "admin": "yes" if admin else "no",
    }  # fmt: skip


# A company for the mock audit tests: with Amara and Jonas, Production has 10 people and Sales 5;
# Warehouse (Tomasz, and Grace who manages it) and Quality (Helen, the admin) are left out.
MOCK_PRODUCTION = team("Production", 8)
MOCK_SALES = team("Sales", 5)
# One question per interview stage, except problems: INT-01-006 (a part that doesn't meet the
# drawing) is only for Production, and INT-01-010 (a customer complaint) only for Sales.
MOCK_QUESTIONS = frozenset(
    {"INT-01-001", "INT-01-014", "INT-01-005", "INT-01-006", "INT-01-010", "INT-01-017"}
)


def mock_roster() -> list[dict[str, str]]:
    """Roster rows for MOCK_PRODUCTION (operators) and MOCK_SALES (sales engineers)."""
    return [
        *(roster_row(user, "Production") for user in MOCK_PRODUCTION),
        *(roster_row(user, "Sales", role="sales engineer") for user in MOCK_SALES),
    ]
