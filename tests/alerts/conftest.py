"""Fixtures for the clock/alert tests: a hand-advanced clock and tick builders."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from tests.fakes import FakeClock
from watchdog.core.model import EngineStatus, TickResult

URL = "https://colab.research.google.com/drive/1abc"


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
