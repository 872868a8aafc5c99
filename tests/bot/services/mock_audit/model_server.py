"""A fake OpenAI-compatible chat-completions endpoint on a loopback port, for the model's tests.

It records every request and answers as told: a verdict per key point, any message text, an
HTTP status, a body that is not JSON at all, or nothing until well after the client gave up.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class ModelRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeModel:
    def __init__(self, port: int) -> None:
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}/v1"
        self.requests: list[ModelRequest] = []
        self.status = 200
        self.content = json.dumps({"points": []})
        self.raw: bytes | None = None  # the whole body, instead of an OpenAI-shaped one
        self.delay = 0.0  # seconds before answering
        # Set when the test ends, so a delayed answer doesn't outlive it.
        self.released = threading.Event()
        # Run on each request before the answer: what happens while the model thinks.
        self.meanwhile: Callable[[], None] | None = None
        self.errors: list[BaseException] = []

    def says(self, *said: bool) -> None:
        """Answer with these verdicts, one per key point, as the prompt asks."""
        self.content = json.dumps(
            {"points": [{"point": n, "said": s} for n, s in enumerate(said, 1)]}
        )

    def body(self) -> bytes:
        if self.raw is not None:
            return self.raw
        message = {"role": "assistant", "content": self.content}
        return json.dumps(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "model": "fake",
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            }
        ).encode()


def _handler(model: FakeModel) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            model.requests.append(ModelRequest(self.path, dict(self.headers), json.loads(raw)))
            if model.meanwhile is not None:
                try:
                    model.meanwhile()
                except Exception as error:
                    model.errors.append(error)
            if model.delay:
                model.released.wait(model.delay)
            body = model.body()
            try:
                self.send_response(model.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up waiting

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def running_fake_model() -> Iterator[FakeModel]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    model = FakeModel(server.server_address[1])
    server.RequestHandlerClass = _handler(model)
    # A short poll interval: shutdown() waits for the next poll.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield model
    finally:
        model.released.set()
        server.shutdown()
        server.server_close()
        thread.join()
