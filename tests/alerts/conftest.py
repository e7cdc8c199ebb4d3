"""Fixtures for the clock/alert tests: a hand-advanced clock and tick builders."""

from __future__ import annotations

import json as _json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from watchdog.core.model import EngineStatus, TickResult

URL = "https://colab.research.google.com/drive/1abc"
T0 = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


class FakeClock:
    """A Clock (ports.Clock) that moves only when a test calls `advance` or `set`."""

    def __init__(self, start: datetime = T0) -> None:
        self._now = start
        self._mono = 1000.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> datetime:
        self._now += timedelta(seconds=seconds)
        self._mono += max(0.0, seconds)
        return self._now

    def set(self, at: datetime) -> None:
        self._now = at


def status(**overrides: Any) -> EngineStatus:
    raw: dict[str, Any] = {
        "state": "connected",
        "busy": False,
        "acted": "activity",
        "dialog": None,
        "captcha": False,
        "probe": "test",
        "remaining_estimate_s": None,
        "error": None,
    }
    raw.update(overrides)
    return EngineStatus.from_json(raw)


def tick(
    at: datetime, url: str = URL, title: str | None = "My training", **overrides: Any
) -> TickResult:
    return TickResult(url=url, at=at, status=status(**overrides), title=title)


def failed_tick(at: datetime, url: str = URL, failure: str = "tab lost") -> TickResult:
    return TickResult(url=url, at=at, status=None, failure=failure, title=None)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# ---------------------------------------------------------------- a real local HTTP receiver


class Receiver:
    """A webhook receiver on 127.0.0.1 for `json://127.0.0.1:PORT/<path>` alert URLs.

    Paths: `/ok...` answers 200 and records the JSON payload; `/fail...` answers 500;
    `/hang...` holds the request until the fixture ends. Every request is counted per path.
    """

    def __init__(self) -> None:
        self.payloads: list[tuple[str, dict[str, Any]]] = []
        self.arrivals: list[tuple[datetime, str]] = []  # (wall-clock UTC, title) per delivery
        self.hits: dict[str, int] = {}
        self.release = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
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
                payload = _json.loads(data or b"{}")
                with receiver.lock:
                    receiver.payloads.append((path, payload))
                    receiver.arrivals.append((datetime.now(UTC), str(payload.get("title"))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str, userinfo: str = "") -> str:
        auth = f"{userinfo}@" if userinfo else ""
        return f"json://{auth}127.0.0.1:{self.port}{path}"

    def titles(self, path: str | None = None) -> list[str]:
        with self.lock:
            return [p["title"] for where, p in self.payloads if path is None or where == path]

    def hit_count(self, path: str) -> int:
        with self.lock:
            return self.hits.get(path, 0)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    rec.thread.start()
    try:
        yield rec
    finally:
        rec.release.set()
        rec.server.shutdown()
        rec.server.server_close()


@pytest.fixture
def refused_port() -> int:
    """A loopback port with nothing listening (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    """Every loguru line written while the test runs (formatted with extras)."""
    from loguru import logger

    lines: list[str] = []
    sink_id = logger.add(lambda m: lines.append(str(m)), level="DEBUG", format="{level} {message}")
    try:
        yield lines
    finally:
        logger.remove(sink_id)


def poll(predicate: Any, timeout: float = 20.0, interval: float = 0.05) -> bool:
    """Wait until `predicate()` is true (True) or `timeout` passes (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
