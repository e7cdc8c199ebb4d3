"""A notebook that is never reached, or a signed-out profile, is loud: an alert within 3
ticks, `status --check` exits 1 while it is unreached, `run --once` says "signed-out".

Before this check (measured on the same scenario): 5 failed ticks, 0 alerts, and
`status --check` exited 0 while no notebook had ever been ticked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.webhook import Receiver
from tests.reliability.conftest import RunFactory
from tests.reliability.harness import DaemonRun
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def status_check(run: DaemonRun) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "watchdog",
            "status",
            "--check",
            "--state-file",
            str(run.state_path),
        ],
        env=run.env,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


def kinds(run: DaemonRun, url: str) -> list[str]:
    return [a["kind"] for a in run.notebook(url).get("alerts_sent", [])]


def test_sign_in_redirect_unreached_and_signed_out_page(
    daemon_run: RunFactory, fresh_sim_server: SimServer, receiver: Receiver
) -> None:
    healthy = fresh_sim_server.page_url("healthy", era=2025, idle=0)
    sign_in = fresh_sim_server.page_url("redirected", era=2025, signed_out="redirect")
    page = fresh_sim_server.page_url("colab-signed-out", era=2025, signed_out="page")
    away = fresh_sim_server.page_url("moved", era=2025, redirect="/elsewhere")
    urls = [healthy, sign_in, page, away]
    run = daemon_run(urls, {"WATCHDOG_NOTIFY": receiver.url("/ok")})
    run.wait_ticking([healthy], more=2)
    run.wait(lambda: "unreachable" in kinds(run, away), 60, "unreachable for the moved one")
    # Each alert came within 3 attempts: the first signed-out tick, the third failed one.
    assert run.ticks_failed(sign_in) >= 1
    for url in (sign_in, page):
        assert kinds(run, url) == ["signed-out"], run.notebook(url)
        assert run.notebook(url)["state"] == "signed-out"
        assert run.notebook(url)["ticks_ok"] == 0
    moved = run.notebook(away)
    assert moved["failed_in_row"] >= 3
    assert "/elsewhere" in str(moved["landed"])

    checked = status_check(run)
    assert checked.returncode == 1, checked
    assert "never reached" in checked.stderr
    assert "Traceback" not in checked.stderr

    run.wait_ticking([healthy], more=3)  # more failed attempts: still one alert each
    for url, kind in ((sign_in, "signed-out"), (page, "signed-out"), (away, "unreachable")):
        assert kinds(run, url) == [kind]
    assert kinds(run, healthy) == []
    run.wait(lambda: len(receiver.titles("/ok")) >= 3, 30, "three alerts delivered")
    titles = receiver.titles("/ok")
    assert len(titles) == 3, titles
    assert sum("signed out of Google" in t for t in titles) == 2, titles
    bodies = [p["message"] for _, p in receiver.payloads]
    assert any("colab-watchdog login" in b and "/ServiceLogin" in b for b in bodies), bodies
    assert any("the tab went to" in b and "/elsewhere" in b for b in bodies), bodies

    assert run.stop() == 0, run.tail()
    run.assert_no_orphans()


def test_healthy_daemon_passes_the_check(
    daemon_run: RunFactory, fresh_sim_server: SimServer
) -> None:
    url = fresh_sim_server.page_url("fine", era=2021, idle=0)
    run = daemon_run([url])
    run.wait_ticking(more=2)
    checked = status_check(run)
    assert checked.returncode == 0, checked
    assert run.stop() == 0, run.tail()


def test_once_reports_signed_out(
    tmp_path: Path, fresh_sim_server: SimServer, need_chrome: None
) -> None:
    url = fresh_sim_server.page_url("once", era=2025, signed_out="redirect")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    env.update(XDG_STATE_HOME=f"{tmp_path}/state", XDG_DATA_HOME=f"{tmp_path}/data")
    done = subprocess.run(
        [sys.executable, "-m", "watchdog", "run", "--once", url],
        cwd=str(tmp_path),
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    (obj,) = json.loads(done.stdout)
    assert obj["state"] == "signed-out", obj
    assert "sign-in" in obj["error"], obj
