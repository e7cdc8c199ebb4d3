"""Fakes for the daemon's ports: FakeBrowser, RecordingListener (the clock: tests.fakes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from watchdog.core.model import EngineStatus, TickResult
from watchdog.daemon.ports import Listener
from watchdog.errors import BrowserLost, BrowserUnavailable

CONNECTED = EngineStatus(
    state="connected",
    busy=False,
    acted="activity",
    dialog=None,
    captcha=False,
    probe="fake",
    remaining_estimate_s=None,
    error=None,
)


class FakeBrowser:
    """Scripted Browser: `faults[url]` is a callable raising on tick, `dead` fails everything."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.faults: dict[str, Callable[[], None]] = {}
        self.dead = False
        self.unavailable = False
        self.recover_fails = 0  # recover() raises this many more times
        self.tabs: set[str] = set()
        self.states: dict[str, EngineStatus] = {}  # what tick() reports (default CONNECTED)
        self.options: list[tuple[str, dict[str, Any]]] = []  # (url, options) of each tick

    def start(self) -> None:
        self.calls.append(("start", ""))
        if self.unavailable:
            raise BrowserUnavailable("no chromedriver found")
        if self.dead:
            raise BrowserLost("browser gone")

    def open(self, url: str) -> None:
        self.calls.append(("open", url))
        if self.dead:
            raise BrowserLost("browser gone")
        self.tabs.add(url)

    def reload(self, url: str) -> None:
        self.calls.append(("reload", url))
        if self.dead:
            raise BrowserLost("browser gone")

    def tick(self, url: str, options: dict[str, Any]) -> tuple[EngineStatus, str | None]:
        self.calls.append(("tick", url))
        self.options.append((url, dict(options)))
        if self.dead:
            raise BrowserLost("browser gone")
        fault = self.faults.get(url)
        if fault is not None:
            fault()
        return self.states.get(url, CONNECTED), f"title of {url}"

    def recover(self) -> None:
        self.calls.append(("recover", ""))
        if self.recover_fails > 0:
            self.recover_fails -= 1
            raise BrowserLost("still gone")
        self.dead = False

    def close(self) -> None:
        self.calls.append(("close", ""))

    def count(self, kind: str, url: str = "") -> int:
        return sum(1 for k, u in self.calls if k == kind and (not url or u == url))


class RecordingListener(Listener):
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    @property
    def ticks(self) -> list[TickResult]:
        return [arg for name, arg in self.events if name == "tick"]

    def on_start(self) -> None:
        self.events.append(("start", None))

    def on_tick(self, result: TickResult) -> None:
        self.events.append(("tick", result))

    def on_browser_lost(self, url: str, failure: str, at: datetime) -> None:
        self.events.append(("lost", (url, failure, at)))

    def on_sweep(self, at: datetime) -> None:
        self.events.append(("sweep", at))

    def on_stop(self) -> None:
        self.events.append(("stop", None))

    def names(self) -> list[str]:
        return [name for name, _ in self.events]
