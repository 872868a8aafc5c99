"""Every rule about who may see and do what, enforced by the services with no listener in sight.

Each service is called directly, as the command line or a future web page would call it, with
a caller of each role: a stranger, staff, a manager of Warehouse, an admin from the roster, an
admin from the settings, and the operator at the command line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.schedules import load_schedules
from bot.domain.summary.gaps import GapRules
from bot.services.access import OPERATOR, Caller, Denied, NotAllowed, person
from bot.services.departments import declare_departments
from bot.services.mock_audit.errors import UnknownMockRound
from bot.services.mock_audit.results import MockPlan
from bot.services.registry import Services, build_services
from bot.services.staff import import_roster, sync_staff
from storage import models
from storage.db import UnitOfWork
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.bot.services.helpers import procedure_file, question, sync, write_bank
from tests.conftest import Clock

SCHEDULES = Path(__file__).parents[3] / "questions" / "sample_schedules.yaml"
# slack id, department, manager, oversees, admin
ROSTER = [
    ("UPRODUCTION", "Production", "no", "", "no"),
    ("UWAREHOUSE", "Warehouse", "no", "", "no"),
    ("UMANAGER", "Warehouse", "yes", "Warehouse", "no"),
    ("ULOWERCASE", "Quality", "yes", "warehouse", "no"),
    ("UROSTERADMIN", "Quality", "no", "", "yes"),
    ("USETTINGSADMIN", "Quality", "no", "", "no"),
]
STRANGER = person("UNOBODY")
STAFF = person("UPRODUCTION")
MANAGER = person("UMANAGER")
ADMINS = [person("UROSTERADMIN"), person("USETTINGSADMIN"), OPERATOR]
NOT_VIEWERS = [STRANGER, STAFF]


@pytest.fixture
def services(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> Services:
    directory = FakeDirectory([slack_user(p[0], f"Person {p[0]}") for p in ROSTER])
    sync(uow, write_bank(tmp_path, [procedure_file("QP-08", [question("QP-08-001")])]), clock())
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock())
    rows = [
        {"email": "", "slack_id": s, "name": s, "department": d, "role": "operator"}
        | {"manager": m, "oversees": o, "admin": a}
        for s, d, m, o, a in ROSTER
    ]
    import_roster(
        uow=uow, rows=rows, departments=declare_departments(["Production", "Warehouse", "Quality"])
    )
    return build_services(
        uow=uow,
        directory=directory,
        clock=clock,
        recent_days=14,
        admins=["USETTINGSADMIN"],
        schedules=load_schedules(SCHEDULES),
        rules=GapRules(),
        report_days=90,
    )


def refused(call: Callable[..., object], **arguments: object) -> Denied:
    with pytest.raises(NotAllowed) as refusal:
        call(**arguments)
    return refusal.value.denied


def allowed(call: Callable[..., object], **arguments: object) -> None:
    """The access check passed: whatever else happens, it is not a refusal."""
    with contextlib.suppress(UnknownMockRound):
        call(**arguments)


@pytest.mark.parametrize("caller", NOT_VIEWERS, ids=["stranger", "staff"])
def test_staff_and_strangers_read_no_summary_gaps_drill_down_or_findings(
    services: Services, caller: Caller
) -> None:
    assert refused(lambda: services.summary.summary(caller=caller)) is Denied.NOT_A_VIEWER
    assert refused(lambda: services.gaps.report(caller=caller)) is Denied.NOT_A_VIEWER
    assert services.gaps.dashboard(caller=caller) is None
    for kind, name in (("department", "Production"), ("procedure", "QP-08")):
        denied = refused(services.gaps.drill, caller=caller, kind=kind, name=name)
        assert denied is Denied.NOT_A_VIEWER
    assert refused(lambda: services.mock.findings(caller=caller, round_id=1)) is (
        Denied.NOT_A_VIEWER
    )


def test_a_manager_sees_only_the_departments_they_oversee(services: Services) -> None:
    assert services.summary.summary(caller=MANAGER).scope.departments == ["Warehouse"]
    assert services.gaps.report(caller=MANAGER).scope.departments == ["Warehouse"]
    # Asking for more narrows nothing open: another department stays out of the query.
    narrowed = services.gaps.report(caller=MANAGER, departments=["Production", "Warehouse"])
    assert narrowed.scope.departments == ["Warehouse"]
    drill = services.gaps.drill(caller=MANAGER, kind="department", name="warehouse")
    assert (drill.name, drill.report.scope.departments) == ("Warehouse", ["Warehouse"])
    for name in ("Production", "Narnia"):
        denied = refused(services.gaps.drill, caller=MANAGER, kind="department", name=name)
        assert denied is Denied.NOT_YOUR_DEPARTMENT


@pytest.mark.parametrize("caller", ADMINS, ids=["roster admin", "settings admin", "operator"])
def test_admins_and_the_operator_see_every_department(services: Services, caller: Caller) -> None:
    assert services.gaps.report(caller=caller).scope.departments is None
    drill = services.gaps.drill(caller=caller, kind="department", name="production")
    assert drill.name == "Production"


def test_only_a_department_one_may_see_gets_a_round(services: Services) -> None:
    rounds = services.rounds
    for caller in NOT_VIEWERS:
        denied = refused(rounds.open_for_department, caller=caller, department="Warehouse")
        assert denied is Denied.NOT_A_VIEWER
    denied = refused(lambda: rounds.open_for_department(caller=MANAGER, department="Production"))
    assert denied is Denied.NOT_YOUR_DEPARTMENT
    name, opened = rounds.open_for_department(caller=MANAGER, department="warehouse")
    assert name == "Warehouse" and opened.round_id
    for caller in ADMINS:
        name, _ = rounds.open_for_department(caller=caller, department="PRODUCTION")
        assert name == "Production"


def test_only_admins_list_pause_or_resume_schedules(services: Services) -> None:
    schedules = services.schedules
    for caller in NOT_VIEWERS:
        assert refused(schedules.states, caller=caller) is Denied.NOT_A_VIEWER
    assert refused(lambda: schedules.states(caller=MANAGER)) is Denied.ADMINS_ONLY
    key = schedules.states(caller=OPERATOR)[0].schedule.id
    denied = refused(lambda: schedules.set_paused(caller=MANAGER, key=key, paused=True))
    assert denied is Denied.ADMINS_ONLY
    assert not any(s.paused for s in schedules.states(caller=OPERATOR))
    for caller in ADMINS:
        assert schedules.set_paused(caller=caller, key=key, paused=True).paused


def mock_operations(services: Services, caller: Caller) -> list[Callable[[], object]]:
    mock = services.mock
    plan = MockPlan(["ISO 9001:2015"], None, 6, 72, seed=1)
    return [
        lambda: mock.departments(caller=caller),
        lambda: mock.start(caller=caller, plan=plan),
        lambda: mock.close(caller=caller, round_id=99),
        lambda: mock.cancel(caller=caller, round_id=99),
        lambda: mock.answers(caller=caller, round_id=99),
        lambda: mock.item_for_review(caller=caller, item_id=99),
        lambda: mock.override(caller=caller, item_id=99, verdict="pass", note=None),
    ]


def test_only_admins_start_cancel_close_or_grade_a_mock_audit(services: Services) -> None:
    for caller in NOT_VIEWERS:
        for operation in mock_operations(services, caller):
            assert refused(operation) is Denied.NOT_A_VIEWER
    for operation in mock_operations(services, MANAGER):
        assert refused(operation) is Denied.ADMINS_ONLY
    # A manager may read the findings of their own departments: they name nobody.
    with pytest.raises(UnknownMockRound):
        services.mock.findings(caller=MANAGER, round_id=99)
    for caller in ADMINS:
        allowed(services.mock.departments, caller=caller)
        allowed(services.mock.close, caller=caller, round_id=99)


def test_the_records_name_the_verified_caller(
    services: Services, uow: Callable[[], UnitOfWork]
) -> None:
    admin = person("USETTINGSADMIN")
    key = services.schedules.states(caller=admin)[0].schedule.id
    services.schedules.set_paused(caller=admin, key=key, paused=True)
    started = services.mock.start(
        caller=admin, plan=MockPlan(["ISO 9001:2015"], None, 6, 72, seed=1)
    )
    services.mock.cancel(caller=OPERATOR, round_id=started.round_id)
    with uow() as work:
        schedule = work.session.scalar(select(models.Schedule).where(models.Schedule.key == key))
        round_ = work.session.get_one(models.MockRound, started.round_id)
        assert schedule is not None and schedule.changed_by == "USETTINGSADMIN"
        assert (round_.opened_by, round_.ended_by) == ("USETTINGSADMIN", "cli")


def test_oversees_matches_a_department_in_any_case(services: Services) -> None:
    manager = person("ULOWERCASE")
    assert services.gaps.report(caller=manager).scope.departments == ["Warehouse"]
    assert services.summary.summary(caller=manager).scope.departments == ["Warehouse"]
    drill = services.gaps.drill(caller=manager, kind="department", name="WAREHOUSE")
    assert drill.name == "Warehouse"
    name, _ = services.rounds.open_for_department(caller=manager, department="Warehouse")
    assert name == "Warehouse"
