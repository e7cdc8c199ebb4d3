"""The state file and the browser profile under abuse: a state file too deeply nested to
parse, two daemons on one state file, two daemons started together on one profile, and the
browser a `kill -9` of the daemon leaves behind.

Before (measured on the same scenarios): the nested state made `status` print a traceback
and the Monitor fail on every call (0 alerts, 0 saves); two daemons on one state file both
ran, overwriting each other's records; two daemons on one profile both passed the check;
after `kill -9` the next start refused over its own orphaned browser.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from bench.webhook import Receiver
from tests.helpers import wait_until
from tests.reliability.conftest import RunFactory
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NESTED = "[" * 200_000


def status(run_env: dict[str, str], state: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watchdog", "status", *flags, "--state-file", str(state)],
        env=run_env,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_nested_state_is_moved_aside_and_alerts_still_go_out(
    daemon_run: RunFactory, fresh_sim_server: SimServer, receiver: Receiver, tmp_path: Path
) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir(mode=0o700)
    state = state_dir / "state.json"
    state.write_text(NESTED)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    for flags, code in (((), 2), (("--check",), 1), (("--json",), 2)):
        done = status(env, state, *flags)
        assert done.returncode == code, done
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "nested too deeply" in done.stderr

    healthy = fresh_sim_server.page_url("ok", era=2025, idle=0)
    signed_out = fresh_sim_server.page_url("out", era=2025, signed_out="redirect")
    run = daemon_run([healthy, signed_out], {"WATCHDOG_NOTIFY": receiver.url("/ok")})
    run.wait_ticking([healthy], more=2)
    aside = list(state_dir.glob("state.json.corrupt-*"))
    assert len(aside) == 1, list(state_dir.iterdir())
    assert aside[0].read_text() == NESTED  # kept for the user
    run.wait(lambda: receiver.titles("/ok"), 30, "the signed-out alert delivered")
    assert "signed out" in receiver.titles("/ok")[0]
    assert run.notebook(signed_out)["alerts_sent"][0]["kind"] == "signed-out"
    assert run.stop() == 0, run.tail()
    run.assert_no_orphans()
    assert "nested too deeply" in run.text()
    assert "Traceback" not in run.text()


def test_a_second_daemon_on_the_same_state_file_exits_2(
    daemon_run: RunFactory, fresh_sim_server: SimServer, tmp_path: Path
) -> None:
    url = fresh_sim_server.page_url("one", era=2021, idle=0)
    first = daemon_run([url])
    first.wait_ticking(more=1)
    second = daemon_run([url], {"WATCHDOG_PROFILE_DIR": str(tmp_path / "profile-2")}, name="second")
    assert second.proc.wait(timeout=60) == 2, second.tail()
    err = second.stderr_path.read_text()
    assert f"pid {first.proc.pid}" in err, err
    assert "--state-file" in err and str(first.state_path) in err, err
    assert "Traceback" not in err
    first.wait_ticking(more=2)  # the first one never noticed
    assert first.stop() == 0, first.tail()
    first.assert_no_orphans()


def test_two_daemons_started_together_on_one_profile_one_refuses(
    daemon_run: RunFactory, fresh_sim_server: SimServer, tmp_path: Path
) -> None:
    url = fresh_sim_server.page_url("shared", era=2025, idle=0)
    runs = [
        daemon_run(
            [url], {"WATCHDOG_STATE_FILE": str(tmp_path / f"s{i}" / "state.json")}, name=f"d{i}"
        )
        for i in range(2)
    ]
    refused = wait_until(
        lambda: [r for r in runs if r.proc.poll() is not None],
        timeout=90,
        interval=0.1,
        message="one of the two daemons refusing",
    )
    assert len(refused) == 1
    loser = refused[0]
    (winner,) = [r for r in runs if r is not loser]
    assert loser.proc.returncode == 2, loser.tail()
    err = loser.stderr_path.read_text()
    assert f"pid {winner.proc.pid}" in err and "browser profile" in err, err
    winner.state_path = tmp_path / f"s{runs.index(winner)}" / "state.json"
    winner.wait_ticking(more=2)
    browsers = [p for p in winner.descendants() if "chrom" in p.name() and "driver" not in p.name()]
    assert browsers
    assert winner.stop() == 0, winner.tail()


def test_orphaned_browser_after_kill_9_is_ended_with_one_line(
    daemon_run: RunFactory, fresh_sim_server: SimServer
) -> None:
    url = fresh_sim_server.page_url("orphan", era=2025, idle=0)
    first = daemon_run([url])
    first.wait_ticking(more=1)
    left = [psutil.Process(first.driver_pid()), psutil.Process(first.browser_pid())]
    os.kill(first.proc.pid, signal.SIGKILL)
    first.proc.wait(timeout=10)
    assert all(p.is_running() for p in left)  # orphaned: chromedriver and its browser

    second = daemon_run([url], name="second")
    second.wait_ticking(more=2)
    text = second.text()
    assert text.count("ended an orphaned browser") >= 1, second.tail()
    wait_until(
        lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in left),
        timeout=15,
        message="the orphans ended",
    )
    assert second.stop() == 0, second.tail()
    second.assert_no_orphans()
