"""The daemon loop: every interval, tick every notebook in every browser session.

Composed of ports only (Browser, Clock, Scheduler, StopEvent, TickListener); the CLI builds
the real ones. The Scheduler paces the sweeps by monotonic time (`schedule` is behind it, in
watchdog.adapters.scheduler); the loop sleeps on the stop event at most 1 s at a time, so
SIGTERM ends it at once. The loop reads time only through the injected Clock, and every
decision about when (backoff, recovery, reloads, sleeping) is a pure function of
watchdog.daemon.policy: this module only sequences the calls.

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
Backoff is interval * 2^(n-1), capped (watchdog.core.backoff), so one poisoned notebook
neither crash-loops nor delays the others.

A tab stuck on a page that is not the notebook (an HTTP 500 error page, a half-loaded page:
the engine reports state "unknown") is reloaded after `reload_after` such ticks in a row, then
again with backoff (reload_after * interval * 2^(n-1), capped), so a page that stays broken is
reloaded ever more rarely, never in a loop. Reloading a Colab tab does not end its runtime.

Each notebook has an activity rung (watchdog.core.activity), passed to the browser as
`options["activity_level"]`. An idle-timeout disconnect right after a connected tick proves
the activity did not count: that notebook steps up one rung (logged with the input used).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from loguru import logger

from watchdog.core.activity import idle_disconnect, rung_name, step_up
from watchdog.core.backoff import DEFAULT_CAP, is_due
from watchdog.core.model import EngineStatus, TickResult
from watchdog.daemon import policy
from watchdog.daemon.policy import RELOAD_AFTER, Backoff, Pacing, PageWatch, SessionHealth
from watchdog.daemon.ports import Browser, Clock, Scheduler, StopEvent, TickListener
from watchdog.errors import BrowserLost, BrowserUnavailable, TabLost


@dataclass
class _Notebook:
    url: str
    backoff: Backoff = field(default_factory=Backoff)
    needs_open: bool = True
    page: PageWatch = field(default_factory=PageWatch)
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
    health: SessionHealth = field(default_factory=SessionHealth)
    last_failure: str = ""


@dataclass
class DaemonConfig:
    interval: float
    options: Mapping[str, Any] = field(default_factory=dict)
    max_backoff: float = DEFAULT_CAP
    lost_after: int = 3  # failed recoveries before on_browser_lost
    reload_after: int = RELOAD_AFTER  # state=unknown ticks in a row before the tab is reloaded
    idle_timeout: float = 0.0  # Colab's idle timeout (0: unknown), for the activity evidence

    @property
    def pacing(self) -> Pacing:
        return Pacing(self.interval, self.max_backoff, self.lost_after, self.reload_after)


class Daemon:
    """Keeps notebooks alive. `sessions` pairs each Browser with the notebooks it holds.

    `scheduler` paces `run()`'s sweeps; `start`, `sweep` and `run_once` do not need one.
    """

    def __init__(
        self,
        sessions: Sequence[tuple[Browser, Sequence[str]]],
        config: DaemonConfig,
        *,
        clock: Clock,
        scheduler: Scheduler | None = None,
        listeners: Sequence[TickListener] = (),
        stop_event: StopEvent | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.scheduler = scheduler
        self.listeners = list(listeners)
        self._once = False  # run_once(): there is no next try to announce
        self.stop_event: StopEvent = stop_event or threading.Event()
        self._sessions = [
            _Session(f"session {i + 1}", browser, [_Notebook(u) for u in urls])
            for i, (browser, urls) in enumerate(sessions)
        ]
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
        self._emit("on_start", lambda listener: listener.on_start())

    def run(self) -> None:
        """Start, sweep now and then every interval until the stop event is set, then close.

        Needs a scheduler (ValueError without one, before anything starts).
        """
        scheduler = self.scheduler
        if scheduler is None:
            raise ValueError("Daemon.run() needs a scheduler (see watchdog.cli.compose)")
        self.start()
        try:
            self._guarded_sweep()
            scheduler.every(self.config.interval, self._guarded_sweep)
            while not self.stop_event.is_set():
                scheduler.run_pending()
                self.stop_event.wait(policy.poll_wait(scheduler.idle_seconds()))
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
        if self.scheduler is not None:
            self.scheduler.clear()
        self._emit("on_stop", lambda listener: listener.on_stop())
        self._close_browsers()

    def _close_browsers(self) -> None:
        for session in self._sessions:
            try:
                session.browser.close()
            except Exception:
                logger.exception("{}: closing the browser failed", session.label)
            session.up = False

    # -- one sweep ---------------------------------------------------------------------------

    def _guarded_sweep(self) -> None:
        # A scheduled job must not raise (schedule re-runs one that does on every poll).
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
        at = self.clock.now()
        self._emit("on_sweep", lambda listener: listener.on_sweep(at))
        return results

    def _sweep_session(self, session: _Session) -> list[TickResult]:
        slack = self.config.interval / 2
        if not session.up:
            if not is_due(self.clock.monotonic(), session.health.due, slack=slack):
                return []
            if not self._revive(session):
                return [self._failed(nb.url, session.last_failure) for nb in session.notebooks]
        results = []
        revived = False
        for nb in session.notebooks:
            if self.stop_event.is_set() or not session.up:
                break
            if not is_due(self.clock.monotonic(), nb.backoff.due, slack=slack):
                continue
            results.append(self._tick(session, nb))
            if not policy.revive_at_once(session.up, revived, session.health.failures):
                continue
            # The browser just died: one immediate recovery attempt, then this notebook is
            # ticked again and the others follow in this sweep.
            revived = True
            if not self._revive(session):
                break
            results.append(self._tick(session, nb))
        return results

    def _tick(self, session: _Session, nb: _Notebook) -> TickResult:
        """One try around one notebook's tick; never raises."""
        failure: policy.TickFailure | None = None
        status: EngineStatus | None = None
        title: str | None = None
        try:
            status, title = self._open_and_tick(session.browser, nb)
        except Exception as exc:
            failure = policy.classify(exc)
            if failure.unexpected:
                logger.exception("tick of {} failed unexpectedly", nb.url)
            nb.needs_open = nb.needs_open or failure.reopen
            if failure.browser_lost:
                session.up = False
                self._session_failed(session, failure.text)
        if status is not None:
            self._watch_activity(nb, status)
        else:
            nb.connected, nb.connected_since = False, None
        result = TickResult(
            nb.url,
            self.clock.now(),
            status,
            None if failure is None else failure.text,
            title,
            None if failure is None else failure.landed,
            failure is not None and failure.signed_out,
            activity_level=nb.activity_level,
        )
        now = self.clock.monotonic()
        if failure is None:
            nb.backoff = policy.after_tick(nb.backoff, True, now, self.config.pacing)
            self._session_ok(session)
            _log_tick(result)
            assert status is not None
            self._watch_page(nb, status)
        elif session.up:
            nb.backoff = policy.after_tick(nb.backoff, False, now, self.config.pacing)
            logger.warning(
                "tick {} failed ({} in a row{}): {}",
                nb.url,
                nb.backoff.failures,
                self._next_try("next try", nb.backoff.due - now),
                failure.text,
            )
        else:
            logger.warning("tick {} failed: {}", nb.url, failure.text)
        self._emit("on_tick", lambda listener: listener.on_tick(result))
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
                if attempt == 2 or not policy.retry_at_once(exc):
                    raise  # e.g. an unreachable page is retried with backoff, not at once
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
        """The engine options, with each listener's per-notebook advice (`tick_options(url)`,
        e.g. the keep-alive policy's `{"activity": False}`) on top."""
        options = dict(self.config.options)
        for listener in self.listeners:
            try:
                options.update(listener.tick_options(url))
            except Exception:
                logger.exception("listener {} failed in tick_options", type(listener).__name__)
        return options

    def _watch_page(self, nb: _Notebook, status: EngineStatus) -> None:
        """Count ticks that found no notebook; ask for a reload (with backoff) when stuck."""
        now = self.clock.monotonic()
        before = nb.page
        nb.page, verdict = policy.watch_page(before, status.state, now, self.config.pacing)
        if verdict == "back":
            logger.info("{}: the notebook page is back after {} reload(s)", nb.url, before.reloads)
        if verdict in ("back", "fine"):
            nb.needs_reload = False
        elif verdict == "reload":
            nb.needs_reload = True
            logger.warning(
                "{}: no notebook found on the page for {}+ ticks (error page?): reloading it "
                "at the next tick (reload {}, the next one no sooner than in {:.0f}s)",
                nb.url,
                self.config.reload_after,
                nb.page.reloads,
                nb.page.reload_due - now,
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
        session.health, lost_for = policy.session_ok(session.health, self.clock.monotonic())
        if lost_for is not None:
            logger.info("{}: browser recovered after {:.1f}s", session.label, lost_for)

    def _session_failed(self, session: _Session, failure: str) -> None:
        """The browser died or could not be revived: back off; report a lasting loss once."""
        now = self.clock.monotonic()
        session.health, report = policy.session_failed(session.health, now, self.config.pacing)
        session.last_failure = failure
        logger.warning(
            "{}: browser lost ({} failure(s) in a row{}): {}",
            session.label,
            session.health.failures,
            self._next_try("next recovery", session.health.due - now),
            failure,
        )
        if report:
            at = self.clock.now()

            def tell(listener: TickListener, url: str) -> None:
                listener.on_browser_lost(url, failure, at)

            for nb in session.notebooks:
                self._emit("on_browser_lost", partial(tell, url=nb.url))

    def _next_try(self, what: str, seconds: float) -> str:
        """ ", next try in 60s" for a log line; nothing under run_once (there is none)."""
        return "" if self._once else f", {what} in {seconds:.0f}s"

    def _failed(self, url: str, failure: str) -> TickResult:
        result = TickResult(url, self.clock.now(), None, failure, None)
        self._emit("on_tick", lambda listener: listener.on_tick(result))
        return result

    # -- listeners ---------------------------------------------------------------------------

    def _emit(self, event: str, call: Callable[[TickListener], None]) -> None:
        """Call every listener (`event` names the call in the log); a listener that raises
        is logged and never stops the loop or the other listeners."""
        for listener in self.listeners:
            try:
                call(listener)
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
