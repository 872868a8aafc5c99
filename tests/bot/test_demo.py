from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from sqlalchemy import text
from typer.testing import CliRunner

from bot.cli import app
from bot.demo import run_demo
from storage.db import make_engine


def test_the_demo_runs_the_real_app_and_departments_differ_as_simulated(tmp_path: Path) -> None:
    console = Console(record=True, width=120)
    database = tmp_path / "demo.db"
    run_demo(console=console, rounds=6, seed=3, database=database)
    output = console.export_text()
    assert "36 people got 216 questions by DM" in output
    assert "a DM covering only Maintenance, Production, Warehouse" in output

    result = CliRunner().invoke(
        app, ["report", "--format", "json"], env={"DATABASE_URL": f"sqlite:///{database}"}
    )
    report = json.loads(result.output)
    summary = report["summary"]
    share = {row["department"]: row["share_correct"] for row in summary["by_department"]}
    assert set(share) == {"IT", "Maintenance", "Production", "Quality", "Sales", "Warehouse"}
    # The simulation makes Quality know its procedures far better than Warehouse.
    assert share["Quality"] > share["Warehouse"] + 0.15
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
