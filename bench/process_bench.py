"""Benchmarks of whole processes: CLI start-up, daemon footprint and CPU, alert latency."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import psutil

from bench.common import (
    ENGINE_OPTIONS,
    VENV_BIN,
    cpu_seconds,
    daemon_process,
    launch_browser,
    median,
    pss_mb,
    rss_mb,
    tree,
    wait_for,
)
from bench.webhook import Receiver
from watchdog.sim import SimServer

# ---------------------------------------------------------------- start-up


def _wall(argv: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def startup(repeats: int = 7) -> dict[str, Any]:
    """Wall time of `colab-watchdog --help` and `snippet` vs `python -c pass` (medians)."""
    cli = str(VENV_BIN / "colab-watchdog")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "colab-watchdog --help": [cli, "--help"],
        "colab-watchdog snippet": [cli, "snippet"],
    }
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as cwd:
        for argv in commands.values():  # warm the page cache and .pyc files
            _wall(argv, env, cwd)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeats):
            for name, argv in commands.items():
                times[name].append(_wall(argv, env, cwd))
    base = median(times["python -c pass"])
    return {
        name: {"median_s": median(t), "ratio": median(t) / base, "repeats": repeats}
        for name, t in times.items()
    }


# ---------------------------------------------------------------- footprint and CPU


def _settled_rss(procs_of: Any, seconds: float = 2.0, measure: Any = rss_mb) -> float:
    """Median RSS (MiB) of a process set sampled over `seconds` (or PSS with pss_mb)."""
    samples = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        samples.append(measure(procs_of()))
        time.sleep(0.2)
    return median(samples)


def _baseline_footprint() -> dict[str, float]:
    """A sleeping Python interpreter, and a bare headless Chromium (chromedriver-started,
    about:blank) with the same flags the daemon uses."""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        wait_for(
            lambda: psutil.Process(sleeper.pid).status() == psutil.STATUS_SLEEPING, 10, "sleep"
        )
        python_rss = _settled_rss(lambda: [psutil.Process(sleeper.pid)], 1.0)
    finally:
        sleeper.kill()
        sleeper.wait()
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as tmp:
        browser = launch_browser(Path(tmp) / "profile")
        try:
            driver_pid = browser.pids[-1]  # chromedriver; the browser is its child
            browser_rss = _settled_rss(lambda: tree(driver_pid))
            browser_pss = _settled_rss(lambda: tree(driver_pid), 1.0, pss_mb)
        finally:
            browser.close()
    return {
        "python_idle_rss_mb": python_rss,
        "bare_browser_rss_mb": browser_rss,
        "bare_browser_pss_mb": browser_pss,
    }


def _split(daemon_pid: int) -> tuple[list[psutil.Process], list[psutil.Process]]:
    procs = tree(daemon_pid)
    return procs[:1], procs[1:]


def footprint(server: SimServer, sizes: tuple[int, ...] = (1, 10, 50)) -> dict[str, Any]:
    """RSS of the daemon (`colab-watchdog run`) and its browser tree with N notebooks, after
    every notebook ticked once, between ticks (interval 60 s). Also the idle CPU rates (no
    tick in the window) of the 1-notebook run."""
    base = _baseline_footprint()
    rows = []
    idle_cpu: dict[str, float] = {}
    for n in sizes:
        urls = [server.page_url(f"fp{n}-{i}", era=2025, idle=0) for i in range(n)]
        with daemon_process(urls, {"WATCHDOG_INTERVAL": "60s"}) as daemon:
            daemon.wait_all_ticked(timeout=60 + 3 * n)
            ticks_before = len(daemon.tick_times())
            daemon_rss = _settled_rss(lambda: _split(daemon.proc.pid)[0])
            browser_rss = _settled_rss(lambda: _split(daemon.proc.pid)[1])
            browser_pss = _settled_rss(lambda: _split(daemon.proc.pid)[1], 1.0, pss_mb)
            n_procs = len(_split(daemon.proc.pid)[1])
            if n == sizes[0]:
                own, browser = _split(daemon.proc.pid)
                window = 15.0
                c0 = (cpu_seconds(own), cpu_seconds(browser))
                time.sleep(window)  # measuring a rate over a fixed window, not waiting
                c1 = (cpu_seconds(own), cpu_seconds(browser))
                if len(daemon.tick_times()) != ticks_before:
                    raise RuntimeError("bench: a tick happened in the idle CPU window")
                idle_cpu = {
                    "window_s": window,
                    "daemon_cpu_per_s": (c1[0] - c0[0]) / window,
                    "browser_cpu_per_s": (c1[1] - c0[1]) / window,
                }
        rows.append(
            {
                "notebooks": n,
                "daemon_rss_mb": daemon_rss,
                "daemon_vs_python": daemon_rss / base["python_idle_rss_mb"],
                "browser_tree_rss_mb": browser_rss,
                "browser_vs_bare": browser_rss / base["bare_browser_rss_mb"],
                "browser_tree_pss_mb": browser_pss,
                "browser_pss_vs_bare": browser_pss / base["bare_browser_pss_mb"],
                "browser_processes": n_procs,
            }
        )
    return {"baseline": base, "rows": rows, "idle_cpu": idle_cpu}


def first_tick(server: SimServer, repeats: int = 3) -> dict[str, Any]:
    """`colab-watchdog run URL` start (process spawn) to its first completed tick (the tick's
    log line arriving), vs a bare Selenium Chromium start + page load + first engine call in
    this process. Medians of `repeats` alternating runs."""
    from watchdog import jsassets

    script = jsassets.load("engine.js") + "\n" + jsassets.load("engine_call.js")
    daemon_times, bare_times = [], []
    for i in range(repeats):
        url = server.page_url(f"first-{i}", era=2025, idle=0)
        with daemon_process([url]) as daemon:
            daemon.wait_ticks(1, timeout=90)
            daemon_times.append(daemon.tick_times()[0] - daemon.started)
        with tempfile.TemporaryDirectory(prefix="bench-first-") as tmp:
            start = time.perf_counter()
            browser = launch_browser(Path(tmp) / "profile")
            try:
                browser.driver.get(url)
                browser.driver.execute_script(script, ENGINE_OPTIONS)
                bare_times.append(time.perf_counter() - start)
            finally:
                browser.close()
    return {
        "repeats": repeats,
        "daemon_first_tick_s": median(daemon_times),
        "bare_first_tick_s": median(bare_times),
        "ratio": median(daemon_times) / median(bare_times),
        "daemon_all_s": daemon_times,
        "bare_all_s": bare_times,
    }


def cpu_per_hour(
    server: SimServer, idle_cpu: dict[str, float], interval: float = 0.2
) -> dict[str, Any]:
    """CPU per hour of idle watching of one notebook at the default 60 s interval.

    Measured: (a) the idle rates of `footprint` (daemon and browser, no tick in a 15 s window:
    the loop's wake-ups and the page's own timers) and (b) a run at `interval` (accelerated)
    over a 15 s window, whose CPU minus the idle rate, divided by the ticks in the window,
    is the CPU per tick. Extrapolated: per hour = idle rate * 3600 + per-tick * 60.
    """
    url = server.page_url("cpu", era=2025, idle=0)
    with daemon_process([url], {"WATCHDOG_INTERVAL": f"{int(interval * 1000)}ms"}) as daemon:
        daemon.wait_ticks(5, timeout=60)
        own, browser = _split(daemon.proc.pid)
        window = 15.0
        t0, c0 = len(daemon.tick_times()), (cpu_seconds(own), cpu_seconds(browser))
        time.sleep(window)  # measuring a rate over a fixed window, not waiting
        t1, c1 = len(daemon.tick_times()), (cpu_seconds(own), cpu_seconds(browser))
    ticks = t1 - t0
    per_tick_daemon = max(0.0, c1[0] - c0[0] - idle_cpu["daemon_cpu_per_s"] * window) / ticks
    per_tick_browser = max(0.0, c1[1] - c0[1] - idle_cpu["browser_cpu_per_s"] * window) / ticks
    hour_daemon = idle_cpu["daemon_cpu_per_s"] * 3600 + per_tick_daemon * 60
    hour_browser = idle_cpu["browser_cpu_per_s"] * 3600 + per_tick_browser * 60
    page_only = idle_cpu["browser_cpu_per_s"] * 3600
    return {
        "accelerated_interval_s": interval,
        "ticks_in_window": ticks,
        "cpu_ms_per_tick_daemon": per_tick_daemon * 1e3,
        "cpu_ms_per_tick_browser": per_tick_browser * 1e3,
        "daemon_cpu_s_per_hour": hour_daemon,
        "daemon_core_percent": hour_daemon / 3600 * 100,
        "browser_cpu_s_per_hour": hour_browser,
        "browser_page_only_cpu_s_per_hour": page_only,
        "browser_vs_page_only": hour_browser / page_only if page_only else None,
    }


# ---------------------------------------------------------------- alert latency


class _ShiftClock:
    """The real clock moved forward by `offset` (to reach a threshold without waiting)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def monotonic(self) -> float:
        return time.monotonic()


