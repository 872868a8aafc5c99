"""The HTTP front door: a request is size-limited and its signature checked before anything
parses it, so malformed, unsigned or oversized bodies get 400, 401 or 413, never a 500.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk.signature import Clock, SignatureVerifier
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

log = logging.getLogger(__name__)

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


def slack_endpoint(bolt: App, secret: str | None) -> Callable[[Request], Awaitable[Response]]:
    """POST /slack/events. With no signing secret (Socket Mode) Bolt never sees HTTP at all."""

    async def slack_events(request: Request) -> Response:
        try:
            body = await read_limited(request)
        except TooLarge:
            return PlainTextResponse("request body too large", status_code=413)
        if secret is not None and not signed_by_slack(request, body, secret, now=time.time()):
            return PlainTextResponse("invalid signature", status_code=401)
        try:
            bolt_request = to_bolt_request(request, body)
        except (UnicodeDecodeError, ValueError):
            log.info("refused a signed request whose body is not a Slack payload")
            return PlainTextResponse("malformed request", status_code=400)
        # Bolt's dispatch is blocking; a worker thread keeps the event loop free.
        response = await run_in_threadpool(bolt.dispatch, bolt_request)
        return to_starlette_response(response)

    return slack_events
