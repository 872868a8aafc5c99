"""HTTP plumbing: a loopback ThreadingHTTPServer that routes to a Backend."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import urlsplit

from bot.sandbox.errors import SlackError
from bot.sandbox.faults import Reply, json_reply, text_reply
from bot.sandbox.wire import bearer_token, parse_params

API_PREFIX = "/api/"
UPLOAD_PREFIX = "/upload/"


class Backend(Protocol):
    def api_call(self, method: str, params: dict[str, Any], token: str | None) -> Reply: ...

    def upload(self, file_id: str, body: bytes, content_type: str) -> Reply: ...


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Fan-out benchmarks open many connections at once; the default backlog of 5 stalls them.
    request_queue_size = 256

    def __init__(self, backend: Backend) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.backend = backend


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._route(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._route(self.rfile.read(length) if length > 0 else b"")

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging; calls are recorded by the sandbox instead."""

    def _route(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        content_type = self.headers.get("Content-Type") or ""
        if parts.path.startswith(API_PREFIX):
            self._send(self._api(parts.path[len(API_PREFIX) :], parts.query, body, content_type))
        elif parts.path.startswith(UPLOAD_PREFIX) and self.command == "POST":
            file_id = parts.path[len(UPLOAD_PREFIX) :]
            self._send(self.server.backend.upload(file_id, body, content_type))
        else:
            self._send(text_reply("not found", status=404))

    def _api(self, method: str, query: str, body: bytes, content_type: str) -> Reply:
        try:
            params = parse_params(query, body, content_type)
        except SlackError as error:
            return json_reply(error.body())
        form_token = params.pop("token", None)
        token = bearer_token(self.headers.get("Authorization"))
        if token is None and form_token:
            token = str(form_token)
        return self.server.backend.api_call(method, params, token)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)


class LoopbackServer:
    """Serves a Backend on 127.0.0.1 at a free port from a daemon thread."""

    def __init__(self, backend: Backend) -> None:
        self._server = _Server(backend)
        # serve_forever only notices shutdown() between polls; a short interval keeps stop() fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="slack-sandbox",
            daemon=True,
        )
        self._thread.start()

    @property
    def root_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
