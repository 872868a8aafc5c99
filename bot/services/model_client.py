"""The company's own model: asked which key points a reply the grader is unsure of makes, and
for quiz questions on a procedure's sections.

Any OpenAI-compatible chat-completions endpoint will do (vLLM, Ollama, llama.cpp server). Every
failure, from a refused connection to an answer in the wrong shape, is one warning line and no
answer: the reply stays unsure for a person, a section is drafted by the rules alone. The log
never holds what was sent or answered, nor the key. See docs/model-second-opinion.md.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from questions.second_opinion import model_messages, parse_model_verdicts

log = logging.getLogger(__name__)

# llama.cpp's server answers with the model it has loaded whatever the name; vLLM and Ollama
# need the name they serve (AUDITREADY_MODEL).
DEFAULT_MODEL = "default"
# The JSON asked for is a few hundred bytes (verdicts) or a few thousand (questions); an answer
# far longer is no answer.
MOST_ANSWER_BYTES = 64_000


class NoAnswer(Exception):
    """Why the model gave no usable answer, in words safe to log: never what was sent."""


def chat_completions_url(url: str) -> str:
    """Where to POST: `url` itself when it names /chat/completions, else that path under it."""
    trimmed = url.rstrip("/")
    return trimmed if trimmed.endswith("/chat/completions") else f"{trimmed}/chat/completions"


class ModelClient:
    """An OpenAI-compatible chat endpoint, asked with fixed prompts, bounded by a timeout."""

    def __init__(
        self, *, url: str, model: str | None = None, timeout: float = 5.0, key: str | None = None
    ) -> None:
        self.url = chat_completions_url(url)
        self.model = model or DEFAULT_MODEL
        self.timeout = timeout
        self._key = key

    def points_said(
        self, *, question: str, key_points: Sequence[str], reply: str
    ) -> tuple[bool, ...] | None:
        """Per key point, whether the model says the reply makes it; None when it can't say."""
        messages = model_messages(question=question, key_points=key_points, reply=reply)
        try:
            said = parse_model_verdicts(self._ask(messages), len(key_points))
            if said is None:
                raise NoAnswer("the answer was not the JSON asked for")
        except NoAnswer as why:
            self._warn("gave no second opinion", why)
            return None
        return said

    def chat(self, messages: Sequence[Mapping[str, str]]) -> str | None:
        """The model's message text for these messages, which ask for JSON; None, logged as one
        warning, when it gave none."""
        try:
            return self._ask(messages)
        except NoAnswer as why:
            self._warn("gave no answer", why)
            return None

    def _ask(self, messages: Sequence[Mapping[str, str]]) -> str:
        body = {
            "model": self.model,
            "messages": [dict(message) for message in messages],
            "temperature": 0,
            "response_format": {"type": "json_object"},
        }
        return _content(self._post(body))

    def _warn(self, outcome: str, why: NoAnswer) -> None:
        host = httpx.URL(self.url)
        log.warning("model at %s:%s %s: %s", host.host, host.port, outcome, why)

    def _post(self, body: dict[str, Any]) -> bytes:
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        deadline = time.monotonic() + self.timeout
        try:
            # trust_env off: what is asked goes to the URL set, never through a proxy from the
            # environment.
            with (
                httpx.Client(timeout=self.timeout, trust_env=False) as client,
                client.stream("POST", self.url, json=body, headers=headers) as response,
            ):
                if response.status_code != 200:
                    raise NoAnswer(f"HTTP {response.status_code}")
                answer = bytearray()
                # httpx times each read; the deadline bounds the whole answer, however it trickles.
                for chunk in response.iter_bytes():
                    answer += chunk
                    if len(answer) > MOST_ANSWER_BYTES:
                        raise NoAnswer(f"the answer was over {MOST_ANSWER_BYTES} bytes")
                    if time.monotonic() > deadline:
                        raise NoAnswer(f"no answer within {self.timeout:g} s")
                return bytes(answer)
        except httpx.TimeoutException as error:
            raise NoAnswer(f"no answer within {self.timeout:g} s") from error
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            # The exception's name only: its message may carry the URL and whatever it holds.
            raise NoAnswer(type(error).__name__) from error


def _content(raw: bytes) -> str:
    """The first choice's message text of a chat-completions answer."""
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, LookupError, TypeError) as error:
        raise NoAnswer("the answer was not in the chat-completions shape") from error
    if not isinstance(content, str):
        raise NoAnswer("the answer's message had no text")
    return content
