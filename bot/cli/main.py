"""The `auditready` command line: one module per command group, put together here."""

from __future__ import annotations

import typer

from bot.cli import draft, procedures, question_exchange, review
from bot.cli.db import db_app
from bot.cli.grading_report import register_grading_report
from bot.cli.mock_audit import mock_app
from bot.cli.questions import questions_app
from bot.cli.reports import register_reports
from bot.cli.rounds import round_app, schedule_app
from bot.cli.serve import register_serve
from bot.cli.staff import staff_app

app = typer.Typer(
    help="auditready: keep every day audit-ready, inside Slack.", no_args_is_help=True
)
app.add_typer(questions_app, name="questions")
# `questions grading-report` lives in its own module: it reads mock audits, not the bank.
register_grading_report(questions_app)
# Drafts' review, and GIFT/Aiken import and export, each in their own module.
review.register(questions_app)
draft.register(questions_app)
question_exchange.register(questions_app)
# `procedures import` and `procedures changes`: the documents the bank is drawn from.
procedures.register(app)
app.add_typer(staff_app, name="staff")
app.add_typer(db_app, name="db")
app.add_typer(schedule_app, name="schedule")
app.add_typer(round_app, name="round")
register_reports(app)
app.add_typer(mock_app, name="mock-audit")
register_serve(app)


def main() -> None:
    app()
