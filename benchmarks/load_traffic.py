"""Open-loop traffic for `load.py`: Slack's requests, signed, sent at fixed times.

Request *i* of a phase is sent at `start + i / rate` whatever happened to the ones before it
(open loop), and its ack latency is measured from that planned time, so a server that falls
behind is charged for the queue it builds (no coordinated omission). The kinds are drawn from
`MIX` with a fixed seed: `/quiz` commands, clicks on an option of a question those produced,
App Home opens (`app_home_opened`) and `/awareness` summaries from admins.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import random
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.sandbox import BOT_USER_ID, SandboxUser, SlackSandbox
from bot.sandbox.requests import (
    APP_ID,
    FORM,
    JSON,
    PATH,
    TEAM_ID,
    block_actions,
    checkbox_state,
    element_action,
    event_callback,
    signed_headers,
    slash_command,
)
from bot.sandbox.users import handle_for
from bot.sandbox.workspace import dm_channel_id
from bot.slack.ids import ActionId, delivery_from_block_id

QUIZ, CLICK, HOME, AWARENESS = "quiz", "click", "home", "awareness"
KINDS = (QUIZ, CLICK, HOME, AWARENESS)
MIX = {QUIZ: 0.40, CLICK: 0.35, HOME: 0.23, AWARENESS: 0.02}
# Slack gives up on an ack after 3 s: a later one counts as an error.
SLACK_ACK_TIMEOUT = 3.0
CLIENT_TIMEOUT = 10.0
REFRESH_EVERY = 0.05

HOME_ENVELOPE: dict[str, Any] = {
    "token": "verification_token",
    "team_id": TEAM_ID,
    "api_app_id": APP_ID,
    "event": {"type": "app_home_opened", "user": "", "channel": "", "tab": "home"},
    "type": "event_callback",
    "event_id": "",
    "event_time": 0,
    "authorizations": [
        {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True, "is_enterprise_install": False}
    ],
}


@dataclass(frozen=True)
class Sample:
    kind: str
    latency: float  # seconds from the planned send time to the ack
    status: str  # "200", another status code, or the exception's name

    @property
    def ok(self) -> bool:
        return self.status == "200" and self.latency <= SLACK_ACK_TIMEOUT


@dataclass
class PhaseResult:
    rate: float
    seconds: float
    samples: list[Sample]
    skipped_clicks: int
    clicked: list[int] = field(default_factory=list)  # delivery ids, one click each
    # What a person waits to see after the ack: (kind, whose DM or which message, planned).
    awaited: list[tuple[str, str, float]] = field(default_factory=list)

    def of(self, kind: str) -> list[Sample]:
        return [s for s in self.samples if s.kind == kind]


def plan(rate: float, seconds: float, seed: int, mix: dict[str, float] = MIX) -> list[str]:
    """The kind of each request, in sending order."""
    draw = random.Random(seed)
    count = max(1, round(rate * seconds))
    return draw.choices(list(mix), weights=list(mix.values()), k=count)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


class Questions:
    """Question messages the app has posted and nobody has clicked yet, oldest first.

    Read from the stand-in's call log (new calls only) and its stored messages.
    """

    def __init__(self, sandbox: SlackSandbox) -> None:
        self._sandbox = sandbox
        self._seen = 0
        self._ready: deque[tuple[SandboxUser, dict[str, Any]]] = deque()
        self._last_refresh = 0.0
        self._users: dict[str, SandboxUser] = {}

    def know(self, users: Sequence[SandboxUser]) -> None:
        # The app may post to a person by their user id or by their DM's channel id.
        self._users.update({u.id: u for u in users})
        self._users.update({dm_channel_id(u.id): u for u in users})

    def take(self) -> tuple[SandboxUser, dict[str, Any]] | None:
        if not self._ready and time.monotonic() - self._last_refresh >= REFRESH_EVERY:
            self._refresh()
        return self._ready.popleft() if self._ready else None

    def _refresh(self) -> None:
        self._last_refresh = time.monotonic()
        calls = self._sandbox.calls
        new, self._seen = calls[self._seen :], len(calls)
        for call in new:
            if call.method != "chat.postMessage" or not call.ok:
                continue
            block_id = _answer_block_id(call.params.get("blocks") or [])
            user = self._users.get(str(call.params.get("channel")))
            if block_id is None or user is None:
                continue
            message = next(
                (
                    m
                    for m in self._sandbox.messages(user.id)
                    if _answer_block_id(m["blocks"]) == block_id
                ),
                None,
            )
            if message is not None:
                self._ready.append((user, message))


def _answer_block_id(blocks: list[dict[str, Any]]) -> str | None:
    for block in blocks:
        if block.get("type") == "actions" and delivery_from_block_id(str(block.get("block_id"))):
            return str(block["block_id"])
    return None


def click_body(user: SandboxUser, message: dict[str, Any]) -> str:
    """Choose the first option of this question (ticked and submitted, if it has checkboxes)."""
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    block_id, elements = actions["block_id"], actions["elements"]
    pick = next((e for e in elements if e["action_id"] == ActionId.PICK), None)
    if pick is not None:
        state = checkbox_state(block_id, ActionId.PICK, pick["options"][:1])
        submit = next(e for e in elements if e["action_id"] == ActionId.SUBMIT)
        action = element_action(block_id, submit)
    else:
        action, state = element_action(block_id, elements[0]), {}
    return block_actions(
        user_id=user.id,
        user_name=handle_for(user.name),
        message=message,
        action=action,
        state=state,
    )


class Requests:
    """The next request of each kind: who sends it and its signed body."""

    def __init__(self, staff: list[SandboxUser], admins: list[SandboxUser], questions: Questions):
        self._quizzers: Iterator[SandboxUser] = itertools.cycle(staff)
        self._home: Iterator[SandboxUser] = itertools.cycle([*staff, *admins])
        self._admins: Iterator[SandboxUser] = itertools.cycle(admins)
        self.questions = questions
        questions.know([*staff, *admins])

    def body(self, kind: str) -> Built | None:
        """The request, or None when there is no question to click yet."""
        if kind == CLICK:
            found = self.questions.take()
            if found is None:
                return None
            user, message = found
            actions = next(b for b in message["blocks"] if b["type"] == "actions")
            delivery = delivery_from_block_id(actions["block_id"])
            return Built(click_body(user, message), FORM, delivery, message["ts"])
        if kind == HOME:
            user = next(self._home)
            body = event_callback(
                copy.deepcopy(HOME_ENVELOPE),
                bot_user_id=BOT_USER_ID,
                user=user.id,
                channel=dm_channel_id(user.id),
                event_ts=f"{time.time():.6f}",
            )
            return Built(body, JSON)
        user = next(self._quizzers if kind == QUIZ else self._admins)
        command = "/quiz" if kind == QUIZ else "/awareness"
        body = slash_command(command=command, user_id=user.id, user_name=handle_for(user.name))
        return Built(body, FORM, awaited=user.id if kind == QUIZ else None)


@dataclass(frozen=True)
class Built:
    body: str
    content_type: str
    clicked: int | None = None  # the delivery a click answers
    # What the person then waits for: the question in this user's DM, or this message updated.
    awaited: str | None = None


async def run_phase(
    base_url: str, secret: str, requests: Requests, kinds: list[str], rate: float
) -> PhaseResult:
    """Send `kinds` at `rate` per second, open loop; every ack's latency and status."""
    result = PhaseResult(rate=rate, seconds=len(kinds) / rate, samples=[], skipped_clicks=0)
    http = PlainClient(base_url)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    sending = []
    for index, kind in enumerate(kinds):
        planned = start + index / rate
        delay = planned - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        built = requests.body(kind)
        if built is None:
            result.skipped_clicks += 1
            continue
        if built.clicked is not None:
            result.clicked.append(built.clicked)
        if built.awaited is not None:
            result.awaited.append((kind, built.awaited, planned))
        headers = {"Content-Type": built.content_type, **signed_headers(secret, built.body)}
        sending.append(asyncio.create_task(_send(http, kind, built.body, headers, planned)))
    result.samples = list(await asyncio.gather(*sending))
    http.close()
    return result


