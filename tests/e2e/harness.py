"""The running system under test, and the moves a person makes in Slack, as test verbs."""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, wait
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from bot.domain.schedules import SchedulesFile
from bot.sandbox import BOT_USER_ID, RecordedCall, SandboxUser, SlackSandbox
from bot.services.bank import SyncReport, sync_bank
from bot.services.staff import import_roster, sync_staff
from bot.settings import Settings
from bot.slack.app import Runtime, create_app
from bot.slack.directory import WebDirectory
from bot.slack.ids import ActionId, delivery_from_block_id
from bot.slack.jobs import JobContext, activate, job_context
from bot.slack.rounds.fanout import Pacer
from questions.loader import load_bank, sample_bank_path
from storage import models
from storage.db import make_engine
from tests.conftest import Clock
from tests.e2e.slack import (
    APP_ID,
    TEAM_ID,
    SlackSender,
    block_actions,
    checkbox_state,
    element_action,
    event_callback,
    fixture,
)
from tests.e2e.slack import slash_command as slash_command_body
from tests.e2e.workspace import (
    ZONED_PEOPLE,
    ZONED_SCHEDULES,
    bank_copy,
    sample_bank,
    zoned_roster,
)

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

    # -- the database ------------------------------------------------------------------------

    def session(self) -> Session:
        return Session(self.runtime.engine)

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

    def command(
        self, user: SandboxUser, command: str = "/quiz", text: str = "", **options: Any
    ) -> httpx.Response:
        body = slash_command_body(
            command=command, user_id=user.id, user_name=_handle(user), text=text
        )
        return self.slack.form(body, **options)

    def posts_to(self, user: SandboxUser) -> list[RecordedCall]:
        return [
            c
            for c in self.sandbox.calls_to("chat.postMessage")
            if c.ok and c.params.get("channel") == user.id
        ]

    def wait_for_post(self, user: SandboxUser, count: int) -> RecordedCall:
        calls = self.sandbox.wait_for(
            "chat.postMessage", count, where=lambda c: c.params.get("channel") == user.id
        )
        return calls[-1]

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
            user_id=who.id, user_name=_handle(who), message=dm.message, action=action, state=state
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


def _handle(user: SandboxUser) -> str:
    return user.name.lower().replace(" ", ".")


def ack_text(response: httpx.Response) -> str:
    """The text a slash command's ack shows the person (Slack takes plain text or JSON)."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return str(response.json().get("text", ""))
    return response.text


def message_text(call: RecordedCall) -> str:
    """Everything a person reads in a posted or updated message: text and every block."""
    parts = [str(call.params.get("text") or "")]
    parts += [_block_text(block) for block in call.params.get("blocks") or []]
    return "\n".join(parts)


def _block_text(block: Any) -> str:
    if isinstance(block, dict):
        return "\n".join(_block_text(v) for k, v in block.items() if k not in ("type", "emoji"))
    if isinstance(block, list):
        return "\n".join(_block_text(v) for v in block)
    return str(block) if isinstance(block, str) else ""


# -- scheduled rounds, driven from the test rather than over HTTP --------------------------------

ROUND_TOKEN = "xoxb-rounds-token"


def zoned_sandbox() -> SlackSandbox:
    """A Slack workspace of ZONED_PEOPLE, not yet started."""
    return SlackSandbox(users=ZONED_PEOPLE, bot_token=ROUND_TOKEN)


class PacerTime:
    """Seconds for a round's Pacer that pass only when it sleeps: a Retry-After costs no time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


