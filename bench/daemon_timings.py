"""Daemon timings against the simulated Colab: start to first tick, sweep time for 1 and 10
notebooks, recovery after `kill -9` of the browser and of chromedriver.

    .venv/bin/python bench/daemon_timings.py [--repeat 3]

Needs chromium + chromedriver. Prints one line per figure (median of the repeats, and range).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loguru import logger

from watchdog.adapters.browser import BrowserConfig, SeleniumBrowser
from watchdog.adapters.clock import SystemClock
from watchdog.adapters.scheduler import ScheduleScheduler
from watchdog.core.model import TickResult
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.daemon.ports import Listener
from watchdog.sim import SimServer

OPTIONS = {"reconnect": False, "selectors": None, "maxDepth": 8}


class FirstTicks(Listener):
    def __init__(self) -> None:
        self.ok: list[float] = []
        self.event = threading.Event()

    def on_tick(self, result: TickResult) -> None:
        if result.ok:
            self.ok.append(time.monotonic())
            self.event.set()


def browser(tmp: str) -> SeleniumBrowser:
    return SeleniumBrowser(
        BrowserConfig(profile_dir=Path(tempfile.mkdtemp(dir=tmp)), env=dict(os.environ))
    )


def start_to_first_tick(sim: SimServer, tmp: str) -> float:
    listener = FirstTicks()
    stop = threading.Event()
    daemon = Daemon(
        [(browser(tmp), [sim.page_url("b", era=2025, idle=60)])],
        DaemonConfig(interval=60, options=OPTIONS),
        clock=SystemClock(),
        scheduler=ScheduleScheduler(),
        listeners=[listener],
        stop_event=stop,
    )
    began = time.monotonic()
    thread = threading.Thread(target=daemon.run)
    thread.start()
    listener.event.wait(120)
    first = listener.ok[0] - began
    stop.set()
    thread.join()
    return first


def sweep_time(sim: SimServer, tmp: str, notebooks: int, sweeps: int = 10) -> float:
    urls = [
        sim.page_url(f"n{i}", era=("2019", "2021", "2023", "2025")[i % 4], idle=60)
        for i in range(notebooks)
    ]
    daemon = Daemon(
        [(browser(tmp), urls)], DaemonConfig(interval=60, options=OPTIONS), clock=SystemClock()
    )
    daemon.start()
    try:
        daemon.sweep()  # warm-up
        times = []
        for _ in range(sweeps):
            began = time.perf_counter()
            results = daemon.sweep()
            times.append(time.perf_counter() - began)
            assert all(r.ok for r in results), results
        return statistics.median(times)
    finally:
        daemon.close()


def recovery(sim: SimServer, tmp: str, victim: int, interval: float = 1.0) -> float:
    """Seconds from kill -9 (0 = browser, 1 = chromedriver) to the next good tick."""
    listener = FirstTicks()
    stop = threading.Event()
    b = browser(tmp)
    daemon = Daemon(
        [(b, [sim.page_url("r", era=2025, idle=60)])],
        DaemonConfig(interval=interval, options=OPTIONS),
        clock=SystemClock(),
        scheduler=ScheduleScheduler(),
        listeners=[listener],
        stop_event=stop,
    )
    thread = threading.Thread(target=daemon.run)
    thread.start()
    try:
        while len(listener.ok) < 2:
            time.sleep(0.05)
        killed = time.monotonic()
        os.kill(b.pids[victim], signal.SIGKILL)
        while not [t for t in listener.ok if t > killed + 0.05]:
            time.sleep(0.02)
        return next(t for t in listener.ok if t > killed + 0.05) - killed
    finally:
        stop.set()
        thread.join()


def report(name: str, values: list[float]) -> None:
    print(
        f"{name:<48} median {statistics.median(values):7.3f}s   "
        f"range {min(values):.3f}-{max(values):.3f}s   n={len(values)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logger.remove()
    logger.add(sys.stderr, level="ERROR")
    with SimServer() as sim, tempfile.TemporaryDirectory() as tmp:
        report(
            "start to first tick (launch, 1 notebook)",
            [start_to_first_tick(sim, tmp) for _ in range(args.repeat)],
        )
        for n in (1, 10):
            sweep = [sweep_time(sim, tmp, n) for _ in range(args.repeat)]
            report(f"sweep of {n} notebook(s) in one browser", sweep)
            report(f"  per notebook ({n})", [s / n for s in sweep])
        report(
            "browser kill -9 -> next good tick (interval 1s)",
            [recovery(sim, tmp, 0) for _ in range(args.repeat)],
        )
        report(
            "chromedriver kill -9 -> next good tick (interval 1s)",
            [recovery(sim, tmp, 1) for _ in range(args.repeat)],
        )


if __name__ == "__main__":
    main()
