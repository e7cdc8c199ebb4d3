"""Browser adapter pieces without a browser, with real processes, sockets and locks: profile
locks, process ends, attach address policy, the tab list, credentials in logs, start-up.
The pure rules (driver order, translation, URL matching):
tests/unit/test_browser_adapter_rules.py."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from loguru import logger

from tests.helpers import wait_until
from watchdog.adapters.browser import BrowserConfig, SeleniumBrowser
from watchdog.adapters.browser import processes as processes_mod
from watchdog.adapters.browser import startup as startup_mod
from watchdog.adapters.browser.attach import colab_tabs, parse_attach_address
from watchdog.adapters.browser.processes import capture, kill_trees
from watchdog.adapters.browser.profile import clean_stale_locks, ensure_profile_dir
from watchdog.errors import (
    BrowserLost,
    BrowserUnavailable,
    ConfigError,
)


def exe(path: Path, code: int = 0) -> str:
    path.write_text(f"#!/bin/sh\nexit {code}\n")
    path.chmod(0o755)
    return str(path)


# -- profile and locks ---------------------------------------------------------------------


def _lock(profile: Path, host: str, pid: int) -> None:
    profile.mkdir(exist_ok=True)
    (profile / "SingletonLock").symlink_to(f"{host}-{pid}")
    (profile / "SingletonSocket").symlink_to("/tmp/nonexistent-socket")
    (profile / "SingletonCookie").symlink_to("12345")


def test_stale_lock_of_a_dead_browser_is_removed(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    dead = subprocess.Popen(["true"])
    dead.wait()
    _lock(profile, socket.gethostname(), dead.pid)
    assert clean_stale_locks(profile) is True
    assert not any(profile.iterdir())
    assert clean_stale_locks(profile) is False


def test_lock_of_a_live_browser_fails_loudly(tmp_path: Path) -> None:
    fake_chromium = tmp_path / "chromium"
    fake_chromium.write_bytes(Path("/bin/sleep").read_bytes())
    fake_chromium.chmod(0o755)
    proc = subprocess.Popen([str(fake_chromium), "30"])
    try:
        profile = tmp_path / "p"
        _lock(profile, socket.gethostname(), proc.pid)
        with pytest.raises(BrowserUnavailable, match=f"pid {proc.pid}"):
            clean_stale_locks(profile)
        assert (profile / "SingletonLock").is_symlink()
    finally:
        proc.kill()
        proc.wait()


def test_lock_owned_by_a_live_non_browser_pid_is_stale(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    _lock(profile, socket.gethostname(), os.getpid())  # pytest is not a browser: pid reused
    assert clean_stale_locks(profile) is True


# -- attach address --------------------------------------------------------------------------


def test_attach_address_policy() -> None:
    assert parse_attach_address("127.0.0.1:9222", allow_remote=False) == ("127.0.0.1", 9222)
    assert parse_attach_address("localhost:9222", allow_remote=False)[1] == 9222
    assert parse_attach_address("[::1]:9222", allow_remote=False) == ("::1", 9222)
    with pytest.raises(ConfigError, match="not a loopback"):
        parse_attach_address("192.168.1.5:9222", allow_remote=False)
    assert parse_attach_address("192.168.1.5:9222", allow_remote=True)[0] == "192.168.1.5"
    with pytest.raises(ConfigError, match=r"^--attach/WATCHDOG_ATTACH_ADDRESS='9222': use HOST"):
        parse_attach_address("9222", allow_remote=False)


def _serve_tabs(tabs: list[dict[str, str]]) -> tuple[ThreadingHTTPServer, int]:
    """A DevTools endpoint on 127.0.0.1 that lists `tabs` at /json/list."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(tabs).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, server.server_address[1]


def test_colab_tabs_lists_each_colab_page_once_and_skips_malformed_urls() -> None:
    colab = "https://colab.research.google.com/drive/1abc"
    server, port = _serve_tabs(
        [
            {"id": "1", "type": "page", "url": colab},
            {"id": "2", "type": "page", "url": colab},
            {"id": "3", "type": "page", "url": "http://[::1/not-a-url"},
            {"id": "4", "type": "page", "url": "https://example.com/"},
            {"id": "5", "type": "service_worker", "url": "https://colab.research.google.com/sw"},
            {"id": "6", "type": "page", "url": "https://COLAB.research.google.com:443/drive/2"},
        ]
    )
    try:
        found = colab_tabs(f"127.0.0.1:{port}", allow_remote=False)
    finally:
        server.shutdown()
        server.server_close()
    assert found == [colab, "https://COLAB.research.google.com:443/drive/2"]


# -- session lifecycle without a real browser --------------------------------------------------


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    lines: list[str] = []
    sink = logger.add(lambda m: lines.append(str(m)), level="DEBUG", format="{message}")
    yield lines
    logger.remove(sink)


def test_remote_url_credentials_never_reach_the_log_or_the_error(log_lines: list[str]) -> None:
    with socket.socket() as sock:  # a port nothing listens on: connecting is refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://grid-user:s3cretpw@127.0.0.1:{port}"
    browser = SeleniumBrowser(BrowserConfig(mode="remote", remote_url=url, remote_timeout=10))
    with pytest.raises(BrowserLost) as info:
        browser.start()
    shown = f"{info.value.message} {info.value.hint or ''} " + " ".join(log_lines)
    assert "s3cretpw" not in shown and "grid-user" not in shown, shown
    assert f"http://***@127.0.0.1:{port}" in info.value.message  # it still says where it tried
    assert any(f"http://***@127.0.0.1:{port}" in line for line in log_lines), log_lines