@dataclass
class RoundWorld:
    """The app on one database with ZONED_PEOPLE in a Slack sandbox, driven by the test's clock.

    The round sender's pacer runs on `pacer_time`, so rate-limit holds are counted, not waited.
    """

    runtime: Runtime
    sandbox: SlackSandbox
    clock: Callable[[], datetime]
    pacer_time: PacerTime

    @classmethod
    def open(
        cls,
        sandbox: SlackSandbox,
        engine: Engine,
        clock: Callable[[], datetime],
        schedules: SchedulesFile = ZONED_SCHEDULES,
    ) -> RoundWorld:
        """A process of the app on an already migrated database."""
        settings = Settings(
            _env_file=None,
            slack_bot_token=SecretStr(ROUND_TOKEN),
            slack_api_url=sandbox.base_url,
            database_url=engine.url.render_as_string(hide_password=False),
            bank=sample_bank_path(),
            admins=[],
        )
        runtime = create_app(settings, engine=engine, clock=clock, schedules=schedules)
        pacer_time = PacerTime()
        pacer = Pacer(settings.posts_per_minute, clock=pacer_time, sleep=pacer_time.sleep)
        sender = dataclasses.replace(runtime.sender, pacer=pacer)
        return cls(dataclasses.replace(runtime, sender=sender), sandbox, clock, pacer_time)

    def stock(self) -> RoundWorld:
        """Load the sample bank and ZONED_PEOPLE with their roster rows."""
        uow, now = self.runtime.uow, self.clock()
        sync_bank(uow=uow, bank=sample_bank(), now=now)
        directory = WebDirectory(self.runtime.client)
        sync_staff(uow=uow, directory=directory, include_guests=False, now=now)
        report = import_roster(uow=uow, rows=zoned_roster())
        assert (report.matched, report.problems) == (len(ZONED_PEOPLE), []), report
        return self

    def restarted(self, clock: Callable[[], datetime]) -> RoundWorld:
        """A new process on the same database: new engine, services, sender and pacer."""
        engine = make_engine(self.runtime.settings.database_url)
        return RoundWorld.open(self.sandbox, engine, clock, self.runtime.schedules)

    def activate(self) -> JobContext:
        """Make this process's services the ones scheduler jobs run with."""
        runtime = self.runtime
        context = job_context(runtime.schedules, runtime.services, runtime.sender, self.clock, [])
        activate(context)
        return context

    def session(self) -> Session:
        return Session(self.runtime.engine)

    def deliveries(self) -> list[models.Delivery]:
        """Every round delivery with its person, question and answer loaded, oldest first."""
        with self.session() as session:
            return list(
                session.scalars(
                    select(models.Delivery)
                    .where(models.Delivery.round_id.is_not(None))
                    .options(
                        selectinload(models.Delivery.person),
                        selectinload(models.Delivery.question_version),
                        selectinload(models.Delivery.answer),
                    )
                    .order_by(models.Delivery.id)
                )
            )

    def posts_per_delivery(self) -> Counter[int]:
        """Successful chat.postMessage calls carrying each delivery's question."""
        return Counter(
            delivery_id
            for call in self.sandbox.calls_to("chat.postMessage")
            if call.ok
            for delivery_id in _deliveries_in(call)
        )


def _deliveries_in(call: RecordedCall) -> list[int]:
    found = []
    for block in call.params.get("blocks") or []:
        delivery_id = delivery_from_block_id(str(block.get("block_id", "")))
        if delivery_id is not None:
            found.append(delivery_id)
    return found


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


# -- mock audits: modal submissions, interview threads, replies and their edits ----------------

_serial = itertools.count(1)


@dataclass(frozen=True)
class InterviewThread:
    """A practice interview as its person sees it: the invitation DM and the thread under it."""

    user: SandboxUser
    channel: str
    ts: str  # the invitation's: every question, reply and the thanks go in its thread


def next_message_ts() -> str:
    """A fresh ts for a message a person sends, in Slack's "seconds.micros" form."""
    return f"{int(time.time())}.{next(_serial):06d}"


def view_submission_body(*, user: SandboxUser, view: dict[str, Any], values: dict[str, Any]) -> str:
    """A form-encoded view_submission of `view` (as the app opened it) with these inputs."""
    payload = fixture("view_submission.json")
    handle = _handle(user)
    payload.update(
        team={"id": TEAM_ID, "domain": "brightfield"},
        user={"id": user.id, "username": handle, "name": handle, "team_id": TEAM_ID},
        api_app_id=APP_ID,
        trigger_id=f"{int(time.time())}.{next(_serial)}.trigger",
    )
    view_id = f"V0MOCK{next(_serial):05d}"
    payload["view"].update(
        {"private_metadata": "", **view},
        id=view_id,
        root_view_id=view_id,
        team_id=TEAM_ID,
        app_id=APP_ID,
        app_installed_team_id=TEAM_ID,
        state={"values": values},
    )
    return urlencode({"payload": json.dumps(payload)})


def thread_reply_body(thread: InterviewThread, *, text: str, ts: str) -> str:
    """The message.im event for `thread.user` replying `text` in the interview's thread."""
    return event_callback(
        "message_im_thread_reply.json",
        user=thread.user.id,
        channel=thread.channel,
        thread_ts=thread.ts,
        parent_user_id=BOT_USER_ID,
        ts=ts,
        event_ts=ts,
        text=text,
        team=TEAM_ID,
        user_team=TEAM_ID,
        source_team=TEAM_ID,
    )


def reply_edited_body(thread: InterviewThread, *, ts: str, before: str, after: str) -> str:
    """The message_changed event Slack sends when the person edits their reply `ts`."""
    shape = fixture("message_changed_im.json")["event"]
    edited_ts = next_message_ts()
    mine = {"user": thread.user.id, "ts": ts, "thread_ts": thread.ts, "parent_user_id": BOT_USER_ID}
    edited = {"user": thread.user.id, "ts": edited_ts}
    return event_callback(
        "message_changed_im.json",
        channel=thread.channel,
        ts=edited_ts,
        event_ts=edited_ts,
        message={**shape["message"], **mine, "text": after, "edited": edited},
        previous_message={**shape["previous_message"], **mine, "text": before},
    )


def thread_messages(e2e: E2E, thread: InterviewThread) -> list[dict[str, Any]]:
    """The bot's messages in the interview's thread as they stand now, oldest first."""
    return [m for m in e2e.sandbox.messages(thread.channel) if m.get("thread_ts") == thread.ts]


