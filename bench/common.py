"""Shared pieces of the benchmarks: timing statistics, browsers, the daemon as a process and
process-tree footprints (the webhook receiver is bench/webhook.py, shared with the tests).

Everything runs against the simulated Colab (`watchdog.sim.SimServer`) in headless Chromium;
every browser and process started here is ended here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from watchdog.adapters.browser import BrowserConfig, SeleniumBrowser

ENGINE_OPTIONS: dict[str, Any] = {"reconnect": False, "selectors": None, "maxDepth": 8}
# What the daemon passes by default (WATCHDOG_INPUT=browser): the engine plans, the browser acts.
BROWSER_INPUT: dict[str, Any] = {**ENGINE_OPTIONS, "actuator": "browser", "activity_level": 0}
VENV_BIN = Path(sys.executable).parent


def chrome_paths() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        raise SystemExit("bench: chromium/chromedriver not found (apt-get install chromium)")
    return browser, driver


def chromium_version() -> str:
    browser, _ = chrome_paths()
    out = subprocess.run([browser, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "unknown"


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


# ---------------------------------------------------------------- statistics


def quantile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by nearest rank: p99 of 300 samples is the 297th smallest."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# ---------------------------------------------------------------- browsers


def launch_browser(profile: Path, label: str = "bench") -> SeleniumBrowser:
    """A started launch-mode SeleniumBrowser (the daemon's real adapter) on `profile`."""
    browser_bin, driver = chrome_paths()
    config = BrowserConfig(
        mode="launch",
        chrome_binary=browser_bin,
        chromedriver=driver,
        profile_dir=profile,
        env=dict(os.environ),
    )
    browser = SeleniumBrowser(config, label=label)
    browser.start()
    return browser


def tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def rss_mb(procs: list[psutil.Process]) -> float:
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += proc.memory_info().rss
    return total / 2**20


def pss_mb(procs: list[psutil.Process]) -> float:
    """Proportional set size: shared pages split between the processes sharing them, so a
    process tree's sum is not inflated the way summed RSS is."""
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += proc.memory_full_info().pss
    return total / 2**20


def cpu_seconds(procs: list[psutil.Process]) -> float:
    total = 0.0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"bench: timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.02)


# ---------------------------------------------------------------- the daemon as a process


@dataclass
class DaemonProcess:
    """`colab-watchdog run URL...` as a child process; stderr lines are time-stamped as they
    arrive (monotonic), so "first tick" is measured without polling a file."""

    urls: list[str]
    workdir: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    lines: list[tuple[float, str]] = field(default_factory=list)
    started: float = 0.0

    def __post_init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
        env.pop("NOTIFY_SOCKET", None)
        env.update(
            WATCHDOG_PROFILE_DIR=str(self.workdir / "profile"),
            WATCHDOG_STATE_FILE=str(self.workdir / "state.json"),
            WATCHDOG_INTERVAL="60s",
            WATCHDOG_LOG_LEVEL="INFO",
            XDG_STATE_HOME=str(self.workdir / "xdg-state"),
            XDG_DATA_HOME=str(self.workdir / "xdg-data"),
        )
        env.update(self.env_extra)
        self._lock = threading.Lock()
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "colab-watchdog"), "run", *self.urls],
            env=env,
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._lock:
                self.lines.append((time.monotonic(), line))

    def tick_times(self, url: str | None = None) -> list[float]:
        with self._lock:
            return [
                t
                for t, line in self.lines
                if "| tick " in line
                and " state=" in line
                and (url is None or f"tick {url} " in line)
            ]

    def ticked_all(self) -> bool:
        return all(self.tick_times(url) for url in self.urls)

    def wait_ticks(self, count: int, timeout: float) -> None:
        def enough() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError("bench: the daemon exited:\n" + self.tail())
            return len(self.tick_times()) >= count

        wait_for(enough, timeout, f"{count} ticks")

    def wait_all_ticked(self, timeout: float) -> None:
        def done() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError("bench: the daemon exited:\n" + self.tail())
            return self.ticked_all()

        wait_for(done, timeout, "a tick of every notebook")

    def tail(self, n: int = 30) -> str:
        with self._lock:
            return "".join(line for _, line in self.lines[-n:])

    def processes(self) -> list[psutil.Process]:
        return tree(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # only what this run started
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)


@contextlib.contextmanager
def daemon_process(
    urls: list[str], env_extra: dict[str, str] | None = None
) -> Iterator[DaemonProcess]:
    with tempfile.TemporaryDirectory(prefix="bench-daemon-") as tmp:
        daemon = DaemonProcess(urls, Path(tmp), env_extra or {})
        try:
            yield daemon
        finally:
            daemon.stop()
