"""A webhook receiver on 127.0.0.1, for apprise's `json://127.0.0.1:PORT/<path>` URLs.

Shared by the benchmarks and the tests (tests/conftest.py makes it the `receiver` fixture):
bench/ must not import tests/, so it lives here.

Paths: `/fail...` answers 500; `/hang...` holds the request until `close()`; every other
path answers 200 and records the JSON payload with its arrival time (wall clock and
monotonic). Every request is counted per path.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Delivery:
    """One recorded POST: its path, JSON payload and when it arrived."""

    path: str
    payload: dict[str, Any]
    at: datetime  # wall clock, UTC
    mono: float  # time.monotonic(), for latencies measured in this process

    @property
    def title(self) -> str:
        return str(self.payload.get("title"))


class Receiver:
    """The receiver, serving from a thread from construction until `close()`."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.hits: dict[str, int] = {}
        self.release = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                mono, at = time.monotonic(), datetime.now(UTC)
                path = self.path.split("?")[0]
                with receiver.lock:
                    receiver.hits[path] = receiver.hits.get(path, 0) + 1
                if path.startswith("/hang"):
                    receiver.release.wait(60)
                    return
                if path.startswith("/fail"):
                    self.send_response(500)
                    self.end_headers()
                    return
                payload = json.loads(data or b"{}")
                with receiver.lock:
                    receiver.deliveries.append(Delivery(path, payload, at, mono))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook", userinfo: str = "") -> str:
        """The apprise URL (`json://`) that posts to `path`."""
        auth = f"{userinfo}@" if userinfo else ""
        return f"json://{auth}127.0.0.1:{self.port}{path}"

    def http_url(self, path: str = "/hook") -> str:
        """The plain HTTP address of `path` (to POST to it without apprise)."""
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def payloads(self) -> list[tuple[str, dict[str, Any]]]:
        """(path, payload) of every recorded delivery, in arrival order."""
        with self.lock:
            return [(d.path, d.payload) for d in self.deliveries]

    @property
    def arrivals(self) -> list[tuple[datetime, str]]:
        """(wall-clock UTC arrival, title) of every recorded delivery."""
        with self.lock:
            return [(d.at, d.title) for d in self.deliveries]

    def titles(self, path: str | None = None) -> list[str]:
        with self.lock:
            return [d.title for d in self.deliveries if path is None or d.path == path]

    def hit_count(self, path: str) -> int:
        with self.lock:
            return self.hits.get(path, 0)

    def close(self) -> None:
        """Let held requests go, stop serving and free the port."""
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