def alert_latency(server: SimServer, samples: int = 10) -> dict[str, Any]:
    """Threshold crossing -> webhook receiver, (a) through the real Monitor + apprise notifier
    + state file in-process (the tick that crosses the margin is fed at a known moment),
    (b) end to end through `colab-watchdog run` (interval 0.5 s, lifetime 8 s, margin 4 s:
    crossing = the state file's lifetime deadline - 4 s; includes waiting for the next tick).
    Baseline: a bare urllib POST of the same JSON to the same receiver."""
    from watchdog.adapters.notify import AppriseNotifier
    from watchdog.adapters.statefile import JsonStateStore
    from watchdog.core.model import EngineStatus, TickResult
    from watchdog.core.session import Limits
    from watchdog.daemon.monitor import Monitor

    receiver = Receiver()
    try:
        bare = []
        for _ in range(samples):
            count = len(receiver.arrivals)
            data = json.dumps({"title": "bare", "message": "x"}).encode()
            request = urllib.request.Request(
                receiver.http_url(), data=data, headers={"Content-Type": "application/json"}
            )
            sent = time.monotonic()
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
            bare.append(receiver.deliveries[count].mono - sent)

        status = EngineStatus.from_json(
            {
                "state": "connected",
                "busy": False,
                "acted": "activity",
                "dialog": None,
                "captcha": False,
                "probe": "bench",
                "remaining_estimate_s": None,
                "error": None,
            }
        )
        limits = Limits(idle_timeout=3600, max_lifetime=600, warn_before=(60,))
        clock = _ShiftClock()
        pipeline = []
        with tempfile.TemporaryDirectory(prefix="bench-alert-") as tmp:
            notifier = AppriseNotifier([receiver.url()])
            monitor = Monitor(
                store=JsonStateStore(Path(tmp) / "state.json"),
                notifier=notifier,
                clock=clock,
                limits=limits,
                interval=1.0,
                close_notifier=notifier.close,
            )
            monitor.on_start()
            for i in range(samples):
                url = f"{server.base_url}/notebook/alert-{i}"
                clock.offset = timedelta()
                monitor.on_tick(TickResult(url, clock.now(), status, None, "bench"))
                clock.offset = timedelta(seconds=600 - 60 + 0.001)  # just past the margin
                count = len(receiver.arrivals)
                crossed = time.monotonic()
                monitor.on_tick(TickResult(url, clock.now(), status, None, "bench"))
                wait_for(partial(_more_than, receiver, count), 10, "the alert")
                pipeline.append(receiver.deliveries[count].mono - crossed)
            monitor.on_stop()

        e2e = _alert_e2e(server, receiver)
    finally:
        receiver.close()
    return {
        "samples": samples,
        "bare_post_median_ms": median(bare) * 1e3,
        "monitor_median_ms": median(pipeline) * 1e3,
        "monitor_max_ms": max(pipeline) * 1e3,
        "monitor_vs_bare": median(pipeline) / median(bare),
        "daemon_e2e_s": e2e,
        "daemon_e2e_interval_s": 0.5,
    }


