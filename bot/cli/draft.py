"""`auditready questions draft`: draft questions from an imported procedure, for review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import fail, load_settings, out
from bot.services.drafting import DraftingRefused, NewProcedure, draft_into_bank


def register(app: typer.Typer) -> None:
    app.command("draft")(questions_draft)


def questions_draft(
    procedure: Annotated[str, typer.Argument(help="The procedure's id, as imported")],
    owner: Annotated[
        str | None, typer.Option("--owner", help="Reviewing role, if the document names none")
    ] = None,
    clause: Annotated[
        list[str] | None,
        typer.Option("--clause", help="ISO clause, if the document names none; repeatable"),
    ] = None,
    bank: Annotated[
        Path | None, typer.Option("--bank", help="Bank folder; default AUDITREADY_BANK")
    ] = None,
) -> None:
    """Write draft questions into the procedure's bank file, marked `status: draft`."""
    folder = bank or load_settings().bank
    new = NewProcedure(owner=owner, clauses=tuple(clause or ()))
    try:
        drafted = draft_into_bank(folder, procedure.upper(), new)
    except DraftingRefused as error:
        fail(str(error))
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(drafted.by_kind.items()))
    action = "started" if drafted.created else "added to"
    out.print(
        f"{len(drafted.drafted)} drafts {action} {drafted.bank_file}"
        + (f" ({kinds})" if kinds else ""),
        markup=False,
        highlight=False,
    )
    if drafted.drafted:
        out.print("Review them with `auditready questions review`; drafts are never sent.")
