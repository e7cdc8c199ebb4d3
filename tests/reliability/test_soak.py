"""Soak: an accelerated run of at least 3,000 ticks over 6 notebooks (2 browser sessions of
3 tabs, WATCHDOG_INTERVAL=100ms, idle timeout 60 s), on the real `colab-watchdog run`.

After a warm-up of 600 ticks, to the end:
- daemon RSS grows by less than 10 %,
- the number of browser/driver processes does not grow, nor do the daemon's open fds
  (a few fds of slack for loguru/urllib3 pools) or the browser tree's (10 % slack: Chromium
  opens and closes shared-memory fds as it paints),
- the page server sees no request at all (the engine makes no network requests),
- every notebook stays connected, no tick fails, no alert is sent, the state file is valid
  JSON at every read.
Takes about 1-3 minutes depending on load.
"""

from __future__ import annotations

import contextlib
import time

import psutil
import pytest

from tests.reliability.conftest import RunFactory
from tests.reliability.harness import DaemonRun
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TICKS = 3000
WARM_UP = 600


def total_ticks(run: DaemonRun) -> int:
    return sum(run.ticks(u) for u in run.urls)


def sample(run: DaemonRun) -> dict[str, float]:
    daemon = psutil.Process(run.proc.pid)
    children = run.descendants()
    browser_fds = 0
    for proc in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            browser_fds += proc.num_fds()
    return {
        "rss": daemon.memory_info().rss,
        "fds": daemon.num_fds(),
        "threads": daemon.num_threads(),
        "processes": len(children),
        "browser_fds": browser_fds,
    }


@pytest.mark.timeout(400)
def test_soak_3000_ticks_no_growth(daemon_run: RunFactory, fresh_sim_server: SimServer) -> None:
    urls = [fresh_sim_server.page_url(f"soak{i}", era=2025, idle=60) for i in range(6)]
    run = daemon_run(
        urls,
        {
            "WATCHDOG_INTERVAL": "100ms",
            "WATCHDOG_IDLE_TIMEOUT": "60s",
            "WATCHDOG_NOTEBOOKS_PER_SESSION": "3",
        },
    )
    run.wait(lambda: total_ticks(run) >= WARM_UP, 240, f"{WARM_UP} warm-up ticks")
    requests_after_load = fresh_sim_server.requests
    assert len(requests_after_load) == len(urls), requests_after_load
    started = time.monotonic()
    warm = sample(run)
    warm_ticks = total_ticks(run)

    run.wait(lambda: total_ticks(run) >= TICKS, 300, f"{TICKS} ticks")
    end = sample(run)
    took = time.monotonic() - started
    ticks = total_ticks(run)
    report = (
        f"{ticks} ticks ({ticks - warm_ticks} after warm-up in {took:.0f}s); "
        f"warm {warm} -> end {end}"
    )
    print(report)

    assert end["rss"] < warm["rss"] * 1.10, report
    assert end["processes"] <= warm["processes"], report
    assert end["fds"] <= warm["fds"] + 3, report
    assert end["threads"] <= warm["threads"] + 2, report
    assert end["browser_fds"] <= warm["browser_fds"] * 1.10, report
    assert fresh_sim_server.requests == requests_after_load  # no request from the engine
    for url in urls:
        nb = run.notebook(url)
        assert nb["state"] == "connected" and nb["ticks_failed"] == 0, nb
    assert run.stop() == 0, run.tail()
    run.assert_no_orphans()
    run.assert_state_always_valid()
    assert run.alert_keys() == []
