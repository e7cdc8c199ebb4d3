"""End to end: the real daemon (`colab-watchdog run` as a process, headless Chromium) against
the simulated Colab, alerts to a real `json://` receiver on 127.0.0.1, accelerated limits.

Lifetime 24 s with margins 16 s and 8 s at a 1 s interval: each warning arrives once within
2 intervals of its moment, then `lifetime-reached`; a stop and restart in the middle repeats
nothing; a page disconnect gives `disconnected`, a captcha gives `captcha`; the notify URL's
token never appears in the daemon's stderr or log file.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.webhook import Receiver
from tests.helpers import chrome_paths, wait_until
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET = "SECRETTOKEN"
INTERVAL = 1.0


@pytest.fixture(autouse=True)
def _need_chrome() -> None:
    if None in chrome_paths():
        pytest.skip(
            "chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
        )


class DaemonRun:
    """`colab-watchdog run URL...` as a child process in its own process group."""

    def __init__(self, tmp: Path, env: dict[str, str], urls: list[str], name: str) -> None:
        self.stderr_path = tmp / f"{name}.stderr"
        self._stderr = self.stderr_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "watchdog", "run", *urls],
            env=env,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            start_new_session=True,
        )

    def tail(self, lines: int = 40) -> str:
        self._stderr.flush()
        return "\n".join(self.stderr_path.read_text().splitlines()[-lines:])

    def wait_for(self, predicate: Any, timeout: float, message: str) -> None:
        """wait_until, with the daemon's last stderr lines in the failure message."""
        try:
            wait_until(predicate, timeout=timeout, message=message)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n--- daemon stderr ---\n{self.tail()}") from None

    def stop(self, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.kill()

    def kill(self) -> None:
        """Last resort: end the process group this test started (daemon, driver, browser)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        self._stderr.close()


@pytest.fixture
def daemon_env(tmp_path: Path, receiver: Receiver) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WATCHDOG_", "NOTIFY_SOCKET"))}
    env.update(
        WATCHDOG_INTERVAL=f"{INTERVAL:g}s",
        WATCHDOG_IDLE_TIMEOUT="10s",
        WATCHDOG_NOTIFY=receiver.url("/hook", userinfo=f"user:{SECRET}"),
        WATCHDOG_STATE_FILE=str(tmp_path / "state" / "state.json"),
        WATCHDOG_PROFILE_DIR=str(tmp_path / "profile"),
        WATCHDOG_LOG_FILE=str(tmp_path / "watchdog.log"),
        WATCHDOG_LOG_LEVEL="DEBUG",  # the most talkative level must not leak either
        XDG_STATE_HOME=str(tmp_path / "xdg-state"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
    )
    return env


@pytest.fixture
def runs() -> Iterator[list[DaemonRun]]:
    started: list[DaemonRun] = []
    yield started
    for run in started:
        run.kill()


def kinds_for(receiver: Receiver, title_part: str) -> list[str]:
    return [t for _, t in list(receiver.arrivals) if title_part in t]


def assert_no_secret(tmp_path: Path, runs: list[DaemonRun]) -> None:
    texts = {str(r.stderr_path): r.stderr_path.read_text() for r in runs}
    logs = sorted(tmp_path.glob("watchdog*.log*"))
    assert logs, "the daemon wrote no log file"
    texts.update({str(p): p.read_text() for p in logs})
    for where, text in texts.items():
        assert text.strip(), f"{where} is empty"
        assert SECRET not in text, f"the notify token leaked into {where}"
        assert "Traceback" not in text, f"{where}:\n{text[-3000:]}"


def state_of(tmp_path: Path) -> dict[str, Any]:
    return json.loads((tmp_path / "state" / "state.json").read_text())


def test_lifetime_warnings_once_on_time_across_a_restart(
    tmp_path: Path,
    sim_server: SimServer,
    receiver: Receiver,
    daemon_env: dict[str, str],
    runs: list[DaemonRun],
) -> None:
    # A saved session counts as stale (a new runtime, whose warnings are due again) when no
    # tick saw it for an idle timeout. On a loaded machine the restart below took more than
    # 10 s now and then, so this test gives the restart 30 s, and 20 s between the warnings
    # (with 8 s between them a slow restart crossed two thresholds at once).
    env = daemon_env | {
        "WATCHDOG_MAX_LIFETIME": "60s",
        "WATCHDOG_WARN_BEFORE": "40s,20s",
        "WATCHDOG_IDLE_TIMEOUT": "30s",
    }
    url = sim_server.page_url("e2e-life", era=2025, idle=30, title="Lifetime e2e")
    runs.append(DaemonRun(tmp_path, env, [url], "first"))
    runs[0].wait_for(
        lambda: kinds_for(receiver, "lifetime warning"),
        timeout=90,
        message="the 40 s lifetime warning",
    )
    assert runs[0].stop() == 0
    runs.append(DaemonRun(tmp_path, env, [url], "second"))  # restart mid-session
    runs[1].wait_for(
        lambda: kinds_for(receiver, "lifetime reached"), timeout=60, message="lifetime reached"
    )
    wait_until(lambda: state_of(tmp_path)["daemon"]["running"], timeout=10)
    # more ticks after the deadline: nothing more may arrive
    ticks_before = state_of(tmp_path)["notebooks"][url]["ticks_ok"]
    wait_until(
        lambda: state_of(tmp_path)["notebooks"][url]["ticks_ok"] >= ticks_before + 3, timeout=30
    )
    assert runs[1].stop() == 0

    arrivals = list(receiver.arrivals)
    titles = [t for _, t in arrivals]
    assert len(titles) == 3, titles
    assert titles[0].startswith("Colab watchdog: lifetime warning")
    assert titles[1].startswith("Colab watchdog: lifetime warning")
    assert titles[2].startswith("Colab watchdog: lifetime reached")
    assert all("Lifetime e2e" in t for t in titles)

    record = state_of(tmp_path)["notebooks"][url]
    sent = record["alerts_sent"]
    assert [a["kind"] for a in sent] == ["lifetime-warning", "lifetime-warning", "lifetime-reached"]
    assert sent[0]["key"].endswith(":40") and sent[1]["key"].endswith(":20")
    started = datetime.fromisoformat(record["session"]["started_at"].replace("Z", "+00:00"))
    for (at, title), moment in zip(arrivals, (20, 40, 60), strict=True):
        late = (at - (started + timedelta(seconds=moment))).total_seconds()
        print(f"{title!r}: arrived {late:+.2f}s after its moment (start + {moment}s)")
        assert -0.1 <= late <= 2 * INTERVAL, f"{title} arrived {late:+.2f}s after its moment"
    assert_no_secret(tmp_path, runs)


def test_page_disconnect_and_captcha_alert_once_each(
    tmp_path: Path,
    sim_server: SimServer,
    receiver: Receiver,
    daemon_env: dict[str, str],
    runs: list[DaemonRun],
) -> None:
    # The page drops its runtime 15 s after load: late enough that even a slow start has
    # seen it connected first (a notebook first seen disconnected has no session to lose).
    # The captcha page's own idle timer is long so it does not disconnect during the test.
    dropped = sim_server.page_url("e2e-drop", era=2025, idle=10, lifetime=15, title="Drops")
    captcha = sim_server.page_url("e2e-captcha", era=2021, idle=120, captcha_after=6, title="Cap")
    runs.append(DaemonRun(tmp_path, daemon_env, [dropped, captcha], "run"))
    runs[0].wait_for(
        lambda: kinds_for(receiver, "disconnected") and kinds_for(receiver, "captcha"),
        timeout=90,
        message="disconnected and captcha alerts",
    )
    # a few more sweeps that still see the same states must send nothing more
    sweeps = state_of(tmp_path)["notebooks"][captcha]["ticks_ok"]
    wait_until(
        lambda: state_of(tmp_path)["notebooks"][captcha]["ticks_ok"] >= sweeps + 3, timeout=30
    )
    status = subprocess.run(
        [sys.executable, "-m", "watchdog", "status", "--json", "--check"],
        env=daemon_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert runs[0].stop() == 0

    assert status.returncode == 0, status.stderr
    doc = json.loads(status.stdout)
    states = {nb["url"]: nb["state"] for nb in doc["notebooks"]}
    assert states[dropped] == "disconnected"
    assert SECRET not in status.stdout + status.stderr

    titles = [t for _, t in receiver.arrivals]
    assert [t for t in titles if "disconnected" in t] == ["Colab watchdog: disconnected (Drops)"]
    assert [t for t in titles if "captcha" in t] == ["Colab watchdog: captcha (Cap)"]
    # with a captcha up the engine stops acting, so keep-alive failing may follow for Cap
    others = [t for t in titles if "disconnected" not in t and "captcha" not in t]
    assert all(t.startswith("Colab watchdog: keep-alive failing") for t in others), titles
    # The dropped runtime ends with Colab's "inactivity or maximum duration" notice, 15 s in
    # (more than the 10 s idle timeout) and long before WATCHDOG_MAX_LIFETIME: from what the
    # watchdog knows, its activity did not count. That is said once, for Drops.
    assert [t for t in others if "(Drops)" in t] == ["Colab watchdog: keep-alive failing (Drops)"]
    assert all("(Cap)" in t or "(Drops)" in t for t in others), titles
    [drop_body] = [p["message"] for _, p in receiver.payloads if "disconnected" in p["title"]]
    assert dropped in drop_body
    assert_no_secret(tmp_path, runs)
