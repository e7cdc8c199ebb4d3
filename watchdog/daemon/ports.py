"""The ports the daemon talks through. The CLI builds the real adapters; tests pass fakes.

The daemon imports only these Protocols and the core; never an adapter module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from watchdog.core.model import EngineStatus, TickResult


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware UTC wall-clock time (for persisted timestamps and deadlines)."""

    def monotonic(self) -> float:
        """Seconds on a monotonic clock (for in-process pacing)."""


class Scheduler(Protocol):
    """Paces one repeating job (the sweep) by monotonic time. `schedule` is behind it.

    The loop asks `idle_seconds()` how long it may sleep and calls `run_pending()` when it
    wakes; a wall-clock step never makes the job early or late.
    """

    def every(self, seconds: float, job: Callable[[], None]) -> None:
        """Run `job` every `seconds`, the first time `seconds` from now (one job at a time:
        a second call replaces the first). The job must not raise."""

    def run_pending(self) -> None:
        """Run the job if it is due."""

    def idle_seconds(self) -> float | None:
        """Seconds until the job is due (<= 0: due now); None when no job is registered."""

    def clear(self) -> None:
        """Drop the job."""


class StopEvent(Protocol):
    """The loop's stop signal; `threading.Event` is the real one."""

    def is_set(self) -> bool:
        """True once the loop was asked to end."""

    def set(self) -> None:
        """Ask the loop to end (safe from a signal handler or another thread)."""

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep until set or `timeout` seconds pass; True when set."""


class Browser(Protocol):
    """One browser session holding one tab per watched notebook.

    Every method raises only watchdog.errors.BrowserError subclasses.
    """

    def start(self) -> None:
        """Start or attach to the browser. Raises BrowserUnavailable when that cannot be done."""

    def open(self, url: str) -> None:
        """Make sure a tab shows `url` (open it, or adopt an existing tab in attach mode)."""

    def reload(self, url: str) -> None:
        """Reload the notebook's tab (it shows an error page). TabLost when it is gone."""

    def tick(self, url: str, options: dict[str, Any]) -> tuple[EngineStatus, str | None]:
        """Run the js/ engine once in the tab of `url`; return its status and the page title.

        Raises TabLost (reopen), BrowserLost (recreate), PageScriptError (failed tick).
        """

    def recover(self) -> None:
        """Recreate the driver after BrowserLost (kill the orphaned browser by PID first)."""

    def close(self) -> None:
        """Quit in launch mode; in attach mode end only the WebDriver session."""


class Notifier(Protocol):
    def send(self, title: str, body: str) -> None:
        """Deliver one alert on every channel without blocking the tick loop."""


class StateStore(Protocol):
    def load(self) -> dict[str, Any]:
        """The persisted state, or a fresh one (a corrupt file is moved aside with a warning)."""

    def save(self, state: dict[str, Any]) -> None:
        """Write atomically (temp file, fsync, rename), mode 0600."""


class TickListener(Protocol):
    """Observes the daemon loop. The alert monitor and the systemd notifier are listeners.

    A listener that raises is logged by the loop and never stops it. Every listener has
    every method, so the loop calls them directly (a misspelled call fails type checking):
    one that cares about a few events subclasses `Listener`, whose methods do nothing (an
    adapter, which may not import the daemon, defines them all).
    """

    def tick_options(self, url: str) -> Mapping[str, Any]:
        """Engine options for the next tick of `url`, merged over the daemon's (the
        keep-alive policy uses it to release a notebook); {} for none."""

    def on_start(self) -> None:
        """The browser is up and every notebook tab is open."""

    def on_tick(self, result: TickResult) -> None:
        """One notebook was ticked (successfully or not)."""

    def on_browser_lost(self, url: str, failure: str, at: datetime) -> None:
        """Recovery of the browser holding `url` keeps failing."""

    def on_sweep(self, at: datetime) -> None:
        """A full sweep over all notebooks ended."""

    def on_stop(self) -> None:
        """The loop is stopping (signal or --once done)."""


class Listener:
    """A TickListener that ignores every event: subclass it and override what you need."""

    def tick_options(self, url: str) -> Mapping[str, Any]:
        return {}

    def on_start(self) -> None:
        return None

    def on_tick(self, result: TickResult) -> None:
        return None

    def on_browser_lost(self, url: str, failure: str, at: datetime) -> None:
        return None

    def on_sweep(self, at: datetime) -> None:
        return None

    def on_stop(self) -> None:
        return None
