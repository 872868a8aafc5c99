from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from bot.cli import app
from bot.demo import run_demo


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
