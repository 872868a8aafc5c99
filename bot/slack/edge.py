"""The HTTP front door: a request is size-limited and its signature checked before anything
parses it, so malformed, unsigned or oversized bodies get 400, 401 or 413, never a 500.

A signed request must also come from our own workspace (and Enterprise Grid org, if any):
the same signing secret serves every workspace an app is installed in, so a signature alone
does not say whose request it is. A slash command from elsewhere gets a 200 with a polite
ephemeral line (Slack shows the person anything else as a failure they cannot act on); a
click, a modal submission or an event gets a 403. Either way Bolt never sees it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import Clock, SignatureVerifier
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from bot.slack import shapes, texts
from bot.slack.shapes import Kind, SlackBody

log = logging.getLogger(__name__)


def malformed() -> Response:
    return PlainTextResponse("malformed request", status_code=400)


# Slack's largest payloads (a modal's state) are tens of kilobytes; this leaves ample room.
MAX_BODY_BYTES = 1024 * 1024


class TooLarge(Exception):
    pass


async def read_limited(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, read only up to `limit`: a false or missing Content-Length can't get past it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def signed_by_slack(request: Request, body: bytes, secret: str, *, now: float) -> bool:
    """Slack's v0 signature over this exact body, made within the last five minutes."""
    timestamps = request.headers.getlist("x-slack-request-timestamp")
    signatures = request.headers.getlist("x-slack-signature")
    # Exactly one of each: with two, Bolt and this check might read different ones.
    if len(timestamps) != 1 or len(signatures) != 1:
        return False
    timestamp, signature = timestamps[0], signatures[0]
    if not timestamp.isdigit() or not signature:
        return False
    verifier = SignatureVerifier(secret, clock=_FixedClock(now))
    return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)


class _FixedClock(Clock):
    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


@dataclass(frozen=True)
class Workspace:
    """Which workspace a request says it comes from: every team and org id it names."""

    teams: frozenset[str]
    enterprises: frozenset[str]
    is_command: bool
    # The Events API's handshake names no workspace; Bolt answers it with the challenge alone.
    is_handshake: bool = False


@dataclass(frozen=True)
class Ours:
    """Our workspace. `enterprise` is None for a workspace outside any Grid org; when the team
    came from SLACK_TEAM_ID alone the org is not known, and the team id (unique across Slack,
    and in exactly one org) decides by itself."""

    team: str
    enterprise: str | None
    enterprise_known: bool

    def admits(self, claimed: Workspace) -> bool:
        if claimed.is_handshake:
            return True
        if claimed.teams != {self.team}:
            return False
        if not self.enterprise_known:
            return True
        return claimed.enterprises <= ({self.enterprise} if self.enterprise else set())


class OurWorkspace:
    """Our team id: from SLACK_TEAM_ID, or else asked of Slack (auth.test) once and kept."""

    def __init__(self, client: WebClient, team_id: str | None) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._ours = Ours(team_id, None, enterprise_known=False) if team_id else None

    def known(self) -> Ours | None:
        """Our workspace if it is known already, without asking Slack."""
        return self._ours

    def get(self) -> Ours | None:
        """None while Slack can't be asked; the request is then refused, not let through."""
        with self._lock:
            if self._ours is None:
                try:
                    answer = self._client.auth_test()
                except SlackApiError as error:
                    log.warning("auth.test failed, so requests can't be checked: %s", error)
                    return None
                team, enterprise = answer.get("team_id"), answer.get("enterprise_id")
                if not team:
                    log.warning("auth.test named no team_id, so requests can't be checked")
                    return None
                self._ours = Ours(str(team), str(enterprise) if enterprise else None, True)
            return self._ours


def claimed_workspace(body: SlackBody) -> Workspace:
    """The team and org ids a Slack request names."""
    fields = body.fields
    match body.kind:
        case Kind.EVENT:
            authorizations = fields.get("authorizations")
            found = [fields, *(a for a in _as_list(authorizations) if isinstance(a, dict))]
            teams = _ids(f.get("team_id") for f in found)
            enterprises = _ids(f.get("enterprise_id") for f in found)
        case Kind.INTERACTION:
            team, user, org = (_as_dict(fields.get(k)) for k in ("team", "user", "enterprise"))
            teams = _ids([team.get("id"), user.get("team_id")])
            enterprises = _ids([org.get("id"), team.get("enterprise_id")])
        case _:
            teams = _ids([fields.get("team_id")])
            enterprises = _ids([fields.get("enterprise_id")])
    return Workspace(
        teams=teams,
        enterprises=enterprises,
        is_command=body.kind is Kind.COMMAND,
        is_handshake=body.kind is Kind.HANDSHAKE,
    )


def _as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _ids(values: Iterable[object]) -> frozenset[str]:
    # A wrong type counts as an id of its own, so it can only ever fail to match ours.
    return frozenset(v if isinstance(v, str) else repr(v) for v in values if v not in (None, ""))


def refuse_elsewhere(claimed: Workspace) -> Response:
    if claimed.is_command:
        return JSONResponse({"response_type": "ephemeral", "text": texts.ANOTHER_WORKSPACE})
    return PlainTextResponse("this app belongs to another workspace", status_code=403)


def slack_endpoint(
    bolt: App, secret: str | None, ours: OurWorkspace
) -> Callable[[Request], Awaitable[Response]]:
    """POST /slack/events. With no signing secret (Socket Mode) Bolt never sees HTTP at all."""

    async def slack_events(request: Request) -> Response:
        try:
            body = await read_limited(request)
        except TooLarge:
            return PlainTextResponse("request body too large", status_code=413)
        if secret is not None and not signed_by_slack(request, body, secret, now=time.time()):
            return PlainTextResponse("invalid signature", status_code=401)
        try:
            parsed = shapes.parse(body, request.headers.get("content-type", ""))
        except (UnicodeDecodeError, ValueError, RecursionError):
            parsed = None
        if parsed is None:
            log.info("refused a signed request whose body is not a Slack payload")
            return malformed()
        claimed = claimed_workspace(parsed)
        if not claimed.is_handshake:
            # Known after the first request; only asking Slack needs a worker thread.
            mine = ours.known() or await run_in_threadpool(ours.get)
            if mine is None:
                return PlainTextResponse("workspace unknown; try again", status_code=503)
            if not mine.admits(claimed):
                log.info("refused a request from another workspace: %s", sorted(claimed.teams))
                return refuse_elsewhere(claimed)
        problem = shapes.problem(parsed)
        if problem is not None:
            log.info("refused a signed %s that Slack would not send: %s", parsed.kind, problem)
            return malformed()
        try:
            bolt_request = to_bolt_request(request, body)
        except (UnicodeDecodeError, ValueError, TypeError, AttributeError, KeyError):
            # Bolt reads who sent it while building the request: an event whose "user" is a
            # number made it raise a TypeError (found by tests/e2e/security/test_fuzz.py).
            log.info("refused a signed %s that Bolt could not read", parsed.kind)
            return malformed()
        # Bolt's dispatch is blocking; a worker thread keeps the event loop free.
        try:
            response = await run_in_threadpool(bolt.dispatch, bolt_request)
        except Exception:
            # Bolt's own parsing and middleware, not a listener (Bolt catches those): a
            # payload it can't route is the sender's fault, not a server error.
            log.warning("Bolt could not dispatch a signed %s", parsed.kind, exc_info=True)
            return malformed()
        return to_starlette_response(response)

    return slack_events
