"""`auditready questions draft`: draft questions from an imported procedure, for review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import fail, load_settings, out
from bot.services.drafting import Drafted, DraftingRefused, NewProcedure, draft_into_bank
from bot.slack.app import make_second_opinion
from questions.documents.ids import normalise_procedure_id


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
    no_model: Annotated[
        bool,
        typer.Option("--no-model", help="Rules only, even when AUDITREADY_MODEL_URL is set"),
    ] = False,
) -> None:
    """Write draft questions into the procedure's bank file, marked `status: draft`.

    When AUDITREADY_MODEL_URL is set, the company's model proposes questions too, one request
    per section; they clear the same checks as the rules' drafts.
    """
    settings = load_settings()
    model = None if no_model else make_second_opinion(settings)
    new = NewProcedure(owner=owner, clauses=tuple(clause or ()))
    try:
        drafted = draft_into_bank(
            bank or settings.bank, _code(procedure), new, model.chat if model else None
        )
    except DraftingRefused as error:
        fail(str(error))
    out.print(_summary(drafted, asked_model=model is not None), markup=False, highlight=False)
    if drafted.by_model:
        out.print(
            f"Proposed by the model: {', '.join(drafted.model_drafted)}; check each against "
            "the procedure.",
            markup=False,
            highlight=False,
        )
    if drafted.drafted:
        out.print("Review them with `auditready questions review`; drafts are never sent.")


def _summary(drafted: Drafted, *, asked_model: bool) -> str:
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(drafted.by_kind.items()))
    action = "started" if drafted.created else "added to"
    summary = f"{len(drafted.drafted)} drafts {action} {drafted.bank_file}"
    summary += f" ({kinds})" if kinds else ""
    return summary + (f" ({drafted.by_model} proposed by the model)" if asked_model else "")


def _code(procedure: str) -> str:
    """The bank's id, typed either way: "CSC PR.016" and "csc-pr-016" alike."""
    return normalise_procedure_id(procedure) or procedure.upper()
