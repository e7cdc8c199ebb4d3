"""The real daemon as a process, watched from outside, for the fault-injection tests.

    run = DaemonRun(tmp_path, [url_a, url_b], {"WATCHDOG_INTERVAL": "500ms"})
    run.wait_ticking([url_a, url_b])          # every notebook ticks (state file ticks_ok)
    run.close_tab(url_a); run.evaluate(url_b, "location.reload()")   # via DevTools
    run.stop() == 0; run.assert_no_orphans(); run.assert_state_always_valid()

The state file is parsed every 50 ms for the whole run (a reader thread): "the state file
stays valid JSON" is checked at every moment a reader could look, not only at the end.
Tabs are reached through the browser's own DevTools endpoint (the port Chromium writes to
`<profile>/DevToolsActivePort`), so the test never shares the daemon's WebDriver session.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psutil

from tests.helpers import wait_until
from watchdog.adapters.browser import same_notebook


class DaemonRun:
    """`python -m watchdog run URL...` in its own process group, with private dirs."""

    def __init__(
        self,
        tmp: Path,
        urls: list[str],
        env_extra: dict[str, str] | None = None,
        *,
        name: str = "daemon",
        args: Iterable[str] = (),
    ) -> None:
        self.tmp = tmp
        self.urls = urls
        self.profile = tmp / "profile"
        self.state_path = tmp / "state" / "state.json"
        self.stderr_path = tmp / f"{name}.stderr"
        self.stdout_path = tmp / f"{name}.stdout"
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("WATCHDOG_") and k != "NOTIFY_SOCKET"
        }
        env.update(
            WATCHDOG_INTERVAL="500ms",
            WATCHDOG_IDLE_TIMEOUT="60s",
            WATCHDOG_PROFILE_DIR=str(self.profile),
            WATCHDOG_STATE_FILE=str(self.state_path),
            WATCHDOG_LOG_LEVEL="INFO",
            WATCHDOG_LOG_FILE=str(tmp / f"{name}.log"),
            XDG_STATE_HOME=str(tmp / "xdg-state"),
            XDG_DATA_HOME=str(tmp / "xdg-data"),
        )
        env.update(env_extra or {})
        self.env = env
        self._stderr = self.stderr_path.open("w")
        self._stdout = self.stdout_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "watchdog", "run", *args, *urls],
            env=env,
            cwd=tmp,
            stdout=self._stdout,
            stderr=self._stderr,
            start_new_session=True,
        )
        self.seen_pids: set[int] = set()
        self.invalid_states: list[str] = []
        self.states_read = 0
        self._watching = True
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    # -- watching ------------------------------------------------------------------------------

    def _watch(self) -> None:
        while self._watching:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError, PermissionError):
                text = self.state_path.read_text()
                try:
                    json.loads(text)
                    self.states_read += 1
                except (ValueError, RecursionError):
                    if self.states_read:  # garbage a test planted before the daemon wrote
                        self.invalid_states.append(text[:200])
            self.seen_pids.update(p.pid for p in self.descendants())
            time.sleep(0.05)

    def descendants(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def state(self) -> dict[str, Any]:
        return dict(json.loads(self.state_path.read_text()))

    def notebook(self, url: str) -> dict[str, Any]:
        try:
            return dict(self.state()["notebooks"].get(url) or {})
        except (OSError, ValueError, RecursionError):  # a test may plant a nested state
            return {}

    def ticks(self, url: str) -> int:
        return int(self.notebook(url).get("ticks_ok", 0))

    def ticks_failed(self, url: str) -> int:
        return int(self.notebook(url).get("ticks_failed", 0))

    def text(self) -> str:
        """Everything the daemon wrote: stderr, stdout and its log file(s)."""
        self._stderr.flush()
        self._stdout.flush()
        parts = [self.stderr_path.read_text(), self.stdout_path.read_text()]
        parts += [p.read_text() for p in sorted(self.tmp.glob("*.log*"))]
        return "\n".join(parts)

    def tail(self, lines: int = 40) -> str:
        self._stderr.flush()
        return "\n".join(self.stderr_path.read_text().splitlines()[-lines:])

    def wait(self, predicate: Callable[[], Any], timeout: float, message: str) -> Any:
        """wait_until, failing with the daemon's last stderr lines (and fast if it died)."""

        def check() -> Any:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"the daemon exited ({self.proc.returncode}) while waiting for {message}"
                    f"\n--- stderr ---\n{self.tail()}"
                )
            return predicate()

        try:
            return wait_until(check, timeout=timeout, interval=0.1, message=message)
        except AssertionError as exc:
            if "daemon exited" in str(exc):
                raise
            raise AssertionError(f"{exc}\n--- daemon stderr ---\n{self.tail()}") from None

    def wait_ticking(
        self, urls: list[str] | None = None, more: int = 2, timeout: float = 60
    ) -> None:
        """Wait until each notebook's ticks_ok grew by `more` from now."""
        urls = urls or self.urls
        base = {url: self.ticks(url) for url in urls}
        self.wait(
            lambda: all(self.ticks(u) >= base[u] + more for u in urls),
            timeout,
            f"{more} more ticks of {len(urls)} notebook(s) (from {base})",
        )

    # -- the browser, from outside -------------------------------------------------------------

    def browser_pid(self) -> int:
        """The main Chromium process (the one chromedriver started)."""
        for proc in self.descendants():
            with contextlib.suppress(psutil.NoSuchProcess):
                if "chromedriver" in proc.parent().name() and "chrom" in proc.name():
                    return proc.pid
        raise AssertionError("no browser process under the daemon")

    def driver_pid(self) -> int:
        for proc in self.descendants():
            with contextlib.suppress(psutil.NoSuchProcess):
                if proc.name() == "chromedriver" and proc.ppid() == self.proc.pid:
                    return proc.pid
        raise AssertionError("no chromedriver process under the daemon")

    def devtools(self) -> str:
        port = (self.profile / "DevToolsActivePort").read_text().split()[0]
        return f"http://127.0.0.1:{port}"

    def tabs(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.devtools()}/json/list", timeout=5) as response:
            return [t for t in json.loads(response.read()) if t.get("type") == "page"]

    def tab(self, url: str) -> dict[str, Any]:
        for tab in self.tabs():
            if same_notebook(tab["url"], url):
                return tab
        raise AssertionError(f"no tab shows {url}: {[t['url'] for t in self.tabs()]}")

    def close_tab(self, url: str) -> None:
        target = self.tab(url)["id"]
        with urllib.request.urlopen(f"{self.devtools()}/json/close/{target}", timeout=5):
            pass

    def evaluate(self, url: str, expression: str) -> Any:
        """Run `expression` in the notebook's tab through the DevTools protocol."""
        import websocket

        ws = websocket.create_connection(
            self.tab(url)["webSocketDebuggerUrl"], timeout=10, suppress_origin=True
        )
        try:
            ws.send(
                json.dumps(
                    {"id": 1, "method": "Runtime.evaluate", "params": {"expression": expression}}
                )
            )
            while True:
                reply = json.loads(ws.recv())
                if reply.get("id") == 1:
                    return reply.get("result")
        finally:
            ws.close()

    # -- ending ----------------------------------------------------------------------------------

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM; returns the exit code (the process group is killed if it hangs)."""
        self.seen_pids.update(p.pid for p in self.descendants())
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"the daemon did not stop on SIGTERM\n{self.tail()}") from None
        finally:
            self._watching = False
            self._watcher.join(timeout=5)

    def kill(self) -> None:
        """Last resort: end this run's process group (daemon, driver, browser)."""
        self._watching = False
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        for f in (self._stderr, self._stdout):
            f.close()

    def assert_no_orphans(self) -> None:
        """No browser or driver process this run ever started is still alive."""

        def alive() -> list[str]:
            left = []
            for pid in self.seen_pids:
                with contextlib.suppress(psutil.NoSuchProcess):
                    proc = psutil.Process(pid)
                    if proc.status() != psutil.STATUS_ZOMBIE:
                        left.append(f"{pid} {proc.name()}")
            return left

        # The OS reaps killed trees asynchronously: wait on the condition.
        try:
            wait_until(lambda: not alive(), timeout=15, message="every child process gone")
        except AssertionError:
            raise AssertionError(f"orphaned processes: {alive()}") from None

    def assert_state_always_valid(self) -> None:
        assert self.states_read > 0, "the state file was never readable"
        assert not self.invalid_states, f"invalid state file seen: {self.invalid_states[:3]}"
        state = self.state()
        assert state["schema_version"] == 1
        assert state["daemon"]["running"] is False, "the state still says running after stop"

    def alert_keys(self) -> list[tuple[str, str]]:
        """(notebook URL, alert key) of every alert recorded in the state file."""
        return [
            (url, alert["key"])
            for url, nb in self.state()["notebooks"].items()
            for alert in nb.get("alerts_sent", [])
        ]
