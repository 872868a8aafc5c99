from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.services.departments import (
    Departments,
    DepartmentsError,
    declare_departments,
    load_departments,
)
from bot.services.staff import (
    RosterError,
    RosterReport,
    import_roster,
    read_roster,
    sync_staff,
)
from storage import models
from storage.db import UnitOfWork
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.conftest import Clock

ROSTER = """\
email,slack_id,name,department,role,manager,oversees,admin
ada@example.com,,Ada,Production,Operator,no,,no
,U2,Bo,Warehouse,manager,yes,Warehouse;Production,no
cy@example.com,,Cy,Quality,manager,yes,,yes
ghost@example.com,,Ghost,Sales,coordinator,no,,no
,,Nobody,Sales,coordinator,no,,no
dee@example.com,,Dee,IT,technician,maybe,,no
"""
DEPARTMENTS = declare_departments(["Production", "Warehouse", "Quality", "Sales", "IT"])
HEADER = "email,slack_id,name,department,role,manager,oversees,admin\n"


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory(
        [
            slack_user("USLACKBOT", "Slackbot"),
            slack_user("U1", "Ada Operator", email="ADA@example.com"),
            slack_user("U2", "Bo Manager", email="bo@example.com", tz="America/Chicago"),
            slack_user("U3", "Cy Quality", email="cy@example.com"),
            slack_user("U4", "Dee Tech", email="dee@example.com"),
            slack_user("B1", "Build Bot", is_bot=True),
            slack_user("U5", "Gone Person", deleted=True),
            slack_user("U6", "Guest Auditor", is_restricted=True),
            slack_user("U7", "Single Guest", is_ultra_restricted=True),
        ]
    )


def names(uow: Callable[[], UnitOfWork]) -> list[str]:
    with uow() as work:
        return list(
            work.session.scalars(select(models.Person.slack_id).order_by(models.Person.slack_id))
        )


def test_sync_stores_staff_and_skips_bots_slackbot_deleted_and_guests(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock
) -> None:
    report = sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    assert names(uow) == ["U1", "U2", "U3", "U4"]
    assert report.skipped == {"Slackbot": 1, "bots": 1, "deleted": 1, "guests": 2}
    with uow() as work:
        bo = work.session.scalars(select(models.Person).where(models.Person.slack_id == "U2")).one()
        assert (bo.name, bo.email, bo.tz) == ("Bo Manager", "bo@example.com", "America/Chicago")


def test_guests_are_included_when_configured(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock
) -> None:
    sync_staff(uow=uow, directory=directory, include_guests=True, now=clock.now)
    assert "U6" in names(uow) and "U7" in names(uow)


def test_a_person_deleted_in_slack_is_deactivated(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock
) -> None:
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    directory.users[1]["deleted"] = True
    report = sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    assert report.deactivated == ["Ada Operator"]
    with uow() as work:
        ada = work.session.scalars(
            select(models.Person).where(models.Person.slack_id == "U1")
        ).one()
        assert not ada.is_active


def test_roster_sets_roles_and_reports_what_it_could_not_match(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock, tmp_path: Path
) -> None:
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    report = import_roster(uow=uow, rows=read_roster(path), departments=DEPARTMENTS)
    assert report.matched == 3
    assert report.unmatched == ["line 5: ghost@example.com"]
    assert report.problems == [
        "line 6: give an email or a slack_id to match the person",
        "line 7: manager is 'maybe'; write yes or no",
    ]
    with uow() as work:
        people = {p.slack_id: p for p in work.session.scalars(select(models.Person))}
        assert (people["U1"].department, people["U1"].role) == ("Production", "operator")
        assert sorted(o.department for o in people["U2"].oversees) == ["Production", "Warehouse"]
        assert people["U3"].is_admin and [o.department for o in people["U3"].oversees] == [
            "Quality"
        ]


def test_reimporting_a_roster_updates_oversight_without_duplicates(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock, tmp_path: Path
) -> None:
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    import_roster(uow=uow, rows=read_roster(path), departments=DEPARTMENTS)
    path.write_text(ROSTER.replace("Warehouse;Production", "Warehouse;Sales"), encoding="utf-8")
    import_roster(uow=uow, rows=read_roster(path), departments=DEPARTMENTS)
    with uow() as work:
        bo = work.session.scalars(select(models.Person).where(models.Person.slack_id == "U2")).one()
        assert sorted(o.department for o in bo.oversees) == ["Sales", "Warehouse"]


