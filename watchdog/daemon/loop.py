"""The daemon loop: every interval, tick every notebook in every browser session.

Composed of ports only (Browser, Clock, TickListener) plus a stop Event; the CLI builds the
real ones. One private `schedule.Scheduler` paces the sweeps; the loop sleeps on the stop
Event at most 1 s at a time, so SIGTERM ends it at once. `schedule` works in naive wall-clock
time, so the monotonic clock is the truth: when the wall clock steps (NTP, VM restore) and
the job's next run no longer matches "last sweep + interval" by monotonic time, the job is
moved back in line (one warning per step). A step back would otherwise stop every sweep until
the wall clock catches up; a step forward would sweep early (schedule never replays runs).

Failure handling (one `try` per notebook per tick, see watchdog.errors):
    TabLost          reopen the tab and retry once; if that fails, back off that notebook only
    PageUnreachable  (a TabLost: the page did not load, server down) back off that notebook
                     only and reopen it then; the browser is fine, so no `on_browser_lost`
    SignedOut        (a TabLost: the tab landed on a sign-in page) back off that notebook
                     only; reopened then, never at once (signing in needs a person)
    PageHung         (a TabLost: the page missed the tick's deadline, a script in a loop)
                     back off that notebook only; its tab is replaced then, never at once,
                     so a hung page costs the others at most one deadline per sweep
    PageScriptError  a failed tick; back off that notebook only
    BrowserLost      recreate that session's browser now, then with backoff; after
                     `lost_after` failed attempts tell listeners `on_browser_lost` (once)
    anything else    logged with its traceback; back off that notebook only
Backoff is interval * 2^(n-1), capped (watchdog.core.backoff), so one poisoned notebook neither
crash-loops nor delays the others.

A tab stuck on a page that is not the notebook (an HTTP 500 error page, a half-loaded page:
the engine reports state "unknown") is reloaded after `reload_after` such ticks in a row, then
again with backoff (reload_after * interval * 2^(n-1), capped), so a page that stays broken is
reloaded ever more rarely, never in a loop. Reloading a Colab tab does not end its runtime.

Each notebook has an activity rung (watchdog.core.activity), passed to the browser as
`options["activity_level"]`. An idle-timeout disconnect right after a connected tick proves
the activity did not count: that notebook steps up one rung (logged with the input used).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import schedule
from loguru import logger

from watchdog.core.activity import idle_disconnect, rung_name, step_up
from watchdog.core.backoff import DEFAULT_CAP, is_due, next_attempt
from watchdog.core.model import EngineStatus, TickResult
from watchdog.daemon.ports import Browser, Clock, TickListener
from watchdog.errors import (
    BrowserError,
    BrowserLost,
    BrowserUnavailable,
    PageHung,
    PageUnreachable,
    SignedOut,
    TabLost,
)


@dataclass
class _Notebook:
    url: str
    failures: int = 0
    due: float = 0.0  # monotonic time of the next attempt
    needs_open: bool = True
    unknown: int = 0  # ticks in a row (since the last reload) that saw no notebook
    reloads: int = 0  # reloads since the page was last recognised
    reload_due: float = 0.0  # monotonic time before which no further reload happens
    needs_reload: bool = False
    activity_level: int = 0  # rung of activity input (watchdog.core.activity)
    connected: bool = False  # the last tick succeeded and read "connected"
    connected_since: float | None = None  # monotonic time it was first seen so, in a row
    released: bool = False  # its last tick had no activity (the keep-alive policy let it go)


@dataclass
class _Session:
    label: str
    browser: Browser
    notebooks: list[_Notebook]
    up: bool = False
    started: bool = False  # start() succeeded once: later revivals use recover()
    failures: int = 0  # browser losses and failed revivals since the last good tick
    due: float = 0.0
    lost_reported: bool = False
    last_failure: str = ""
    lost_at: float | None = None


RELOAD_AFTER = 3


@dataclass
class DaemonConfig:
    interval: float
    options: Mapping[str, Any] = field(default_factory=dict)
    max_backoff: float = DEFAULT_CAP
    lost_after: int = 3  # failed recoveries before on_browser_lost
    reload_after: int = RELOAD_AFTER  # state=unknown ticks in a row before the tab is reloaded
    idle_timeout: float = 0.0  # Colab's idle timeout (0: unknown), for the activity evidence


# How far schedule's idea of the next sweep may drift from the monotonic one before the job
# is moved back in line: at least 1 s, or half an interval.
CLOCK_STEP_MIN_S = 1.0


class Daemon:
    """Keeps notebooks alive. `sessions` pairs each Browser with the notebooks it holds."""

    def __init__(
        self,
        sessions: Sequence[tuple[Browser, Sequence[str]]],
        config: DaemonConfig,
        *,
        clock: Clock,
        listeners: Sequence[TickListener] = (),
        stop_event: threading.Event | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.listeners = list(listeners)
        self._once = False  # run_once(): there is no next try to announce
        self.stop_event = stop_event or threading.Event()
        self._sessions = [
            _Session(f"session {i + 1}", browser, [_Notebook(u) for u in urls])
            for i, (browser, urls) in enumerate(sessions)
        ]
        self._scheduler = schedule.Scheduler()
        self._job: schedule.Job | None = None
        self._last_sweep = 0.0  # monotonic time the last paced sweep ended
        self.sweeps = 0

    @property
    def urls(self) -> list[str]:
        return [nb.url for s in self._sessions for nb in s.notebooks]

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start every browser and open every notebook.

        BrowserUnavailable (no driver, profile in use) propagates after closing what started:
        that is a setup problem to report at once. Other failures are retried by the loop.
        """
        for session in self._sessions:
            if self.stop_event.is_set():
                break
            try:
                self._revive(session, first=True)
            except BrowserUnavailable:
                if self.stop_event.is_set():  # stopping: its browser was ended under it
                    break
                self._close_browsers()
                raise
        self._emit("on_start")

    def run(self) -> None:
        """Start, sweep now and then every interval until the stop event is set, then close."""
        self.start()
        try:
            self._paced_sweep()
            self._schedule_sweeps()
            while not self.stop_event.is_set():
                self._realign_schedule()
                self._scheduler.run_pending()
                idle = self._scheduler.idle_seconds
                wait = 1.0 if idle is None else min(max(idle, 0.0), 1.0)
                self.stop_event.wait(max(wait, 0.01))
        finally:
            self.close()

    def run_once(self) -> list[TickResult]:
        """Start, tick every notebook once, close; returns one result per notebook."""
        self._once = True
        self.start()
        try:
            results = {r.url: r for r in self.sweep()}
            for session in self._sessions:  # a session that could not start ticked nothing
                for nb in session.notebooks:
                    if nb.url not in results:
                        failure = session.last_failure or "not ticked"
                        results[nb.url] = self._failed(nb.url, failure)
            return [results[url] for url in self.urls]
        finally:
            self.close()

    def stop(self) -> None:
        """Ask the loop to end (safe from a signal handler or another thread)."""
        self.stop_event.set()

    def close(self) -> None:
        """Tell listeners we stop, then close every browser (launch: quit; attach: detach)."""
        self._scheduler.clear()
        self._job = None
        self._emit("on_stop")
        self._close_browsers()

    def _close_browsers(self) -> None:
        for session in self._sessions:
            try:
                session.browser.close()
            except Exception:
                logger.exception("{}: closing the browser failed", session.label)
            session.up = False

    # -- pacing ------------------------------------------------------------------------------

    def _schedule_sweeps(self) -> None:
        """Register the one sweep job: every interval from now."""
        # schedule's hints say int, but it builds a timedelta: fractional seconds work.
        every = self._scheduler.every(self.config.interval)  # type: ignore[arg-type]
        self._job = every.seconds.do(self._paced_sweep)

    def _paced_sweep(self) -> None:
        self._guarded_sweep()
        self._last_sweep = self.clock.monotonic()

    def _realign_schedule(self) -> bool:
        """Move the sweep job back in line with monotonic time after a wall-clock step.

        Returns True when the job was moved (the wall clock stepped by more than the margin).
        """
        job, idle = self._job, self._scheduler.idle_seconds
        if job is None or job.next_run is None or idle is None:
            return False
        interval = self.config.interval
        remaining = max(self._last_sweep + interval - self.clock.monotonic(), 0.0)
        drift = idle - remaining  # > 0: the wall clock stepped back; < 0: forward
        if abs(drift) <= max(CLOCK_STEP_MIN_S, interval / 2):
            return False
        job.next_run -= dt.timedelta(seconds=drift)
        logger.warning(
            "the wall clock stepped {} by {:.0f}s; next sweep in {:.1f}s (monotonic pacing)",
            "back" if drift > 0 else "forward",
            abs(drift),
            remaining,
        )
        return True

    # -- one sweep ---------------------------------------------------------------------------

    def _guarded_sweep(self) -> None:
        # A schedule job that raises is re-run on every run_pending(): never let one escape.
        try:
            self.sweep()
        except Exception:
            logger.exception("sweep failed")

    def sweep(self) -> list[TickResult]:
        """Tick every notebook that is due, in every session; returns the results produced."""
        results: list[TickResult] = []
        for session in self._sessions:
            if self.stop_event.is_set():
                break
            results.extend(self._sweep_session(session))
        self.sweeps += 1
        self._emit("on_sweep", self.clock.now())
        return results

    def _sweep_session(self, session: _Session) -> list[TickResult]:
        slack = self.config.interval / 2
        if not session.up:
            if not is_due(self.clock.monotonic(), session.due, slack=slack):
                return []
            if not self._revive(session):
                return [self._failed(nb.url, session.last_failure) for nb in session.notebooks]
        results = []
        revived = False
        for nb in session.notebooks:
            if self.stop_event.is_set() or not session.up:
                break
            if not is_due(self.clock.monotonic(), nb.due, slack=slack):
                continue
            results.append(self._tick(session, nb))
            if session.up or revived or session.failures > 1:
                continue
            # The browser just died (first failure since a good tick): one immediate recovery
            # attempt, then this notebook is ticked again and the others follow in this sweep.
            # Later failures wait for their backoff, so a browser that keeps dying cannot
            # cause a recovery loop.
            revived = True
            if not self._revive(session):
                break
            results.append(self._tick(session, nb))
        return results

    def _tick(self, session: _Session, nb: _Notebook) -> TickResult:
        """One try around one notebook's tick; never raises."""
        failure: str | None = None
        status: EngineStatus | None = None
        title: str | None = None
        landed: str | None = None
        signed_out = False
        try:
            status, title = self._open_and_tick(session.browser, nb)
        except BrowserLost as exc:
            failure = f"browser lost: {exc}"
            session.up = False
            nb.needs_open = True
            self._session_failed(session, failure)
        except PageUnreachable as exc:
            nb.needs_open = True
            failure = f"page unreachable: {exc}"
        except SignedOut as exc:
            nb.needs_open = True
            failure, landed, signed_out = f"signed out: {exc}", exc.landed, True
        except PageHung as exc:
            nb.needs_open = True
            failure = f"page hung: {exc}"
        except TabLost as exc:
            nb.needs_open = True
            failure, landed = f"tab lost: {exc}", exc.landed
        except BrowserError as exc:
            failure = f"{type(exc).__name__}: {exc}"
        except Exception as exc:
            logger.exception("tick of {} failed unexpectedly", nb.url)
            failure = f"unexpected {type(exc).__name__}: {exc}"
        if status is not None:
            self._watch_activity(nb, status)
        else:
            nb.connected, nb.connected_since = False, None
        result = TickResult(
            nb.url,
            self.clock.now(),
            status,
            failure,
            title,
            landed,
            signed_out,
            activity_level=nb.activity_level,
        )
        if failure is None:
            nb.failures = 0
            nb.due = 0.0
            self._session_ok(session)
            _log_tick(result)
            assert status is not None
            self._watch_page(nb, status)
        elif session.up:
            nb.failures += 1
            nb.due = next_attempt(
                self.clock.monotonic(),
                nb.failures,
                base=self.config.interval,
                cap=self.config.max_backoff,
            )
            logger.warning(
                "tick {} failed ({} in a row{}): {}",
                nb.url,
                nb.failures,
                self._next_try("next try", nb.due - self.clock.monotonic()),
                failure,
            )
        else:
            logger.warning("tick {} failed: {}", nb.url, failure)
        self._emit("on_tick", result)
        return result

    def _open_and_tick(self, browser: Browser, nb: _Notebook) -> tuple[EngineStatus, str | None]:
        for attempt in (1, 2):
            try:
                if nb.needs_open:
                    browser.open(nb.url)
                    nb.needs_open = False
                if nb.needs_reload:
                    nb.needs_reload = False
                    browser.reload(nb.url)
                options = {**self._options_for(nb.url), "activity_level": nb.activity_level}
                nb.released = options.get("activity") is False
                return browser.tick(nb.url, options)
            except TabLost as exc:
                nb.needs_open = True
                if attempt == 2 or isinstance(exc, PageUnreachable | SignedOut | PageHung):
                    raise  # an unreachable page is retried with backoff, not at once
                logger.info("reopening {}: {}", nb.url, exc)
        raise AssertionError("unreachable")  # pragma: no cover

    def _watch_activity(self, nb: _Notebook, status: EngineStatus) -> None:
        """Step the notebook's activity up a rung after an idle-timeout disconnect."""
        now = self.clock.monotonic()
        since = None if nb.connected_since is None else now - nb.connected_since
        # A released notebook (keep-alive policy) idles out on purpose: no step up.
        if not nb.released and idle_disconnect(
            nb.connected, status, connected_for=since, idle_timeout=self.config.idle_timeout
        ):
            before = nb.activity_level
            nb.activity_level = step_up(before)
            logger.warning(
                "{}: disconnected for inactivity although ticks succeeded: the activity did "
                "not count (input: {}); activity {} -> {}",
                nb.url,
                status.input or "unknown",
                rung_name(before),
                rung_name(nb.activity_level),
            )
        nb.connected = status.state == "connected" and status.error is None
        if not nb.connected:
            nb.connected_since = None
        elif nb.connected_since is None:
            nb.connected_since = now

    def _options_for(self, url: str) -> dict[str, Any]:
        """The engine options, with any listener's per-notebook advice (`tick_options(url)`,
        e.g. the keep-alive policy's `{"activity": False}`) on top."""
        options = dict(self.config.options)
        for listener in self.listeners:
            advise: Callable[[str], Mapping[str, Any]] | None = getattr(
                listener, "tick_options", None
            )
            if advise is None:
                continue
            try:
                options.update(advise(url))
            except Exception:
                logger.exception("listener {} failed in tick_options", type(listener).__name__)
        return options

    def _watch_page(self, nb: _Notebook, status: EngineStatus) -> None:
        """Count ticks that found no notebook; ask for a reload (with backoff) when stuck."""
        now = self.clock.monotonic()
        if status.state != "unknown":
            if nb.reloads:
                logger.info("{}: the notebook page is back after {} reload(s)", nb.url, nb.reloads)
            nb.unknown, nb.reloads, nb.reload_due, nb.needs_reload = 0, 0, 0.0, False
            return
        nb.unknown += 1
        if nb.unknown < max(self.config.reload_after, 1) or now < nb.reload_due:
            return
        nb.reloads += 1
        nb.unknown = 0
        nb.needs_reload = True
        nb.reload_due = next_attempt(
            now,
            nb.reloads,
            base=self.config.interval * max(self.config.reload_after, 1),
            cap=self.config.max_backoff,
        )
        logger.warning(
            "{}: no notebook found on the page for {}+ ticks (error page?): reloading it at the "
            "next tick (reload {}, the next one no sooner than in {:.0f}s)",
            nb.url,
            self.config.reload_after,
            nb.reloads,
            nb.reload_due - now,
        )

    def _revive(self, session: _Session, *, first: bool = False) -> bool:
        """Start (first time) or recover the session's browser and reopen its notebooks.

        Returns False (and schedules the next attempt with backoff) when that fails.
        With `first`, BrowserUnavailable propagates. Never while stopping (False).
        """
        if self.stop_event.is_set():
            return False
        try:
            if session.started:
                session.browser.recover()
            else:
                session.browser.start()
        except BrowserUnavailable as exc:
            if first:
                raise
            self._session_failed(session, f"browser unavailable: {exc}")
            return False
        except Exception as exc:
            self._session_failed(session, f"{type(exc).__name__}: {exc}")
            return False
        session.up, session.started = True, True
        for nb in session.notebooks:
            nb.needs_open = True
            if self.stop_event.is_set():  # stopping: open no more tabs
                continue
            try:
                session.browser.open(nb.url)
                nb.needs_open = False
            except BrowserLost as exc:
                session.up = False
                self._session_failed(session, f"browser lost: {exc}")
                return False
            except Exception as exc:
                # Retried by the notebook's next tick (needs_open stays set).
                logger.warning("opening {} failed: {}", nb.url, exc)
        return True

    def _session_ok(self, session: _Session) -> None:
        """A good tick: the session's failure episode (if any) is over."""
        if session.lost_at is not None:
            logger.info(
                "{}: browser recovered after {:.1f}s",
                session.label,
                self.clock.monotonic() - session.lost_at,
            )
        session.failures, session.lost_reported, session.lost_at = 0, False, None

    def _session_failed(self, session: _Session, failure: str) -> None:
        """The browser died or could not be revived: back off; report a lasting loss once."""
        now = self.clock.monotonic()
        session.failures += 1
        session.last_failure = failure
        if session.lost_at is None:
            session.lost_at = now
        session.due = next_attempt(
            now, session.failures, base=self.config.interval, cap=self.config.max_backoff
        )
        logger.warning(
            "{}: browser lost ({} failure(s) in a row{}): {}",
            session.label,
            session.failures,
            self._next_try("next recovery", session.due - now),
            failure,
        )
        if session.failures >= self.config.lost_after and not session.lost_reported:
            session.lost_reported = True
            at = self.clock.now()
            for nb in session.notebooks:
                self._emit("on_browser_lost", nb.url, failure, at)

    def _next_try(self, what: str, seconds: float) -> str:
        """ ", next try in 60s" for a log line; nothing under run_once (there is none)."""
        return "" if self._once else f", {what} in {seconds:.0f}s"

    def _failed(self, url: str, failure: str) -> TickResult:
        result = TickResult(url, self.clock.now(), None, failure, None)
        self._emit("on_tick", result)
        return result

    # -- listeners ---------------------------------------------------------------------------

    def _emit(self, event: str, *args: Any) -> None:
        for listener in self.listeners:
            method: Callable[..., None] | None = getattr(listener, event, None)
            if method is None:
                continue
            try:
                method(*args)
            except Exception:
                logger.exception("listener {} failed in {}", type(listener).__name__, event)


def _log_tick(result: TickResult) -> None:
    status = result.status
    assert status is not None
    dialog = f"{status.dialog.kind}/{status.dialog.action}" if status.dialog else "-"
    logger.info(
        "tick {} state={} acted={} dialog={} captcha={} busy={} probe={}{}{}{}",
        result.url,
        status.state,
        status.acted,
        dialog,
        "yes" if status.captcha else "no",
        {True: "yes", False: "no", None: "?"}[status.busy],
        status.probe or "-",
        f" title={result.title!r}" if result.title else "",
        f" error={status.error!r}" if status.error else "",
        f" input={status.input!r}" if status.input else "",
    )
