"""The real daemon under a fake systemd: `colab-watchdog run` with NOTIFY_SOCKET set.

A unix datagram socket bound in a temp dir stands in for systemd's notify socket. The daemon
(a subprocess, launch mode, real headless Chromium, the simulated Colab, interval 1 s) must send
READY=1 once, then WATCHDOG=1 after every sweep, and STOPPING=1 on SIGTERM. While its browser
is frozen (SIGSTOP) the loop cannot complete a sweep, so the pings must stop: that is what lets
systemd's WatchdogSec restart a hung daemon. The Docker HEALTHCHECK (`status --check`) passes
while the daemon runs and fails once it stopped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.helpers import chrome_paths
from watchdog.sim import SimServer


class NotifyListener:
    """A bound AF_UNIX datagram socket collecting (monotonic time, fields) messages."""

    def __init__(self) -> None:
        # AF_UNIX paths are limited to ~107 bytes: use a short private dir, not tmp_path.
        self.dir = tempfile.mkdtemp(prefix="cw-sd-")
        self.path = str(Path(self.dir) / "notify")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.messages: list[tuple[float, list[str]]] = []

    def receive_until(self, predicate: object, timeout: float) -> list[str]:
        """Collect messages until one satisfies predicate(fields); return it or fail."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                shown = [m for _, m in self.messages[-5:]]
                raise AssertionError(f"no matching notify message in {timeout}s; last: {shown}")
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            fields = data.decode().split("\n")
            self.messages.append((time.monotonic(), fields))
            if predicate(fields):  # type: ignore[operator]
                return fields

    def drain(self, seconds: float) -> list[list[str]]:
        """Collect every message arriving within `seconds`."""
        got: list[list[str]] = []
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                break
            fields = data.decode().split("\n")
            self.messages.append((time.monotonic(), fields))
            got.append(fields)
        return got

    def close(self) -> None:
        self.sock.close()
        Path(self.path).unlink(missing_ok=True)
        Path(self.dir).rmdir()


@pytest.fixture
def notify_socket() -> Iterator[NotifyListener]:
    listener = NotifyListener()
    try:
        yield listener
    finally:
        listener.close()


def colab_watchdog() -> list[str]:
    exe = Path(sys.executable).parent / "colab-watchdog"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "watchdog"]


def browser_processes(daemon: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in daemon.children(recursive=True):
        try:
            if "chrom" in child.name() and "chromedriver" not in child.name():
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


def is_ping(fields: list[str]) -> bool:
    return "WATCHDOG=1" in fields


def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WATCHDOG_", "NOTIFY_SOCKET"))
    }
    env |= {
        "WATCHDOG_STATE_FILE": str(tmp_path / "state.json"),
        "WATCHDOG_PROFILE_DIR": str(tmp_path / "profile"),
    }
    return env


def test_an_interval_too_long_for_watchdogsec_is_refused_at_start(
    notify_socket: NotifyListener, tmp_path: Path
) -> None:
    env = clean_env(tmp_path) | {
        "NOTIFY_SOCKET": notify_socket.path,
        "WATCHDOG_USEC": "300000000",  # WatchdogSec=300
        "WATCHDOG_INTERVAL": "5m",
    }
    done = subprocess.run(
        [*colab_watchdog(), "run", "http://127.0.0.1:9/notebook"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "WatchdogSec" in done.stderr and "WATCHDOG_INTERVAL" in done.stderr
    assert notify_socket.drain(0.2) == []  # no READY=1 for a daemon that never started


@pytest.mark.browser
@pytest.mark.slow
def test_ready_then_watchdog_pings_only_while_the_loop_runs(
    notify_socket: NotifyListener, sim_server: SimServer, tmp_path: Path
) -> None:
    if None in chrome_paths():
        pytest.skip(
            "chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
        )
    env = clean_env(tmp_path) | {
        "NOTIFY_SOCKET": notify_socket.path,
        "WATCHDOG_USEC": "30000000",  # WatchdogSec=30, as systemd would set it
        "WATCHDOG_INTERVAL": "1s",
        "WATCHDOG_IDLE_TIMEOUT": "30s",
        "WATCHDOG_MAX_LIFETIME": "1h",
        "WATCHDOG_WARN_BEFORE": "none",
    }
    url = sim_server.page_url(era=2025, idle=30)
    proc = subprocess.Popen(
        [*colab_watchdog(), "run", url],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    daemon = psutil.Process(proc.pid)
    frozen: list[psutil.Process] = []
    try:
        ready = notify_socket.receive_until(lambda f: "READY=1" in f, timeout=90)
        ready_at = notify_socket.messages[-1][0]
        assert ready[0] == "READY=1"
        for _ in range(3):
            notify_socket.receive_until(is_ping, timeout=30)
        pings = [t for t, f in notify_socket.messages if is_ping(f)]
        assert len(pings) >= 3 and all(t >= ready_at for t in pings)
        assert sum("READY=1" in f for _, f in notify_socket.messages) == 1
        # The Docker HEALTHCHECK command agrees: a live daemon wrote its state recently.
        health = subprocess.run(
            [*colab_watchdog(), "status", "--check"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert health.returncode == 0, health.stdout + health.stderr

        # Freeze the browser: the loop blocks inside a WebDriver call and must stop pinging.
        frozen = browser_processes(daemon)
        assert frozen, "no browser process under the daemon"
        for process in frozen:
            process.suspend()
        notify_socket.drain(2.5)  # a sweep already past the browser may still finish
        during = notify_socket.drain(6)
        assert not any(is_ping(f) for f in during), f"pinged while hung: {during}"
        for process in frozen:
            process.resume()
        frozen = []
        notify_socket.receive_until(is_ping, timeout=60)

        proc.send_signal(signal.SIGTERM)
        notify_socket.receive_until(lambda f: "STOPPING=1" in f, timeout=30)
        assert proc.wait(timeout=30) == 0
        stopped = subprocess.run(
            [*colab_watchdog(), "status", "--check"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert stopped.returncode == 1, "healthy after the daemon stopped"
    finally:
        for process in frozen:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.resume()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        output = proc.stdout.read() if proc.stdout else ""
        for child in daemon.children(recursive=True) if daemon.is_running() else []:
            child.kill()
    assert "Traceback" not in output, output[-3000:]
