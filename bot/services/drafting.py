"""Drafting questions from an imported procedure into its bank file, for review.

Drafts are written with `status: draft`, so `questions sync` leaves them out of every round
until a reviewer approves them. Drafts a reviewer rejected before, and questions the file
already asks, are not proposed again. Given a proposer (the company's model), each substantive
section is also offered to it, and the questions it proposes that clear the rules' checks follow
the rules' drafts (docs/model-second-opinion.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from bot.services.procedures.copies import copy_path, read_copy
from questions import bank_writer
from questions.documents.clause_references import clause_references
from questions.documents.model import ProcedureDocument
from questions.drafting import draft_questions
from questions.drafting.drafts import Draft
from questions.drafting.model_drafts import (
    checked_proposals,
    parse_proposals,
    proposal_messages,
    readable,
    substantive_sections,
)
from questions.loader import BankError, bank_file_for, load_bank_file
from questions.model import Procedure, Question

log = logging.getLogger(__name__)

# The chat messages for one section in, the model's text out; None when it gave no answer, having
# logged why (`ModelClient.chat`).
Proposer = Callable[[Sequence[Mapping[str, str]]], str | None]


class DraftingRefused(Exception):
    """Drafting can't go ahead; the message says what to do."""


@dataclass(frozen=True)
class Drafted:
    code: str
    bank_file: Path
    created: bool
    drafted: tuple[str, ...]
    by_kind: dict[str, int]
    # The last `by_model` of `drafted` were proposed by the model.
    by_model: int = 0

    @property
    def model_drafted(self) -> tuple[str, ...]:
        return self.drafted[len(self.drafted) - self.by_model :]


@dataclass(frozen=True)
class NewProcedure:
    """What a bank file needs that a document may not say: its owner and clauses."""

    owner: str | None = None
    clauses: tuple[str, ...] = ()


def draft_into_bank(
    bank_folder: Path,
    code: str,
    new: NewProcedure | None = None,
    proposer: Proposer | None = None,
) -> Drafted:
    """Draft questions for one imported procedure and append them to its bank file: the rules'
    drafts, then the proposer's that clear the same checks."""
    document = read_copy(bank_folder, code)
    if document is None:
        raise DraftingRefused(
            f"{code} has not been imported; run `auditready procedures import FILE` first"
        )
    path = bank_file_for(bank_folder, code)
    if path is None:
        return _first_drafts(bank_folder, document, new or NewProcedure(), proposer)
    try:
        bank_file = load_bank_file(path)
    except BankError as error:
        problems = "; ".join(str(p) for p in error.problems[:3])
        raise DraftingRefused(f"{path.name} has problems; fix them first: {problems}") from None
    taken = {q.id for q in bank_file.questions}
    rejected = [r.prompt for r in bank_file.rejected]
    existing = [q.prompt for q in bank_file.questions]
    drafts = draft_questions(
        document, taken_ids=taken, rejected_prompts=rejected, existing_prompts=existing
    )
    proposed = _model_drafts(
        document, proposer, drafts, taken_ids=taken, asked_prompts=[*rejected, *existing]
    )
    bank_writer.add_questions(path, [*drafts, *proposed])
    return _drafted(code, path, drafts, proposed, created=False)


def _first_drafts(
    bank_folder: Path, document: ProcedureDocument, new: NewProcedure, proposer: Proposer | None
) -> Drafted:
    procedure = _procedure(bank_folder, document, new)
    drafts = draft_questions(document)
    proposed = _model_drafts(document, proposer, drafts)
    path = bank_folder / f"{document.id.lower()}.yaml"
    bank_writer.new_bank_file(path, procedure, [*drafts, *proposed])
    return _drafted(document.id, path, drafts, proposed, created=True)


def _model_drafts(
    document: ProcedureDocument,
    proposer: Proposer | None,
    drafts: list[Question],
    *,
    taken_ids: Collection[str] = (),
    asked_prompts: Collection[str] = (),
) -> list[Question]:
    """The proposer's questions that clear the checks and ask nothing already asked, numbered
    after the rules' drafts."""
    if proposer is None:
        return []
    return checked_proposals(
        document,
        list(_proposals(document, proposer)),
        taken_ids={*taken_ids, *(d.id for d in drafts)},
        asked_prompts=[*asked_prompts, *(d.prompt for d in drafts)],
    )


def _proposals(document: ProcedureDocument, proposer: Proposer) -> Iterator[Draft]:
    """Each substantive section offered in turn, until the model fails to answer one: a model
    that is down or slow would make every section wait its timeout."""
    for section in substantive_sections(document):
        answer = proposer(proposal_messages(document, section))
        if answer is None:
            return
        if not readable(answer):
            # Where and what failed, never the answer: it may quote the procedure at length.
            log.warning(
                "the model's answer for %s section %s was not the JSON asked for; "
                "the rest is drafted by the rules alone",
                document.id,
                section.number,
            )
            return
        yield from parse_proposals(answer, document, section)


def _procedure(bank_folder: Path, document: ProcedureDocument, new: NewProcedure) -> Procedure:
    owner = document.owner or new.owner  # the document is the source of truth
    clauses = list(new.clauses) or clause_references(document)
    if not owner:
        raise DraftingRefused(
            f"{document.original_id} names no owner; give the reviewing role with --owner "
            '(for example --owner "Quality Manager")'
        )
    if not clauses:
        raise DraftingRefused(
            f"{document.original_id} names no ISO clause; give one or more with --clause "
            '(for example --clause "ISO 9001:2015 8.7")'
        )
    fields = {
        "id": document.id,
        "original_id": document.original_id if document.original_id != document.id else None,
        "title": document.title,
        "revision": document.revision,
        "owner": owner,
        "owner_slack_id": document.owner_slack_id,
        "clauses": clauses,
        "document": str(copy_path(bank_folder, document.id).relative_to(bank_folder)),
    }
    try:
        return Procedure.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as error:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise DraftingRefused(f"{document.original_id} can't start a bank file: {detail}") from None


def _drafted(
    code: str, path: Path, drafts: list[Question], proposed: list[Question], *, created: bool
) -> Drafted:
    every = [*drafts, *proposed]
    by_kind: dict[str, int] = {}
    for draft in every:
        by_kind[draft.kind.value] = by_kind.get(draft.kind.value, 0) + 1
    return Drafted(code, path, created, tuple(d.id for d in every), by_kind, len(proposed))