async def _send(
    http: PlainClient, kind: str, body: str, headers: dict[str, str], planned: float
) -> Sample:
    loop = asyncio.get_running_loop()
    try:
        status = str(await asyncio.wait_for(http.post(body.encode(), headers), CLIENT_TIMEOUT))
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError, TimeoutError) as error:
        status = error.__class__.__name__
    return Sample(kind, loop.time() - planned, status)


class PlainClient:
    """HTTP/1.1 POSTs over kept-alive connections, as little as possible on this side.

    The load runs in the app's own process, so every cycle the client spends is one the app
    doesn't get; a general client's connection pool costs more as requests pile up, which is
    exactly when the measurement matters.
    """

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def post(self, body: bytes, headers: dict[str, str]) -> int:
        while self._idle:
            # uvicorn closes a connection idle for 5 s: one it closed answers nothing, or a reset.
            reader, writer = self._idle.pop()
            try:
                status = await self._exchange(reader, writer, body, headers)
            except (ConnectionError, asyncio.IncompleteReadError):
                continue
            if status is not None:
                return status
        reader, writer = await asyncio.open_connection(self._host, self._port)
        status = await self._exchange(reader, writer, body, headers)
        if status is None:
            raise ConnectionResetError("the server closed the connection without answering")
        return status

    async def _exchange(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        body: bytes,
        headers: dict[str, str],
    ) -> int | None:
        try:
            head = [f"POST {PATH} HTTP/1.1", f"Host: {self._host}:{self._port}"]
            head += [f"{k}: {v}" for k, v in headers.items()]
            head.append(f"Content-Length: {len(body)}")
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            first = await reader.readline()
            if not first:
                writer.close()
                return None
            status = int(first.split(b" ", 2)[1])
            length, keep = 0, True
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
                elif name.strip().lower() == "connection" and "close" in value.lower():
                    keep = False
            await reader.readexactly(length)
        except BaseException:
            writer.close()
            raise
        if keep:
            self._idle.append((reader, writer))
        else:
            writer.close()
        return status

    def close(self) -> None:
        for _reader, writer in self._idle:
            writer.close()
        self._idle.clear()


