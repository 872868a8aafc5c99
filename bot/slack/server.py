"""Serving the app with uvicorn in a background thread, for the demo and the tests."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette


@dataclass
class BackgroundServer:
    server: uvicorn.Server
    thread: threading.Thread
    base_url: str

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_in_background(web: Starlette, *, port: int | None = None) -> BackgroundServer:
    """Start uvicorn on loopback and return once it accepts connections."""
    port = port or free_port()
    config = uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="auditready-http", daemon=True)
    thread.start()
    started = threading.Event()
    while not started.wait(0.02):
        if server.started:
            started.set()
        elif not thread.is_alive():
            raise RuntimeError(f"the HTTP server could not start on 127.0.0.1:{port}")
    return BackgroundServer(server, thread, f"http://127.0.0.1:{port}")
