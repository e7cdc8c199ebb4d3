"""`colab-watchdog demo [--duration 60s]`: the real daemon against the simulated Colab.

Starts the simulated Colab on 127.0.0.1 with accelerated limits (idle timeout 10 s, lifetime
50 s, a tick every 2 s, warnings 30 s and 15 s before the end), runs the real daemon headless
on a throw-away profile, and shows a live view: per notebook its state, the daemon's last
action and the idle / lifetime remaining read from the simulated page itself. A third,
*unwatched* notebook shows what happens without the watchdog: it idles out after 10 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from watchdog.core.durations import parse_duration
from watchdog.core.model import EngineStatus, TickResult
from watchdog.errors import ConfigError, ExitCode

DEFAULT_DURATION = 60.0
IDLE, LIFETIME, INTERVAL, WARN = 10, 50, 2, "30s,15s"
READ_SIM = (
    "const s = window.__sim; if (!s) return null;"
    "const idleOuts = s.events.filter(e => e.type === 'disconnect' && e.detail === 'idle');"
    "return [s.state, s.idleRemaining(), s.lifetimeRemaining(), idleOuts.length];"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="watch the built-in simulated Colab for a minute",
        description="Run the real daemon headless against a simulated Colab with accelerated "
        f"limits (idle {IDLE}s, lifetime {LIFETIME}s, tick every {INTERVAL}s) next to an "
        "unwatched notebook, and show what each one does. Needs chromium + chromedriver.",
    )
    parser.add_argument("--duration", default="60s", help="how long to run (default 60s)")
    parser.add_argument("--verbose", action="store_true", help="also show every tick's log")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        duration = parse_duration(args.duration)
    except ValueError as exc:
        raise ConfigError(f"--duration: {exc}") from None
    return run_demo(duration=duration, verbose=args.verbose)


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
        return status, title

    def read_control(self) -> None:
        self._read(self.control, None)

    def _read(self, url: str, acted: str | None) -> None:
        try:
            raw = self.inner.evaluate(url, READ_SIM)
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


class DemoListener:
    """Shows a failed tick's reason in the live view; reads the control tab after each sweep
    (`browsers` are the DemoBrowsers the daemon's browser factory built)."""

    def __init__(
        self, rows: dict[str, Row], lock: threading.Lock, browsers: list[DemoBrowser]
    ) -> None:
        self.rows, self.lock, self.browsers = rows, lock, browsers

    def on_start(self) -> None:
        pass

    def on_browser_lost(self, url: str, failure: str, at: datetime) -> None:
        pass

    def on_sweep(self, at: datetime) -> None:
        for browser in self.browsers:
            browser.read_control()

    def on_stop(self) -> None:
        pass

    def on_tick(self, result: TickResult) -> None:
        if result.failure:
            with self.lock:
                self.rows[result.url].action = "failed: " + result.failure[:40]


class LiveView:
    """One line per notebook, redrawn every second (in place on a terminal)."""

    def __init__(self, rows: dict[str, Row], lock: threading.Lock, out: TextIO) -> None:
        self.rows, self.lock, self.out = rows, lock, out
        self.tty = out.isatty()
        self.drawn = 0
        self.started = time.monotonic()

    def lines(self) -> list[str]:
        now = time.monotonic()
        out = [
            f"demo: simulated Colab, idle timeout {IDLE}s, lifetime {LIFETIME}s, tick every "
            f"{INTERVAL}s   [{now - self.started:4.0f}s]",
            f"  {'NOTEBOOK':<30} {'STATE':<13} {'LAST ACTION':<16} {'IDLE LEFT':>9} "
            f"{'LIFETIME LEFT':>13} {'IDLED OUT':>9}",
        ]
        with self.lock:
            for row in self.rows.values():
                age = now - row.read_at if row.read_at else 0.0
                out.append(
                    f"  {row.label:<30} {row.state:<13} {row.action:<16} "
                    f"{_secs(row.idle, age):>9} {_secs(row.lifetime, age):>13} "
                    f"{row.idle_outs:>9}"
                )
        return out

    def draw(self) -> None:
        lines = self.lines()
        if self.tty:
            if self.drawn:
                self.out.write(f"\x1b[{self.drawn}F\x1b[J")
            self.drawn = len(lines)
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def log_sink(self, message: Any) -> None:
        """A loguru sink printing log lines above the live view."""
        if self.tty and self.drawn:
            self.out.write(f"\x1b[{self.drawn}F\x1b[J")
            self.drawn = 0
        self.out.write(str(message))
        if self.tty:
            self.draw()
        else:
            self.out.flush()


def _secs(value: float | None, age: float) -> str:
    if value is None:
        return "-"
    return f"{max(0.0, float(value) - age):.0f}s"


def run_demo(duration: float, *, verbose: bool = False, out: TextIO | None = None) -> int:
    """Run the demo for `duration` seconds; returns 0 (130 on Ctrl+C)."""
    import os

    from loguru import logger

    from watchdog.adapters.browser import SeleniumBrowser
    from watchdog.adapters.clock import SystemClock
    from watchdog.cli.compose import RunContext, build_daemon
    from watchdog.cli.config import load_settings
    from watchdog.cli.logging import configure_logging, shutdown_logging
    from watchdog.cli.signals import from_keyboard, stop_on_signals
    from watchdog.sim import SimServer

    out = out or sys.stdout
    lock = threading.Lock()
    with SimServer() as sim, tempfile.TemporaryDirectory(prefix="colab-watchdog-demo-") as tmp:
        limits = {"idle": IDLE, "lifetime": LIFETIME}
        watched = {
            sim.page_url("modern", era=2025, title="modern.ipynb", **limits): "modern (2025)",
            sim.page_url("classic", era=2019, lang="es", title="clasico.ipynb", **limits): (
                "classic (2019, es)"
            ),
        }
        control = sim.page_url("control", era=2025, title="control.ipynb", **limits)
        rows = {url: Row(label + ", watched", True) for url, label in watched.items()}
        rows[control] = Row("control, NOT watched", False)
        settings = load_settings(
            {
                "notebooks": list(watched),
                "interval": INTERVAL,
                "idle_timeout": IDLE,
                "max_lifetime": LIFETIME,
                "warn_before": WARN,
                "reconnect": False,
                "browser": "launch",
                "headless": True,
                "profile_dir": Path(tmp) / "profile",
                "state_file": Path(tmp) / "state.json",
                "notify": [],
                "notebooks_per_session": 0,
                "log_file": None,
            },
            env_file=None,
        )
        view = LiveView(rows, lock, out)
        configure_logging("INFO" if verbose else "WARNING", None, False, settings.secrets())
        logger.remove()
        logger.add(
            view.log_sink,
            level="INFO" if verbose else "WARNING",
            format="{time:HH:mm:ss} {level: <7} {message}",
            colorize=False,
            diagnose=False,
            backtrace=False,
        )

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
        drawer = threading.Thread(target=_draw_every_second, args=(view, stop), daemon=True)
        with stop_on_signals(stop) as received:
            timer.start()
            drawer.start()
            try:
                daemon.run()
            finally:
                timer.cancel()
                stop.set()
                drawer.join(timeout=2)
        view.draw()
        with lock:
            control_row = rows[control]
            kept = [r for r in rows.values() if r.watched and r.idle_outs == 0]
        out.write(
            f"\nwatched notebooks that never idled out: {len(kept)} of {len(watched)}; "
            f"the unwatched one idled out {control_row.idle_outs} time(s). "
            f"(At {LIFETIME}s every runtime reaches its lifetime, as Colab's does at 12 h: "
            "the watchdog warns before, it never extends it.)\n"
        )
        shutdown_logging()
        return ExitCode.INTERRUPTED if from_keyboard(received) else ExitCode.OK


def _draw_every_second(view: LiveView, stop: threading.Event) -> None:
    period = 1.0 if view.tty else 10.0
    while not stop.wait(period):
        view.draw()
