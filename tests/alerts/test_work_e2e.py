"""End to end, the work alerts: the real daemon (`colab-watchdog run` as a process, headless
Chromium) against the simulated Colab, alerts to a real `json://` receiver on 127.0.0.1.

- a 12 s cell with WATCHDOG_FINISHED_AFTER=5s: exactly one `finished`;
- the out-of-memory crash toast: exactly one `crashed`;
- RAM at 95 %: exactly one `memory-high`, not again after a daemon restart;
- the "Cannot connect to GPU backend" dialog: exactly one `usage-limit`;
- `status --json` shows that notebook's RAM and its GPU back-end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.webhook import Receiver
from tests.alerts import test_e2e as e2e
from tests.alerts.test_e2e import DaemonRun, assert_no_secret, state_of
from tests.helpers import wait_until
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The end-to-end module's fixtures: the daemon's environment, its runs, the Chromium check.
daemon_env = e2e.daemon_env
runs = e2e.runs
_need_chrome = e2e._need_chrome

GPU = "Python 3 Google Compute Engine backend (GPU)"


def titles_with(receiver: Receiver, words: str) -> list[str]:
    return [t for _, t in list(receiver.arrivals) if t.startswith(f"Colab watchdog: {words} (")]


def status_json(env: dict[str, str], cwd: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "watchdog", "status", "--json"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_finished_crashed_and_memory_high_once_each_across_a_restart(
    tmp_path: Path,
    sim_server: SimServer,
    receiver: Receiver,
    daemon_env: dict[str, str],
    runs: list[DaemonRun],
) -> None:
    # A saved session (and its work) counts as stale when no tick saw it for an idle timeout:
    # 60 s gives a slow restart on a loaded machine room (the pages' own timers are 60 s too).
    env = daemon_env | {"WATCHDOG_FINISHED_AFTER": "5s", "WATCHDOG_IDLE_TIMEOUT": "60s"}
    finished = sim_server.page_url("w-run", era=2025, idle=60, run=12, title="Train")
    crashed = sim_server.page_url(
        "w-crash", era=2025, idle=60, run=600, crash_after=8, title="Crashy"
    )
    memory = sim_server.page_url("w-mem", era=2025, idle=60, ram=12.04, backend="gpu", title="Big")
    limited = sim_server.page_url("w-limit", era=2023, idle=60, usage_limit_after=4, title="Lim")
    urls = [finished, crashed, memory, limited]
    runs.append(DaemonRun(tmp_path, env, urls, "first"))
    runs[0].wait_for(
        lambda: (
            titles_with(receiver, "finished")
            and titles_with(receiver, "crashed")
            and titles_with(receiver, "memory high")
            and titles_with(receiver, "usage limit")
        ),
        timeout=120,
        message="finished, crashed, memory-high and usage-limit alerts",
    )
    # More sweeps that see the same pages send nothing more.
    seen = state_of(tmp_path)["notebooks"][memory]["ticks_ok"]
    wait_until(lambda: state_of(tmp_path)["notebooks"][memory]["ticks_ok"] >= seen + 4, timeout=60)
    doc = status_json(env, tmp_path)
    assert runs[0].stop() == 0

    [entry] = [nb for nb in doc["notebooks"] if nb["url"] == memory]  # type: ignore[attr-defined]
    assert entry["resources"]["ram_used_gb"] == 12.04
    assert entry["resources"]["ram_total_gb"] == 12.67
    assert entry["backend"] == GPU
    assert entry["policy"] == "held"
    [run_entry] = [nb for nb in doc["notebooks"] if nb["url"] == finished]  # type: ignore[attr-defined]
    assert (run_entry["busy"], run_entry["busy_for_s"]) == (False, None)
    assert run_entry["idle_for_s"] is not None

    # The memory notebook, after a restart: its page still shows 95 %, nothing is repeated.
    runs.append(DaemonRun(tmp_path, env, [memory], "second"))
    seen = state_of(tmp_path)["notebooks"][memory]["ticks_ok"]
    runs[1].wait_for(
        lambda: state_of(tmp_path)["notebooks"][memory]["ticks_ok"] >= seen + 5,
        timeout=90,
        message="5 ticks after the restart",
    )
    assert runs[1].stop() == 0

    assert titles_with(receiver, "finished") == ["Colab watchdog: finished (Train)"]
    assert titles_with(receiver, "crashed") == ["Colab watchdog: crashed (Crashy)"]
    assert titles_with(receiver, "memory high") == ["Colab watchdog: memory high (Big)"]
    assert titles_with(receiver, "usage limit") == ["Colab watchdog: usage limit (Lim)"]
    bodies = {p["title"]: p["message"] for _, p in receiver.payloads}
    assert "all available RAM" in bodies["Colab watchdog: crashed (Crashy)"]
    assert "95%" in bodies["Colab watchdog: memory high (Big)"]
    assert "The run took 1" in bodies["Colab watchdog: finished (Train)"]  # 10-12 s seen
    others = [
        t
        for _, t in receiver.arrivals
        if not t.startswith(("Colab watchdog: finished", "Colab watchdog: crashed"))
        and not t.startswith(("Colab watchdog: memory high", "Colab watchdog: usage limit"))
    ]
    assert others == []
    assert_no_secret(tmp_path, runs)