def reply_latencies(
    sandbox: SlackSandbox, awaited: list[tuple[str, str, float]]
) -> dict[str, list[float]]:
    """Per kind, seconds from each planned send to what the person then saw: the question
    posted to them (`/quiz`), or the clicked message updated with the outcome (a click).

    The stand-in stamps calls with time.monotonic, the clock asyncio's loop runs on.
    """
    posted: dict[str, list[float]] = defaultdict(list)
    updated: dict[str, list[float]] = defaultdict(list)
    for call in sandbox.calls:
        if not call.ok:
            continue
        if call.method == "chat.postMessage" and _answer_block_id(call.params.get("blocks") or []):
            channel = str(call.params.get("channel"))
            # A DM's channel id is the person's user id with D for U (the stand-in's rule).
            user = "U" + channel[1:] if channel.startswith("D") else channel
            posted[user].append(call.at)
        elif call.method == "chat.update":
            updated[str(call.params.get("ts"))].append(call.at)
    found: dict[str, list[float]] = defaultdict(list)
    used: Counter[str] = Counter()
    for kind, key, planned in sorted(awaited, key=lambda a: a[2]):
        times = posted[key] if kind == QUIZ else updated[key]
        later = [t for t in times[used[key] if kind == QUIZ else 0 :] if t >= planned]
        if later:
            found[kind].append(later[0] - planned)
            if kind == QUIZ:
                used[key] = times.index(later[0]) + 1
    return found
