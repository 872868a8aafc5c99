from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.services.staff import RosterError, import_roster, read_roster, sync_staff
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
    report = import_roster(uow=uow, rows=read_roster(path))
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
    import_roster(uow=uow, rows=read_roster(path))
    path.write_text(ROSTER.replace("Warehouse;Production", "Warehouse;Sales"), encoding="utf-8")
    import_roster(uow=uow, rows=read_roster(path))
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
    report = import_roster(uow=uow, rows=read_roster(path))
    assert report.matched == 1
    assert len(report.problems) == 2
    assert "country 'XX' has no holiday calendar" in report.problems[0]
    assert "started is '1st of May'" in report.problems[1]
    with uow() as work:
        ada = work.session.scalars(
            select(models.Person).where(models.Person.slack_id == "U1")
        ).one()
        assert (ada.country, str(ada.started_on)) == ("GB-ENG", "2026-10-01")
