"""The running system under test, and the moves a person makes in Slack, as test verbs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.sandbox import RecordedCall, SandboxUser, SlackSandbox
from bot.sandbox.requests import SlackSender, checkbox_state, element_action
from bot.sandbox.users import handle_for
from bot.services.bank import SyncReport, sync_bank
from bot.slack.app import Runtime
from bot.slack.ids import ActionId, delivery_from_block_id
from questions.loader import load_bank
from storage import models
from storage.db import make_session_factory
from tests.conftest import Clock
from tests.e2e.payloads import block_actions
from tests.e2e.payloads import slash_command as slash_command_body
from tests.e2e.workspace import bank_copy

SETTLE_TIMEOUT = 10.0


class ListenerTracker(Executor):
    """Wraps Bolt's listener executor so a test can wait until every listener has finished.

    Bolt acks first and runs the rest of a listener on this executor, so database writes made
    after the last Slack call (e.g. storing a message's ts) are only certain once it is idle.
    """

    def __init__(self, inner: Executor) -> None:
        self._inner = inner
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = self._inner.submit(fn, *args, **kwargs)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)

    def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:
        with self._lock:
            pending = list(self._pending)
        _done, not_done = wait(pending, timeout=timeout)
        if not_done:
            raise TimeoutError(f"{len(not_done)} listener(s) still running after {timeout:g}s")

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait=wait, cancel_futures=cancel_futures)


class ErrorLog(logging.Handler):
    """Every ERROR logged anywhere while the app runs: a listener that failed fails the test."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass(frozen=True)
class QuestionDm:
    """A question message as it stands in a person's DM with the bot."""

    user: SandboxUser
    message: dict[str, Any]

    @property
    def channel(self) -> str:
        return str(self.message["channel"])

    @property
    def ts(self) -> str:
        return str(self.message["ts"])

    @property
    def actions(self) -> dict[str, Any]:
        return next(b for b in self.message["blocks"] if b["type"] == "actions")

    @property
    def block_id(self) -> str:
        return str(self.actions["block_id"])

    @property
    def delivery_id(self) -> int:
        delivery_id = delivery_from_block_id(self.block_id)
        assert delivery_id is not None, self.block_id
        return delivery_id

    @property
    def elements(self) -> list[dict[str, Any]]:
        return list(self.actions["elements"])

    @property
    def is_multiple(self) -> bool:
        return any(e["type"] == "checkboxes" for e in self.elements)


@dataclass
class E2E:
    runtime: Runtime
    sandbox: SlackSandbox
    slack: SlackSender
    listeners: ListenerTracker
    clock: Clock
    workdir: Path
    errors: ErrorLog = field(default_factory=ErrorLog)
    # The backlog's workers: slow work a listener hands on after its ack.
    work: ListenerTracker | None = None
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        # The app's own kind of session: whatever a test writes moves the summary's tallies too.
        self.sessions = make_session_factory(self.runtime.engine)

    # -- the database ------------------------------------------------------------------------

    def session(self) -> Session:
        return self.sessions()

    def count(self, model: type[models.Base]) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

    def correct_keys(self, delivery_id: int) -> list[str]:
        with self.session() as session:
            return list(session.get_one(models.Delivery, delivery_id).question_version.correct)

    def keep_only(self, keep: Callable[[str], bool]) -> SyncReport:
        """Re-sync the bank from a copy of the sample holding only some questions."""
        copies = len(list(self.workdir.glob("bank-*")))
        folder = bank_copy(self.workdir / f"bank-{copies + 1}", keep)
        return sync_bank(uow=self.runtime.uow, bank=load_bank(folder), now=self.clock())

    # -- Slack -------------------------------------------------------------------------------

    def settle(self) -> None:
        self.listeners.settle()
        if self.work is not None:
            self.work.settle()

    def replies_to(self, user: SandboxUser) -> list[RecordedCall]:
        """Ephemeral messages sent to this person: a command's answer after its empty ack."""
        return [
            c
            for c in self.sandbox.calls_to("chat.postEphemeral")
            if c.ok and c.params.get("user") == user.id
        ]

    def reply_text(self, user: SandboxUser) -> str:
        """Once every listener and the backlog are done, the last private reply's text."""
        self.settle()
        replies = self.replies_to(user)
        assert replies, f"no ephemeral reply to {user.id}"
        return str(replies[-1].params.get("text") or "")

    def command(
        self, user: SandboxUser, command: str = "/quiz", text: str = "", **options: Any
    ) -> httpx.Response:
        body = slash_command_body(
            command=command, user_id=user.id, user_name=handle(user), text=text
        )
        return self.slack.form(body, **options)

    def command_settled(self, user: SandboxUser, command: str, text: str) -> httpx.Response:
        """A slash command, answered 200, once its listener has finished."""
        response = self.command(user, command, text=text)
        assert response.status_code == 200, response.text
        self.settle()
        return response

    def to(self, user: SandboxUser) -> Callable[[RecordedCall], bool]:
        """Whether a call went to the person: by user id, or by the DM a round opened."""
        channels = {user.id, self.sandbox.dm_channel(user.id)}
        return lambda call: call.params.get("channel") in channels

    def posts_to(self, user: SandboxUser) -> list[RecordedCall]:
        went = self.to(user)
        return [c for c in self.sandbox.calls_to("chat.postMessage") if c.ok and went(c)]

    def wait_for_post(self, user: SandboxUser, count: int) -> RecordedCall:
        return self.sandbox.wait_for("chat.postMessage", count, where=self.to(user))[-1]

    def quiz(self, user: SandboxUser) -> QuestionDm:
        """/quiz, then the question DM once the listener has finished with it."""
        before = len(self.posts_to(user))
        response = self.command(user)
        assert response.status_code == 200, response.text
        self.wait_for_post(user, before + 1)
        self.settle()
        return QuestionDm(user, self.sandbox.messages(user.id)[-1])

    def click_body(
        self, dm: QuestionDm, keys: list[str], *, user: SandboxUser | None = None
    ) -> str:
        """The block_actions body for choosing `keys` on this question."""
        who = user or dm.user
        if dm.is_multiple:
            pick = next(e for e in dm.elements if e["action_id"] == ActionId.PICK)
            ticked = [o for o in pick["options"] if o["value"] in keys]
            state = checkbox_state(dm.block_id, ActionId.PICK, ticked)
            submit = next(e for e in dm.elements if e["action_id"] == ActionId.SUBMIT)
            action = element_action(dm.block_id, submit)
        else:
            (key,) = keys
            button = next(e for e in dm.elements if e["value"] == key)
            action, state = element_action(dm.block_id, button), {}
        return block_actions(
            user_id=who.id, user_name=handle(who), message=dm.message, action=action, state=state
        )

    def click(self, dm: QuestionDm, keys: list[str], **options: Any) -> httpx.Response:
        response = self.slack.form(self.click_body(dm, keys), **options)
        assert response.status_code == 200, response.text
        return response

    def updates_of(self, dm: QuestionDm, count: int = 1) -> list[RecordedCall]:
        """Wait for `count` chat.update calls on this message and return them, oldest first."""
        return self.sandbox.wait_for("chat.update", count, where=lambda c: c.params["ts"] == dm.ts)

    def answer(self, dm: QuestionDm, *, correctly: bool) -> RecordedCall:
        """Click a right (or a wrong) answer and wait for the message to show the outcome."""
        keys = self.correct_keys(dm.delivery_id)
        if not correctly:
            wrong = [e["value"] for e in _choices(dm) if e["value"] not in keys]
            keys = wrong[:1]
        updates = self.sandbox.calls_to("chat.update")
        before = len([c for c in updates if c.ok and c.params["ts"] == dm.ts])
        self.click(dm, keys)
        update = self.updates_of(dm, before + 1)[-1]
        self.settle()
        return update


def _choices(dm: QuestionDm) -> list[dict[str, Any]]:
    if dm.is_multiple:
        pick = next(e for e in dm.elements if e["action_id"] == ActionId.PICK)
        return list(pick["options"])
    return dm.elements


def handle(user: SandboxUser) -> str:
    """The person's Slack handle, as the stand-in's users.info gives it."""
    return handle_for(user.name)


def ack_text(response: httpx.Response) -> str:
    """The text a slash command's ack shows the person (Slack takes plain text or JSON)."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return str(response.json().get("text", ""))
    return response.text


def message_text(call: RecordedCall) -> str:
    """Everything a person reads in a posted or updated message: text and every block."""
    parts = [str(call.params.get("text") or "")]
    parts += [block_text(block) for block in call.params.get("blocks") or []]
    return "\n".join(parts)


def block_text(block: Any) -> str:
    if isinstance(block, dict):
        return "\n".join(block_text(v) for k, v in block.items() if k not in ("type", "emoji"))
    if isinstance(block, list):
        return "\n".join(block_text(v) for v in block)
    return str(block) if isinstance(block, str) else ""


# -- answering with a chosen option, for tests that plant a pattern of answers ------------------


def question_code(e2e: E2E, dm: QuestionDm) -> str:
    """The id of the question this DM asks, as recorded on its delivery."""
    with e2e.session() as session:
        return session.get_one(models.Delivery, dm.delivery_id).question_code


def choose(e2e: E2E, dm: QuestionDm, keys: list[str]) -> RecordedCall:
    """Click exactly these options and wait for the message to show the outcome."""
    done = [c for c in e2e.sandbox.calls_to("chat.update") if c.ok and c.params["ts"] == dm.ts]
    e2e.click(dm, keys)
    update = e2e.updates_of(dm, len(done) + 1)[-1]
    e2e.settle()
    return update
