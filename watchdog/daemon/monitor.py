"""The alert monitor: a TickListener that turns ticks into alerts and keeps the state file.

    Monitor(store=..., notifier=..., clock=..., limits=..., interval=...)

on_tick       fold the tick into the notebook's state (watchdog.core.alerts), render each
              event (watchdog.core.alert_text), log it, hand it to the notifier (which only
              queues), and save the state at once so a restart never repeats it
on_browser_lost   one `browser-lost` per notebook until a tick succeeds again
on_sweep      save the state with `daemon: {pid, running: true, updated_at}` (the heartbeat
              `status --check` reads)
on_stop       save with `running: false`, then let queued alerts go out
tick_options  per-notebook engine options for the next tick: `{"activity": False}` for a
              notebook the keep-alive policy released (watchdog.core.work), else {}

State-file failures (StateError) are logged every time and never stop the daemon.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from loguru import logger

from watchdog.core.alert_text import clock_time, render
from watchdog.core.alerts import (
    AlertEvent,
    NotebookState,
    observe_browser_lost,
    observe_tick,
    resume,
)
from watchdog.core.model import TickResult
from watchdog.core.session import Limits, iso
from watchdog.core.status_report import SCHEMA_VERSION
from watchdog.core.work import WorkRules
from watchdog.daemon.ports import Clock, Notifier, StateStore
from watchdog.errors import StateError


class Monitor:
    """Session clock + alerts + state file, as one listener of the daemon loop."""

    def __init__(
        self,
        *,
        store: StateStore,
        notifier: Notifier,
        clock: Clock,
        limits: Limits,
        interval: float,
        started_at: datetime | None = None,
        pid: int | None = None,
        tz: tzinfo = UTC,
        close_notifier: Callable[[], None] | None = None,
        watched: Sequence[str] = (),
        rules: WorkRules | None = None,
    ) -> None:
        """`started_at` is the user's `--started-at`/`--elapsed` start for the runtime(s)
        already running when the daemon starts; it applies to each notebook's first session
        only, and a persisted live session wins over it. `tz` is the zone of the readable
        deadline in alert bodies. `watched` are the notebooks this daemon ticks: `status
        --check` fails when one of them had no good tick within 3 intervals."""
        self._store = store
        self._notifier = notifier
        self._clock = clock
        self._limits = limits
        self._interval = interval
        self._hint = started_at
        self._hint_done: set[str] = set()
        self._pid = os.getpid() if pid is None else pid
        self._tz = tz
        self._close_notifier = close_notifier
        self._rules = rules or WorkRules()
        self._lock = threading.RLock()
        self._notebooks: dict[str, NotebookState] | None = None
        self._running = False
        self._updated_at: datetime | None = None
        self._watched = list(watched)
        self._started_at: datetime | None = None

    # -- TickListener -------------------------------------------------------------------------

    def on_start(self) -> None:
        with self._lock:
            self._load()
            self._running = True
            self._started_at = self._clock.now()
            self._save()

    def on_tick(self, result: TickResult) -> None:
        with self._lock:
            notebooks = self._load()
            nb = notebooks.get(result.url) or NotebookState(url=result.url)
            hint = None if result.url in self._hint_done else self._hint
            was_released = result.url in notebooks and notebooks[result.url].work.released
            nb, events = observe_tick(
                nb, result, self._limits, hint, interval=self._interval, rules=self._rules
            )
            notebooks[result.url] = nb
            if was_released and not nb.work.released and nb.work.busy:
                logger.info("{}: a cell runs again: holding the notebook", result.url)
            status = result.status
            if status is not None and status.state in ("connected", "disconnected"):
                self._hint_done.add(result.url)  # the hint described this first runtime only
            self._deliver(events)

    def on_browser_lost(self, url: str, failure: str, at: datetime) -> None:
        with self._lock:
            notebooks = self._load()
            nb = notebooks.get(url) or NotebookState(url=url)
            nb, events = observe_browser_lost(nb, failure, at, self._limits)
            notebooks[url] = nb
            self._deliver(events)

    def on_sweep(self, at: datetime) -> None:
        with self._lock:
            self._load()
            self._running = True
            self._save(at)

    def on_stop(self) -> None:
        with self._lock:
            self._load()
            self._running = False
            self._save()
        if self._close_notifier is not None:
            self._close_notifier()

    def tick_options(self, url: str) -> dict[str, Any]:
        """Engine options for `url`'s next tick: a released notebook gets no activity."""
        with self._lock:
            nb = self._load().get(url)
        return {"activity": False} if nb is not None and nb.work.released else {}

    # -- internals ------------------------------------------------------------------------------

    def _deliver(self, events: list[AlertEvent]) -> None:
        if not events:
            return
        self._save()  # recorded before sending: a crash now loses an alert, never repeats one
        for event in events:
            title, body = render(event, self._tz)
            # One short line (the body, with the URL and what to do, goes to the channels).
            deadline = (
                "" if event.deadline is None else f"; ends {clock_time(event.deadline, self._tz)}"
            )
            logger.bind(alert=event.kind, notebook=event.url).warning("ALERT {}{}", title, deadline)
            try:
                self._notifier.send(title, body)
            except Exception:
                logger.exception("handing the alert to the notifier failed: {}", title)

    def _load(self) -> dict[str, NotebookState]:
        if self._notebooks is not None:
            return self._notebooks
        now = self._clock.now()
        try:
            raw = self._store.load()
        except StateError as exc:
            logger.error("{}; starting from an empty state", exc)
            raw = {}
        notebooks: dict[str, NotebookState] = {}
        for url, record in (raw.get("notebooks") or {}).items():
            try:
                notebooks[url] = resume(NotebookState.from_json(record), now, self._limits)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                logger.warning("state file: dropping the unreadable record of {} ({})", url, exc)
        self._notebooks = notebooks
        return notebooks

    def _state(self) -> dict[str, Any]:
        notebooks = self._load()
        return {
            "schema_version": SCHEMA_VERSION,
            "daemon": {
                "pid": self._pid,
                "running": self._running,
                "updated_at": None if self._updated_at is None else iso(self._updated_at),
                "interval_s": self._interval,
                "started_at": None if self._started_at is None else iso(self._started_at),
                "watched": self._watched,
            },
            "settings": {  # the interval is daemon.interval_s (the heartbeat's pace)
                "idle_timeout_s": self._limits.idle_timeout,
                "max_lifetime_s": self._limits.max_lifetime,
                "warn_before_s": list(self._limits.warn_before),
                "keep_alive": self._rules.keep_alive,
                "idle_grace_s": self._rules.idle_grace,
            },
            "notebooks": {url: nb.to_json(self._limits) for url, nb in notebooks.items()},
        }

    def _save(self, at: datetime | None = None) -> None:
        self._updated_at = at or self._clock.now()
        try:
            self._store.save(self._state())
        except StateError as exc:
            logger.error("{}; the daemon keeps running without saving", exc)
