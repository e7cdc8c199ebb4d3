"""`colab-watchdog demo [--duration 60s]`: the real daemon against the simulated Colab.

Starts the simulated Colab on 127.0.0.1 with accelerated limits (idle timeout 10 s, a tick
every 2 s, and a lifetime scaled to the duration: 50 s of a 60 s demo, with warnings at 60 %
and 30 % of it before the end), runs the real daemon headless on a throw-away profile, and
shows a live view: per notebook its state, the daemon's last action and the idle / lifetime
remaining read from the simulated page itself. A third, *unwatched* notebook shows what
happens without the watchdog: it idles out after 10 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from watchdog import jsassets
from watchdog.adapters.clock import SystemClock
from watchdog.cli.signals import from_keyboard, stop_on_signals
from watchdog.core.durations import format_duration, parse_duration
from watchdog.core.model import EngineStatus, TickResult
from watchdog.daemon.ports import Listener
from watchdog.errors import ConfigError, ExitCode

if TYPE_CHECKING:
    from watchdog.cli.demo_view import LiveView
    from watchdog.cli.settings import Settings

__all__ = ["DemoBrowser", "DemoListener", "Row", "demo_limits", "run_demo"]

DEFAULT_DURATION = 60.0
MIN_DURATION = 20.0  # the control must idle out and both warnings must fit before the end
IDLE, INTERVAL = 10, 2
RUN_S = 14  # the modern notebook's cell: runs past the idle timeout, then finishes


@dataclass
class Row:
    label: str
    watched: bool
    state: str = "loading"
    action: str = "-"
    idle: float | None = None
    lifetime: float | None = None
    idle_outs: int = 0  # disconnects by the idle timer (not by the lifetime limit)
    read_at: float = 0.0
    work: str = "-"  # the engine's reading: "busy 12s", "idle" or "?"


@dataclass(frozen=True)
class DemoLimits:
    idle: int
    lifetime: int
    warn_before: tuple[int, int]


def demo_limits(duration: float) -> DemoLimits:
    """The accelerated limits for a demo of `duration` seconds: the lifetime ends at 5/6 of
    it, warnings at 60 % and 30 % of the lifetime before that end. Raises ConfigError for a
    duration too short to show them (under MIN_DURATION)."""
    if duration < MIN_DURATION:
        raise ConfigError(
            f"--duration={format_duration(duration)} is too short to show the idle timeout "
            f"and the warnings: use {format_duration(MIN_DURATION)} or more (default 60s)"
        )
    lifetime = round(duration * 5 / 6)
    return DemoLimits(IDLE, lifetime, (round(lifetime * 0.6), round(lifetime * 0.3)))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="watch the built-in simulated Colab for a minute",
        description="Run the real daemon headless against a simulated Colab with accelerated "
        f"limits (idle {IDLE}s, tick every {INTERVAL}s, a lifetime of 5/6 of the duration) "
        "next to an unwatched notebook, and show what each one does. Needs chromium + "
        "chromedriver.",
    )
    parser.add_argument(
        "--duration",
        default="60s",
        help=f"how long to run (default 60s, at least {MIN_DURATION:.0f}s)",
    )
    parser.add_argument("--verbose", action="store_true", help="also show every tick's log")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        duration = parse_duration(args.duration)
    except ValueError as exc:
        raise ConfigError(f"--duration: {exc}") from None
    demo_limits(duration)  # refuse a too-short duration before starting anything
    return run_demo(duration=duration, verbose=args.verbose)


class DemoBrowser:
    """Wraps the real Browser: after each tick it reads the simulated page's own timers, and
    keeps one extra tab (the unwatched control notebook) open, read once per sweep by
    DemoListener through `read_control()`."""

    def __init__(self, inner: Any, control: str, rows: dict[str, Row], lock: threading.Lock):
        self.inner, self.control, self.rows, self.lock = inner, control, rows, lock

    def start(self) -> None:
        self.inner.start()
        self.inner.open(self.control)

    def open(self, url: str) -> None:
        self.inner.open(url)

    def reload(self, url: str) -> None:
        self.inner.reload(url)

    def tick(self, url: str, options: dict[str, Any]) -> tuple[EngineStatus, str | None]:
        status, title = self.inner.tick(url, options)
        self._read(url, status.acted)
        with self.lock:
            self.rows[url].work = work_text(status)
        return status, title

    def read_control(self) -> None:
        self._read(self.control, None)

    def _read(self, url: str, acted: str | None) -> None:
        try:
            raw = self.inner.evaluate(url, jsassets.load("demo_read_sim.js"))
        except Exception:
            return  # a demo reading never disturbs the daemon
        if not isinstance(raw, list) or len(raw) != 4:
            return
        with self.lock:
            row = self.rows[url]
            row.state, row.idle, row.lifetime = str(raw[0]), raw[1], raw[2]
            row.idle_outs, row.read_at = int(raw[3] or 0), time.monotonic()
            if acted is not None:
                row.action = acted

    def recover(self) -> None:
        self.inner.recover()
        self.inner.open(self.control)

    def close(self) -> None:
        self.inner.close()


def work_text(status: EngineStatus) -> str:
    """`busy 12s`, `busy`, `idle` or `?` (the page shows no execution indicator)."""
    if status.busy is None:
        return "?"
    if not status.busy:
        return "idle"
    return "busy" if status.busy_for_s is None else f"busy {status.busy_for_s:.0f}s"


class DemoListener(Listener):
    """Shows a failed tick's reason in the live view; reads the control tab after each sweep
    (`browsers` are the DemoBrowsers the daemon's browser factory built)."""

    def __init__(
        self, rows: dict[str, Row], lock: threading.Lock, browsers: list[DemoBrowser]
    ) -> None:
        self.rows, self.lock, self.browsers = rows, lock, browsers

    def on_sweep(self, at: datetime) -> None:
        for browser in self.browsers:
            browser.read_control()

    def on_tick(self, result: TickResult) -> None:
        if result.failure:
            with self.lock:
                self.rows[result.url].action = "failed: " + result.failure[:40]


def run_demo(duration: float, *, verbose: bool = False, out: TextIO | None = None) -> int:
    """Run the demo for `duration` seconds; returns 0 (130 on Ctrl+C)."""

    from watchdog.adapters.browser import SeleniumBrowser  # noqa: PLC0415 lazy: Selenium
    from watchdog.cli.compose import RunContext, build_daemon  # noqa: PLC0415 lazy: Selenium
    from watchdog.cli.demo_view import LiveView, draw_every  # noqa: PLC0415 lazy: demo only
    from watchdog.cli.logging import configure_logging, shutdown_logging  # noqa: PLC0415 lazy: loguru
    from watchdog.sim import SimServer  # noqa: PLC0415 lazy: demo only

    limits = demo_limits(duration)
    out = out or sys.stdout
    lock = threading.Lock()
    with SimServer() as sim, tempfile.TemporaryDirectory(prefix="colab-watchdog-demo-") as tmp:
        page = {"idle": limits.idle, "lifetime": limits.lifetime}
        watched = {
            # a GPU notebook whose cell runs past the idle timeout, then finishes (`finished`)
            sim.page_url(
                "modern", era=2025, title="modern.ipynb", backend="gpu", run=RUN_S, **page
            ): "modern (2025)",
            sim.page_url("classic", era=2019, lang="es", title="clasico.ipynb", **page): (
                "classic (2019, es)"
            ),
        }
        control = sim.page_url("control", era=2025, title="control.ipynb", **page)
        rows = {url: Row(label, True) for url, label in watched.items()}
        rows[control] = Row("control, unwatched", False)
        settings = _settings(list(watched), limits, Path(tmp))
        first, second = limits.warn_before
        heading = (
            f"demo: idle {limits.idle}s, lifetime {limits.lifetime}s, warnings "
            f"{first}s and {second}s before, tick {INTERVAL}s"
        )
        view = LiveView(rows, lock, out, heading)
        level = "INFO" if verbose else "WARNING"
        configure_logging(level, None, False, settings.secrets(), sink=view.log_sink)

        browsers: list[DemoBrowser] = []

        def factory(config: Any, label: str) -> Any:
            browsers.append(DemoBrowser(SeleniumBrowser(config, label=label), control, rows, lock))
            return browsers[-1]

        stop = threading.Event()
        daemon = build_daemon(
            settings,
            list(watched),
            stop_event=stop,
            # The simulated runtimes start when their pages load, just after this: give the
            # alert monitor that start, so "lifetime reached" fires with the page's own limit.
            context=RunContext(env=dict(os.environ), started_at=SystemClock().now()),
            extra_listeners=[DemoListener(rows, lock, browsers)],
            browser_factory=factory,
        )
        timer = threading.Timer(duration, stop.set)
        with stop_on_signals(stop) as received, view:
            drawer = None
            if not view.tty:
                drawer = threading.Thread(target=draw_every, args=(view, stop), daemon=True)
                drawer.start()
            timer.start()
            try:
                daemon.run()
            finally:
                timer.cancel()
                stop.set()
                if drawer is not None:
                    drawer.join(timeout=2)
        _summary(view, rows, lock, control, limits)
        shutdown_logging()
        return ExitCode.INTERRUPTED if from_keyboard(received) else ExitCode.OK


def _settings(urls: list[str], limits: DemoLimits, tmp: Path) -> Settings:
    """The demo's Settings: accelerated limits, headless launch on a throw-away profile,
    no alert channel, no .env."""
    from watchdog.cli.config import load_settings  # noqa: PLC0415 lazy: pydantic

    return load_settings(
        {
            "notebooks": urls,
            "interval": INTERVAL,
            "idle_timeout": limits.idle,
            "max_lifetime": limits.lifetime,
            "warn_before": list(limits.warn_before),
            "reconnect": False,
            "browser": "launch",
            "headless": True,
            "profile_dir": tmp / "profile",
            "state_file": tmp / "state.json",
            "notify": [],
            "notebooks_per_session": 0,
            "log_file": None,
            "finished_after": RUN_S // 2,
        },
        env_file=None,
        warn=False,  # every setting is given here; ./scripts/run showed the warnings
    )


def _summary(
    view: LiveView, rows: dict[str, Row], lock: threading.Lock, control: str, limits: DemoLimits
) -> None:
    with lock:
        idled = rows[control].idle_outs
        watched = [r for r in rows.values() if r.watched]
        kept = sum(r.idle_outs == 0 for r in watched)
    for line in (
        "",
        f"watched notebooks that never idled out: {kept} of {len(watched)}",
        f"the unwatched one idled out {idled} time(s)",
        f"At {limits.lifetime}s every runtime reaches its lifetime, as Colab's does at",
        "12 h: the watchdog warns before, it never extends it.",
    ):
        view.print(line)
