"""Answering one Web API call: latency, injected faults, auth, rate limit, handler, record."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.calls import CallLog, RecordedCall
from bot.sandbox.errors import SlackError
from bot.sandbox.faults import FaultPlan, Reply, SlidingWindow, json_reply, ratelimited, text_reply
from bot.sandbox.files import receive_upload
from bot.sandbox.methods import METHODS
from bot.sandbox.workspace import Workspace

RATE_LIMITED_METHOD = "chat.postMessage"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    reply: Reply
    ok: bool
    error: str | None

    @classmethod
    def failure(cls, error: SlackError) -> Outcome:
        return cls(json_reply(error.body()), False, error.code)


@dataclass
class Dispatcher:
    """The backend behind the HTTP server; safe to call from many handler threads."""

    workspace: Workspace
    log: CallLog
    faults: FaultPlan
    limiter: SlidingWindow | None
    bot_token: str | None
    latency: float
    clock: Callable[[], float]

    def api_call(self, method: str, params: dict[str, Any], token: str | None) -> Reply:
        if self.latency > 0:
            time.sleep(self.latency)
        outcome = self._answer(method, params, token)
        self.log.record(
            RecordedCall(method, params, token, outcome.ok, outcome.error, self.clock())
        )
        return outcome.reply

    def upload(self, file_id: str, body: bytes, content_type: str) -> Reply:
        if self.latency > 0:
            time.sleep(self.latency)
        return receive_upload(self.workspace, file_id, body, content_type)

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> Outcome:
        fault = self.faults.take(method)
        if fault is not None and not fault.after_effect:
            time.sleep(fault.delay)
            return Outcome(fault.reply(), False, fault.recorded_error)
        outcome = self._handle(method, params, token)
        if fault is not None:
            time.sleep(fault.delay)
            if fault.status != 200:
                return Outcome(fault.reply(), False, fault.recorded_error)
        return outcome

    def _handle(self, method: str, params: dict[str, Any], token: str | None) -> Outcome:
        handler = METHODS.get(method)
        if handler is None:
            return Outcome.failure(SlackError("unknown_method"))
        if token is None:
            return Outcome.failure(SlackError("not_authed"))
        if self.bot_token is not None and token != self.bot_token:
            return Outcome.failure(SlackError("invalid_auth"))
        if self.limiter is not None and method == RATE_LIMITED_METHOD:
            retry_after = self.limiter.admit()
            if retry_after is not None:
                return Outcome(ratelimited(retry_after), False, "ratelimited")
        try:
            return Outcome(json_reply(handler(self.workspace, params)), True, None)
        except SlackError as error:
            return Outcome.failure(error)
        except Exception as error:  # a sandbox bug must surface as a failed, recorded call
            logger.exception("sandbox handler for %s failed", method)
            return Outcome(text_reply(f"sandbox error: {error!r}", 500), False, "sandbox_error")
