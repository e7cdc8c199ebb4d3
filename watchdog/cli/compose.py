"""The composition root of the daemon: Settings -> real adapters, listeners -> Daemon.

    daemon = build_daemon(settings, urls, stop_event=stop, env=os.environ)
    daemon.run()

Other parts plug in here (and only here): the alert monitor and the systemd notifier are
appended to `listeners` in `build_listeners`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from loguru import logger

from watchdog.adapters.browser import BrowserConfig, SeleniumBrowser
from watchdog.adapters.browser.profile import ensure_profile_dir, hold_profile_lock
from watchdog.adapters.clock import SystemClock
from watchdog.adapters.scheduler import ScheduleScheduler
from watchdog.adapters.statefile import JsonStateStore
from watchdog.adapters.systemd import SystemdNotifier
from watchdog.cli.alerting import build_monitor
from watchdog.cli.settings import Settings
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.daemon.ports import Browser, Clock, Scheduler, TickListener
from watchdog.daemon.sessions import crowding_advice, split_notebooks
from watchdog.errors import StateError

BrowserFactory = Callable[[BrowserConfig, str], Browser]
ENGINE_MAX_DEPTH = 8


@dataclass(frozen=True)
class RunContext:
    """Per-run facts that are not settings: flags of `run` and the process environment."""

    env: Mapping[str, str]
    started_at: datetime | None = None  # --started-at/--elapsed: runtime began before the daemon
    once: bool = False


def engine_options(settings: Settings) -> dict[str, Any]:
    """The `options` argument of colabWatchdogTick (see js/engine.js).

    In attach mode a person uses the browser: a panel open there is theirs (the engine never
    opens one), so the engine leaves panels alone. Elsewhere nobody does, and a panel left
    open came from an older tool.
    """
    return {
        "reconnect": settings.reconnect,
        "selectors": settings.selector_map(),
        "maxDepth": ENGINE_MAX_DEPTH,
        "closePanels": settings.browser != "attach",
        "actuator": settings.input,
    }


def browser_config(settings: Settings, env: Mapping[str, str], session: int = 1) -> BrowserConfig:
    """The adapter configuration of browser session number `session` (1-based).

    In launch mode every extra session needs its own profile (`<profile>-2`, ...): one
    Chromium profile cannot be opened twice.
    """
    profile: Path = settings.profile_dir
    if session > 1:
        profile = profile.with_name(f"{profile.name}-{session}")
    return BrowserConfig(
        mode=settings.browser,
        headless=settings.headless,
        chrome_binary=None if settings.chrome_binary is None else str(settings.chrome_binary),
        chromedriver=None if settings.chromedriver is None else str(settings.chromedriver),
        profile_dir=profile,
        attach_address=settings.attach_address,
        allow_remote_attach=settings.allow_remote_attach,
        remote_url=settings.remote_url,
        remote_timeout=60.0,
        allow_driver_download=settings.allow_driver_download,
        env=dict(env),
    )


def hold_run_locks(
    settings: Settings, urls: Sequence[str], context: RunContext, stack: ExitStack
) -> None:
    """Take the locks a run holds for its life (released by `stack`, or by the OS when the
    process ends, even by SIGKILL): the state file's (not for `--once`, which writes no
    state) and, in launch mode, each session's browser profile's. ConfigError (exit 2)
    naming the other process's pid when one is taken. A state lock that cannot be created
    (the state file's directory is not writable) is logged and skipped: the daemon keeps the
    notebooks alive without saving, as it does when a save fails."""
    if not context.once:
        try:
            stack.callback(JsonStateStore(settings.state_file).hold_lock().release)
        except StateError as exc:  # no lock where no state can be written either: keep going
            logger.error("{}; running without the state file's lock", exc)
    if settings.browser != "launch":
        return

    sessions = len(split_notebooks(urls, settings.notebooks_per_session))
    for n in range(1, max(sessions, 1) + 1):
        profile = browser_config(settings, context.env, n).profile_dir
        assert profile is not None
        stack.callback(hold_profile_lock(ensure_profile_dir(profile)).release)


def build_listeners(
    settings: Settings, context: RunContext, clock: Clock, urls: Sequence[str] = ()
) -> list[TickListener]:
    """Every TickListener of a `run`, in call order; `urls` are the watched notebooks."""
    listeners: list[TickListener] = []
    if not context.once:  # --once is a self-test: no alerts, no state-file writes
        listeners.append(
            build_monitor(settings, clock, started_at=context.started_at, watched=urls)
        )
    notify_socket = context.env.get("NOTIFY_SOCKET")
    if notify_socket and not context.once:  # under systemd Type=notify: READY, WATCHDOG pings
        watchdog_usec = context.env.get("WATCHDOG_USEC")
        listeners.append(
            SystemdNotifier(notify_socket, interval=settings.interval, watchdog_usec=watchdog_usec)
        )
    return listeners


def build_daemon(
    settings: Settings,
    urls: Sequence[str],
    *,
    stop_event: threading.Event,
    context: RunContext,
    extra_listeners: Sequence[TickListener] = (),
    browser_factory: BrowserFactory | None = None,
    clock: Clock | None = None,
    scheduler: Scheduler | None = None,
) -> Daemon:
    """The daemon over real adapters: notebooks split over browser sessions per
    WATCHDOG_NOTEBOOKS_PER_SESSION, the system clock, `schedule` pacing the sweeps by that
    clock's monotonic time, and the listeners of `build_listeners` followed by
    `extra_listeners`."""
    clock = clock or SystemClock()
    scheduler = scheduler or ScheduleScheduler(clock.monotonic)
    factory = browser_factory or _selenium
    groups = split_notebooks(urls, settings.notebooks_per_session)
    if len(groups) > 1:
        logger.info(
            "{} notebooks over {} browser sessions ({} per session)",
            len(urls),
            len(groups),
            settings.notebooks_per_session,
        )
        if settings.browser == "launch":
            logger.warning(
                "launch mode with several sessions: sessions 2.. use their own profiles "
                "({}-2, ...), sign in there too or use remote mode",
                settings.profile_dir,
            )
    advice = crowding_advice(groups)
    if advice is not None:
        logger.warning("{}", advice)
    sessions = [
        (factory(browser_config(settings, context.env, n), f"session {n}"), group)
        for n, group in enumerate(groups, start=1)
    ]
    listeners = [*build_listeners(settings, context, clock, urls), *extra_listeners]
    config = DaemonConfig(
        interval=settings.interval,
        options=engine_options(settings),
        idle_timeout=settings.idle_timeout,
    )
    return Daemon(
        sessions,
        config,
        clock=clock,
        scheduler=scheduler,
        listeners=listeners,
        stop_event=stop_event,
    )


def _selenium(config: BrowserConfig, label: str) -> Browser:
    return SeleniumBrowser(config, label=label)
