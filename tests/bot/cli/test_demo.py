from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import text
from typer.testing import CliRunner

from bot.cli.demo import PLANTED_DRIFT, PLANTED_GAP, run_demo
from bot.cli.main import app
from storage.db import make_engine


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One 90-day demo, as `auditready demo` runs it by default."""
    database = tmp_path_factory.mktemp("demo") / "demo.db"
    console = Console(record=True, width=120)
    run_demo(console=console, rounds=25, seed=7, database=database)
    return database, console.export_text()


def _report(database: Path) -> dict[str, Any]:
    result = CliRunner().invoke(
        app, ["report", "--format", "json"], env={"DATABASE_URL": f"sqlite:///{database}"}
    )
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def test_the_demo_runs_the_real_app_over_ninety_days(demo: tuple[Path, str]) -> None:
    database, output = demo
    assert "36 people got 900 questions by DM over 90 days" in output
    assert "a DM covering only Maintenance, Production, Warehouse" in output
    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        first, last = connection.execute(
            text("SELECT min(answered_at), max(answered_at) FROM answer")
        ).one()
    assert str(first)[:10] < str(last)[:10]


def test_the_report_recovers_exactly_what_the_demo_planted(demo: tuple[Path, str]) -> None:
    database, output = demo
    report = _report(database)
    established = {
        (c["department"], c["procedure"]): c["grade"]
        for c in report["procedures"]
        if c["grade"] in ("minor", "major")
    }
    # The gap is found. People who follow the drifted practice get that procedure wrong, so a
    # gap there is what was planted too; any other cell is at most an observation, worth
    # watching, never a finding.
    assert PLANTED_GAP in established
    assert set(established) <= {PLANTED_GAP, PLANTED_DRIFT}, established
    flags = {(p["department"], p["procedure"]) for p in report["practice"]}
    assert flags == {PLANTED_DRIFT}, report["practice"]
    assert report["systemic"] == []
    top = [(g["department"], g["procedure"]) for g in report["top_gaps"]]
    assert PLANTED_GAP in top
    assert f"{PLANTED_GAP[0]} ×" in output and "Practice may differ" in output


def test_departments_differ_as_simulated(demo: tuple[Path, str]) -> None:
    summary = _report(demo[0])["summary"]
    share = {row["department"]: row["share_correct"] for row in summary["by_department"]}
    assert set(share) == {"IT", "Maintenance", "Production", "Quality", "Sales", "Warehouse"}
    assert share["Quality"] > share["Warehouse"] + 0.05
    assert summary["overall"]["answers"] < summary["overall"]["deliveries"]


def test_the_tallies_after_a_demo_agree_and_a_damaged_one_is_caught_and_repaired(
    tmp_path: Path,
) -> None:
    database = tmp_path / "demo.db"
    run_demo(console=Console(record=True, width=120), rounds=3, seed=5, database=database)
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    runner = CliRunner()
    agreed = runner.invoke(app, ["db", "check-tallies"], env=env)
    assert agreed.exit_code == 0, agreed.output
    assert "agree" in agreed.output

    engine = make_engine(env["DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE daily_tally SET correct = correct + 1 WHERE kind = 'procedure'")
        )
    caught = runner.invoke(app, ["db", "check-tallies"], env=env)
    assert caught.exit_code == 1
    assert "daily_tally" in caught.output and "rebuild-tallies" in caught.output
    assert "Traceback" not in caught.output

    assert runner.invoke(app, ["db", "rebuild-tallies"], env=env).exit_code == 0
    assert runner.invoke(app, ["db", "check-tallies"], env=env).exit_code == 0


def test_a_demo_database_in_a_missing_folder_is_refused_naming_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "missing"
    result = CliRunner().invoke(app, ["demo", "--database", str(folder / "demo.db")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: cannot build the demo database: the folder {folder} does not exist"
    ]