# A process whose main thread exits while another thread runs on: on Linux the main thread
# shows as a zombie while the process still holds its files and sockets.
_LEADER_EXITS_FIRST = """
import ctypes, sys, threading, time
threading.Thread(target=lambda: (time.sleep(30))).start()
print("ready", flush=True)
ctypes.CDLL(None).syscall(%d, 0)  # SYS_exit: this thread only
"""
_SYS_EXIT = {"x86_64": 60, "aarch64": 93}


@pytest.mark.skipif(
    sys.platform != "linux" or os.uname().machine not in _SYS_EXIT, reason="Linux syscall"
)
def test_a_zombie_main_thread_with_threads_left_is_not_yet_dead() -> None:
    """After a kill the browser's main thread turns zombie before its other threads have
    closed its sockets; recovery must wait for those, or the profile still looks in use."""
    child = subprocess.Popen(
        [sys.executable, "-c", _LEADER_EXITS_FIRST % _SYS_EXIT[os.uname().machine]],
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        proc = capture(child.pid)
        assert proc is not None
        wait_until(lambda: proc.status() == "zombie", timeout=10)
        assert proc.num_threads() == 2
        assert not processes_mod._dead(proc)
        assert kill_trees([proc]) == 1  # signalled, then waited for until all threads left
        assert processes_mod._dead(proc)
    finally:
        child.kill()
        child.wait()


def test_kill_trees_skips_a_recorded_process_that_exited_or_whose_pid_was_reused() -> None:
    gone = subprocess.Popen(["sleep", "30"])
    recorded = capture(gone.pid)
    gone.kill()
    gone.wait()
    assert recorded is not None and kill_trees([recorded]) == 0
    other = subprocess.Popen(["sleep", "30"])
    try:
        stale = capture(other.pid)
        assert stale is not None
        # psutil tells processes apart by (pid, creation time). A record of an earlier process
        # whose PID the kernel has since handed to `other` differs only in the creation time.
        stale._ident = (other.pid, stale._ident[1] - 5.0)
        assert kill_trees([stale]) == 0
        assert other.poll() is None  # the stranger holding the reused PID still runs
        assert kill_trees([capture(other.pid)]) == 1  # the process itself is killed
        assert other.wait(timeout=5) is not None
    finally:
        other.kill()
        other.wait()


def test_driver_and_profile_are_resolved_once_and_locks_cleaned_on_every_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        return wrapper

    for name in ("resolve_browser_binary", "ensure_profile_dir", "resolve_chromedriver"):
        monkeypatch.setattr(startup_mod, name, counting(name, getattr(startup_mod, name)))
    profile = tmp_path / "profile"
    config = BrowserConfig(
        mode="launch",
        chrome_binary=exe(tmp_path / "chromium"),
        chromedriver=exe(tmp_path / "chromedriver", code=1),  # every start fails at once
        profile_dir=profile,
        env={"PATH": str(tmp_path / "empty")},
    )
    browser = SeleniumBrowser(config)
    dead = subprocess.Popen(["true"])
    dead.wait()
    for attempt in (browser.start, browser.recover, browser.recover):
        _lock(profile, socket.gethostname(), dead.pid)
        with pytest.raises(BrowserUnavailable, match="cannot start the browser"):
            attempt()
        assert not (profile / "SingletonLock").is_symlink()  # stale locks removed each time
    assert sorted(calls) == ["ensure_profile_dir", "resolve_browser_binary", "resolve_chromedriver"]


def test_a_lock_whose_socket_answers_is_kept_whatever_host_it_names(tmp_path: Path) -> None:
    """Docker with a shared volume: the lock names another host, but a browser listens."""
    profile = tmp_path / "p"
    profile.mkdir()
    sock_path = tmp_path / "s" / "SingletonSocket"
    sock_path.parent.mkdir()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(sock_path))
    server.listen(1)
    try:
        (profile / "SingletonLock").symlink_to("other-container-4242")
        (profile / "SingletonSocket").symlink_to(sock_path)
        with pytest.raises(BrowserUnavailable, match="host 'other-container', pid 4242"):
            clean_stale_locks(profile, end_orphans=True)
        assert (profile / "SingletonLock").is_symlink()
    finally:
        server.close()
    # Nobody answers any more: the other host's lock is stale now.
    assert clean_stale_locks(profile) is True
    assert not (profile / "SingletonLock").is_symlink()


def test_profile_lock_is_exclusive_and_names_the_holder(tmp_path: Path) -> None:
    from watchdog.adapters.browser.profile import hold_profile_lock
    from watchdog.errors import ConfigError

    profile = ensure_profile_dir(tmp_path / "p")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from watchdog.adapters.browser.profile import hold_profile_lock;"
            "h = hold_profile_lock(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)",
            str(profile),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ConfigError, match=f"pid {holder.pid}"):
            hold_profile_lock(profile)
    finally:
        holder.kill()
        holder.wait()
    hold_profile_lock(profile).release()  # SIGKILL released it: nothing stale to clean
