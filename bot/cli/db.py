"""`auditready db …`: migrations and the summary's running tallies."""

from __future__ import annotations

import typer

from bot.cli.support import err, fail, load_settings, migrated_engine, open_uow, out
from storage.rebuild import differences, rebuild

db_app = typer.Typer(help="The database.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every database migration."""
    settings = load_settings()
    open_uow(settings)
    out.print("Database is up to date.")


@db_app.command("check-tallies")
def db_check_tallies() -> None:
    """Check the summary's running tallies against the answers themselves."""
    settings = load_settings()
    with migrated_engine(settings).connect() as connection, connection.begin():
        found = differences(connection)
    if found:
        for line in found:
            err.print(line, highlight=False, markup=False)
        fail("the tallies differ from the answers; `auditready db rebuild-tallies` repairs them")
    out.print("The tallies agree with the deliveries and answers.")


@db_app.command("rebuild-tallies")
def db_rebuild_tallies() -> None:
    """Recompute the summary's running tallies from the deliveries and answers."""
    settings = load_settings()
    with migrated_engine(settings).begin() as connection:
        rebuild(connection)
    out.print("The tallies were rebuilt from the deliveries and answers.")