def test_a_roster_missing_columns_is_refused_with_the_file_named(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("email,name\nada@example.com,Ada\n", encoding="utf-8")
    with pytest.raises(RosterError, match=r"roster.csv: missing column\(s\) slack_id, department"):
        read_roster(path)


def test_the_sample_roster_reads(tmp_path: Path) -> None:
    from questions.loader import sample_bank_path

    rows = read_roster(sample_bank_path() / "roster.csv")
    assert len(rows) >= 20
    assert any(r["admin"] == "yes" for r in rows)
    assert {r["department"] for r in rows} >= {"Production", "Warehouse", "Quality"}


def test_optional_country_and_start_date_columns_are_read_and_checked(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock, tmp_path: Path
) -> None:
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    path = tmp_path / "roster.csv"
    path.write_text(
        "email,slack_id,name,department,role,manager,oversees,admin,country,started\n"
        "ada@example.com,,Ada,Production,operator,no,,no,GB-ENG,2026-10-01\n"
        ",U2,Bo,Warehouse,driver,no,,no,XX,\n"
        "cy@example.com,,Cy,Quality,inspector,no,,no,,1st of May\n",
        encoding="utf-8",
    )
    report = import_roster(uow=uow, rows=read_roster(path), departments=DEPARTMENTS)
    assert report.matched == 1
    assert len(report.problems) == 2
    assert "country 'XX' has no holiday calendar" in report.problems[0]
    assert "started is '1st of May'" in report.problems[1]
    with uow() as work:
        ada = work.session.scalars(
            select(models.Person).where(models.Person.slack_id == "U1")
        ).one()
        assert (ada.country, str(ada.started_on)) == ("GB-ENG", "2026-10-01")


def _import(
    uow: Callable[[], UnitOfWork],
    tmp_path: Path,
    body: str,
    departments: Departments = DEPARTMENTS,
) -> RosterReport:
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return import_roster(uow=uow, rows=read_roster(path), departments=departments)


def _people(uow: Callable[[], UnitOfWork]) -> dict[str, models.Person]:
    with uow() as work:
        people = {p.slack_id: p for p in work.session.scalars(select(models.Person))}
        for person in people.values():
            _ = [o.department for o in person.oversees]
        work.session.expunge_all()
    return people


def test_an_undeclared_department_is_refused_with_its_line(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock, tmp_path: Path
) -> None:
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    report = _import(
        uow,
        tmp_path,
        "ada@example.com,,Ada,Narnia,operator,no,,no\n"
        ",U2,Bo,Warehouse,manager,yes,Warehouse;Atlantis,no\n"
        "cy@example.com,,Cy,Quality,inspector,no,,no\n",
    )
    assert report.matched == 1
    assert len(report.problems) == 2
    assert report.problems[0].startswith("line 2: department 'Narnia' is not declared")
    assert report.problems[1].startswith("line 3: oversees 'Atlantis' is not declared")
    people = _people(uow)
    assert people["U1"].department is None and people["U2"].department is None


def test_departments_match_without_regard_to_case_or_spaces_and_keep_the_declared_spelling(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock, tmp_path: Path
) -> None:
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    departments = declare_departments(["Warehouse", "Quality Control", "Production"])
    report = _import(
        uow,
        tmp_path,
        'ada@example.com,,Ada,"warehouse ",operator,no,,no\n'
        ',U2,Bo,"  quality   CONTROL",manager,yes,"WAREHOUSE ; production;Warehouse",no\n',
        departments,
    )
    assert (report.matched, report.problems) == (2, [])
    people = _people(uow)
    assert people["U1"].department == "Warehouse"
    assert people["U2"].department == "Quality Control"
    assert sorted(o.department for o in people["U2"].oversees) == ["Production", "Warehouse"]


def test_duplicate_emails_and_slack_ids_are_refused_on_every_line_they_appear(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock, tmp_path: Path
) -> None:
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    report = _import(
        uow,
        tmp_path,
        "ada@example.com,,Ada,Production,operator,no,,no\n"
        ",U2,Bo,Warehouse,driver,no,,no\n"
        "ADA@Example.com,,Ada again,Quality,manager,yes,,yes\n"
        ",U2,Bo again,Quality,manager,yes,,yes\n"
        "cy@example.com,,Cy,Quality,inspector,no,,no\n",
    )
    assert report.matched == 1
    assert report.problems == [
        "line 2: email 'ada@example.com' is also on line 4",
        "line 3: slack_id 'U2' is also on line 5",
        "line 4: email 'ADA@Example.com' is also on line 2",
        "line 5: slack_id 'U2' is also on line 3",
    ]
    people = _people(uow)
    assert not people["U1"].is_admin and people["U1"].department is None
    assert not people["U2"].is_manager


@pytest.mark.parametrize(
    "text", ["<!channel>", "<!here>", "<@U123>", "<#C1>", "a <b", "Ops\x07", "Ops\u202e"]
)
@pytest.mark.parametrize("column", ["name", "role", "department", "oversees", "email"])
def test_slack_markup_and_control_characters_are_refused_in_any_field(
    uow: Callable[[], UnitOfWork],
    directory: FakeDirectory,
    clock: Clock,
    tmp_path: Path,
    text: str,
    column: str,
) -> None:
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    row = {
        "email": "",
        "slack_id": "U1",
        "name": "Ada",
        "department": "Production",
        "role": "operator",
        "manager": "yes",
        "oversees": "",
        "admin": "no",
    }
    row[column] = text
    report = import_roster(uow=uow, rows=[row], departments=DEPARTMENTS)
    assert report.matched == 0
    assert report.problems[0].startswith(f"line 2: {column} ")
    assert "markup or control characters" in report.problems[0]
    assert _people(uow)["U1"].department is None


def test_a_declared_department_named_like_mathtext_is_stored_as_data(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock, tmp_path: Path
) -> None:
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    departments = declare_departments(["$\\frac$ & Co [bold]"])
    report = _import(uow, tmp_path, ",U1,Ada,$\\frac$ & co [BOLD],operator,no,,no\n", departments)
    assert (report.matched, report.problems) == (1, [])
    assert _people(uow)["U1"].department == "$\\frac$ & Co [bold]"


def test_departments_are_read_from_the_file_beside_the_roster(tmp_path: Path) -> None:
    (tmp_path / "departments.txt").write_text(
        "# Brightwater's departments\n\nProduction\n  Warehouse  \n# Quality, soon\nIT\n",
        encoding="utf-8",
    )
    departments = load_departments(roster=tmp_path / "roster.csv", setting=None)
    assert departments.names == ["Production", "Warehouse", "IT"]
    assert departments.declared(" it ") == "IT" and departments.declared("Quality") is None


def test_the_setting_wins_over_the_file(tmp_path: Path) -> None:
    (tmp_path / "departments.txt").write_text("Production\n", encoding="utf-8")
    departments = load_departments(roster=tmp_path / "roster.csv", setting=["Sales", "Quality"])
    assert departments.names == ["Sales", "Quality"]
    assert "AUDITREADY_DEPARTMENTS" in departments.source


def test_no_declared_departments_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DepartmentsError) as raised:
        load_departments(roster=tmp_path / "roster.csv", setting=None)
    message = str(raised.value)
    assert "\n" not in message
    assert str(tmp_path / "departments.txt") in message and "AUDITREADY_DEPARTMENTS" in message


def test_an_empty_departments_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "departments.txt").write_text("# none yet\n\n", encoding="utf-8")
    with pytest.raises(DepartmentsError, match="declares no departments"):
        load_departments(roster=tmp_path / "roster.csv", setting=None)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("<!channel>", "markup or control characters"),
        ("Ops\x00", "markup or control characters"),
        ("Ops\u200b", "markup or control characters"),
        ("x" * 81, "longer than 80"),
    ],
)
def test_declared_department_names_are_checked_at_the_door(
    tmp_path: Path, name: str, problem: str
) -> None:
    (tmp_path / "departments.txt").write_text(f"Production\n{name}\n", encoding="utf-8")
    with pytest.raises(DepartmentsError, match=problem) as raised:
        load_departments(roster=tmp_path / "roster.csv", setting=None)
    assert "departments.txt line 2" in str(raised.value)
    with pytest.raises(DepartmentsError, match=problem):
        declare_departments(["Production", name], source="AUDITREADY_DEPARTMENTS")