def _more_than(receiver: Receiver, count: int) -> bool:
    return len(receiver.arrivals) > count


def _alert_e2e(server: SimServer, receiver: Receiver) -> float:
    url = server.page_url("alert-e2e", era=2025, idle=0)
    env = {
        "WATCHDOG_INTERVAL": "500ms",
        "WATCHDOG_MAX_LIFETIME": "8s",
        "WATCHDOG_WARN_BEFORE": "4s",
        "WATCHDOG_IDLE_TIMEOUT": "60s",
        "WATCHDOG_NOTIFY": receiver.url(),
    }
    with daemon_process([url], env) as daemon:
        state_path = daemon.workdir / "state.json"
        count = len(receiver.arrivals)

        def deadline() -> str | None:
            with contextlib.suppress(OSError, ValueError, KeyError):
                record = json.loads(state_path.read_text())["notebooks"][url]
                return str(record["lifetime_deadline"]) if record["lifetime_deadline"] else None
            return None

        deadline_iso = wait_for(deadline, 60, "the session's lifetime deadline")
        wait_for(lambda: len(receiver.arrivals) > count, 30, "the lifetime warning")
        arrived_mono, title = receiver.deliveries[count].mono, receiver.deliveries[count].title
        if "warning" not in title:
            raise RuntimeError(f"bench: expected a lifetime warning first, got {title!r}")
        arrived_wall = datetime.now(UTC) - timedelta(seconds=time.monotonic() - arrived_mono)
        crossing = datetime.fromisoformat(deadline_iso.replace("Z", "+00:00")) - timedelta(
            seconds=4
        )
        return (arrived_wall - crossing).total_seconds()
