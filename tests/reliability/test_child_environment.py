"""Chromium and chromedriver never inherit a WATCHDOG_* variable (alert URLs, credentials).

Before: both had every WATCHDOG_* variable of the daemon in /proc/PID/environ.
"""

from __future__ import annotations

import psutil
import pytest

from bench.webhook import Receiver
from tests.reliability.conftest import RunFactory
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_browser_and_driver_get_no_watchdog_variables(
    daemon_run: RunFactory, fresh_sim_server: SimServer, receiver: Receiver
) -> None:
    url = fresh_sim_server.page_url("env", era=2025, idle=0)
    run = daemon_run([url], {"WATCHDOG_NOTIFY": receiver.url("/ok", "user:s3cretpw")})
    run.wait_ticking(more=1)
    assert any(k.startswith("WATCHDOG_") for k in psutil.Process(run.proc.pid).environ())
    children = run.descendants()
    assert len(children) >= 2
    read = 0
    for proc in children:
        try:
            environ = proc.environ()
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue  # a helper process that exited meanwhile has no environment to read
        read += 1
        leaked = [k for k in environ if k.upper().startswith("WATCHDOG_")]
        assert leaked == [], (proc.pid, proc.name(), leaked)
    assert read >= 2, "no browser or driver environment was read"
    assert run.stop() == 0, run.tail()