def await_thread(e2e: E2E, thread: InterviewThread, count: int) -> list[dict[str, Any]]:
    """Wait for the bot's `count`th message in the thread and for every listener to finish."""
    e2e.sandbox.wait_for(
        "chat.postMessage", count, where=lambda c: c.params.get("thread_ts") == thread.ts
    )
    e2e.settle()
    return thread_messages(e2e, thread)


def interview_threads(
    e2e: E2E, round_id: int, people: Iterable[SandboxUser]
) -> dict[str, list[InterviewThread]]:
    """Each sampled person's interview thread, by department, in the order they were sampled."""
    members = {user.id: user for user in people}
    found: dict[str, list[InterviewThread]] = {}
    with e2e.session() as session:
        interviews = session.scalars(
            select(models.Interview)
            .where(models.Interview.mock_round_id == round_id)
            .options(selectinload(models.Interview.person))
            .order_by(models.Interview.id)
        )
        for interview in interviews:
            assert interview.channel and interview.thread_ts, interview.id
            user = members[interview.person.slack_id]
            thread = InterviewThread(user, interview.channel, interview.thread_ts)
            found.setdefault(interview.department, []).append(thread)
    return found


def click_button(
    e2e: E2E, user: SandboxUser, message: dict[str, Any], action_id: str
) -> httpx.Response:
    """`user` clicks the button `action_id` on `message` (which names its channel)."""
    block, button = next(
        (block, element)
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    )
    body = block_actions(
        user_id=user.id,
        user_name=_handle(user),
        message=message,
        action=element_action(block["block_id"], button),
    )
    response = e2e.slack.form(body)
    assert response.status_code == 200, response.text
    return response


def open_start_modal(e2e: E2E, admin: SandboxUser) -> dict[str, Any]:
    """`/awareness mock-audit start`, and the modal the app opened for it."""
    before = len([c for c in e2e.sandbox.calls_to("views.open") if c.ok])
    response = e2e.command(admin, "/awareness", "mock-audit start")
    assert response.status_code == 200 and ack_text(response) == "", response.text
    view: dict[str, Any] = e2e.sandbox.wait_for("views.open", before + 1)[-1].params["view"]
    return view


def start_values(
    modal: dict[str, Any], *, departments: list[str], cap: int, hours: int
) -> dict[str, Any]:
    """The start modal's `state.values`: every standard ticked, these departments chosen."""
    elements = {block["block_id"]: block["element"] for block in modal["blocks"]}
    chosen = [o for o in elements["departments"]["options"] if o["value"] in departments]
    assert len(chosen) == len(departments), (departments, elements["departments"]["options"])
    return {
        "standards": {
            "value": {"type": "checkboxes", "selected_options": elements["standards"]["options"]}
        },
        "departments": {"value": {"type": "multi_static_select", "selected_options": chosen}},
        "cap": {"value": {"type": "plain_text_input", "value": str(cap)}},
        "hours": {"value": {"type": "plain_text_input", "value": str(hours)}},
    }


def start_mock_audit(
    e2e: E2E, admin: SandboxUser, *, departments: list[str], cap: int, hours: int = 72
) -> tuple[int, dict[str, Any]]:
    """Open the start modal and submit it; the round's number once every invitation is out,
    and the modal as the app opened it."""

    def started(call: RecordedCall) -> bool:
        text = str(call.params.get("text") or "")
        return call.params.get("channel") == admin.id and "has started" in text

    before = len([c for c in e2e.sandbox.calls_to("chat.postMessage") if c.ok and started(c)])
    modal = open_start_modal(e2e, admin)
    values = start_values(modal, departments=departments, cap=cap, hours=hours)
    response = e2e.slack.form(view_submission_body(user=admin, view=modal, values=values))
    assert response.status_code == 200 and response.text == "", response.text
    told = e2e.sandbox.wait_for("chat.postMessage", before + 1, where=started)[-1]
    e2e.settle()
    number = re.search(r"Mock audit #(\d+) has started", told.params["text"])
    assert number is not None, told.params["text"]
    return int(number.group(1)), modal


def close_then_report(e2e: E2E, number: int, *, admin: SandboxUser, reader: SandboxUser) -> None:
    """The admin closes the mock audit (its findings go to the admin), then `reader` asks for
    the report with `/awareness mock-audit report N`; returns once both files are uploaded."""
    e2e.command(admin, "/awareness", f"mock-audit close {number}").raise_for_status()
    e2e.sandbox.wait_for("files.completeUploadExternal")
    e2e.command(reader, "/awareness", f"mock-audit report {number}").raise_for_status()
    e2e.sandbox.wait_for("files.completeUploadExternal", 2)
    e2e.settle()


def stored_text(message: dict[str, Any]) -> str:
    """Everything a person reads in a message as the sandbox stores it: text and every block."""
    return "\n".join([str(message.get("text") or ""), _block_text(message.get("blocks") or [])])


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.items: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "li"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "li") and self._cell is not None:
            (self.rows[-1] if tag == "td" else self.items).append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_cells(page: str) -> tuple[list[list[str]], list[str]]:
    """The text of an HTML page's table cells, row by row, and of its list items."""
    parser = _Cells()
    parser.feed(page)
    return parser.rows, parser.items
