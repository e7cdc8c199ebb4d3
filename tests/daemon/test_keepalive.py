"""The real daemon and Selenium adapter against the simulated Colab (accelerated timings)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from loguru import logger

from tests.daemon.conftest import (
    ENGINE_OPTIONS,
    READ_SIM,
    DaemonThread,
    NoClose,
    alive,
    launch_config,
)
from tests.helpers import (
    open_sim_page,
    record_bidi,
    record_commands,
    sim_counters,
    sim_state,
    wait_until,
)
from watchdog.adapters.browser import SeleniumBrowser
from watchdog.adapters.clock import SystemClock
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.errors import TabLost
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser

IDLE = 4
ERAS = ("2019", "2021", "2023", "2025")


def test_without_the_daemon_the_page_idles_out(chrome_driver: Any, sim_server: SimServer) -> None:
    open_sim_page(chrome_driver, sim_server.page_url("alone", era=2025, idle=IDLE))
    assert sim_state(chrome_driver) == "connected"
    wait_until(lambda: sim_state(chrome_driver) == "disconnected", timeout=IDLE * 4)


def test_every_era_in_one_browser_stays_connected_for_three_idle_timeouts(
    tmp_path: Path, sim_server: SimServer
) -> None:
    urls = [sim_server.page_url(f"era{era}", era=era, idle=IDLE) for era in ERAS]
    browser = SeleniumBrowser(launch_config(tmp_path))
    run = DaemonThread(NoClose(browser), urls, interval=1).start()
    try:
        started = time.time()
        # 3 idle timeouts of wall time is what is being tested; tick progress is the condition.
        wait_until(
            lambda: (
                time.time() - started > 3 * IDLE + 1
                and all(run.ok_ticks(u, since=started + 3 * IDLE) for u in urls)
            ),
            timeout=3 * IDLE + 30,
            interval=0.2,
        )
        run.stop()
        pages = {url: browser.evaluate(url, READ_SIM) for url in urls}
    finally:
        run.stop_event.set()
        browser.close()
    for url, page in pages.items():
        assert page["state"] == "connected", url
        assert page["disconnects"] == 0, url
        assert page["interactions"] >= 3 * IDLE // 2, url  # the ticks reached the idle timer
        assert page["panels"] == 0, url  # no panel left open
    assert all(r.status.state == "connected" for r in run.ok_ticks())  # type: ignore[union-attr]
    assert not [r for r in run.listener.ticks if not r.ok]


def _recovery(tmp_path: Path, sim_server: SimServer, victim: int) -> None:
    interval = 3.0
    url = sim_server.page_url("victim", era=2025, idle=30)
    browser = SeleniumBrowser(launch_config(tmp_path))
    lines: list[str] = []
    sink = logger.add(lines.append, level="WARNING", format="{message}")
    run = DaemonThread(browser, [url], interval=interval).start()
    try:
        wait_until(lambda: len(run.ok_ticks()) >= 2, timeout=60)
        old = browser.pids
        killed_at = time.time()
        os.kill(old[victim], signal.SIGKILL)
        # What the daemon controls: the next tick finds the loss (within an interval), and the
        # first recovery succeeds (no second attempt after a backoff); how long Chromium takes
        # to start again depends on the machine's load.
        wait_until(lambda: run.ok_ticks(since=killed_at + 0.5), timeout=60, interval=0.1)
        first_ok = run.ok_ticks(since=killed_at + 0.5)[0].at.timestamp()
        failed = [
            r for r in run.listener.ticks if not r.ok and killed_at < r.at.timestamp() < first_ok
        ]
        assert failed, "the loss was never reported"
        found_in = failed[0].at.timestamp() - killed_at
        assert found_in <= interval + 2, f"the loss was found {found_in:.1f}s after the kill"
        retries = [line for line in lines if "2 failure(s) in a row" in line]
        assert not retries, retries  # recovered at the first attempt
        assert run.ok_ticks(since=killed_at)[-1].status.state == "connected"
        # The orphaned browser (and the old driver) are gone, new ones run.
        wait_until(lambda: not any(alive(pid) for pid in old), timeout=10)
        assert browser.pids and set(browser.pids).isdisjoint(old)
        assert any("lost" in (r.failure or "") for r in run.listener.ticks)
    finally:
        logger.remove(sink)
        pids = browser.pids
        run.stop()
    assert not any(alive(pid) for pid in pids)


def test_kill_9_of_the_browser_is_recovered_within_three_intervals(
    tmp_path: Path, sim_server: SimServer
) -> None:
    _recovery(tmp_path, sim_server, victim=0)


def test_kill_9_of_chromedriver_is_recovered_and_the_orphan_browser_killed(
    tmp_path: Path, sim_server: SimServer
) -> None:
    _recovery(tmp_path, sim_server, victim=1)


def test_closed_tab_and_navigation_away_are_reopened(
    launched: SeleniumBrowser, sim_server: SimServer
) -> None:
    a = sim_server.page_url("a", era=2023, idle=30)
    b = sim_server.page_url("b", era=2019, idle=30)
    daemon = Daemon(
        [(launched, [a, b])], DaemonConfig(interval=1, options=ENGINE_OPTIONS), clock=SystemClock()
    )
    daemon.start()
    assert all(r.ok for r in daemon.sweep())
    driver = launched.driver
    # close a's tab behind the daemon's back
    driver.switch_to.window(launched.tab_handle(a))
    driver.close()
    results = daemon.sweep()
    assert [r.ok for r in results] == [True, True]
    assert len(driver.window_handles) == 2
    # navigate b's tab away
    driver.switch_to.window(launched.tab_handle(b))
    driver.get(sim_server.url("/elsewhere"))
    results = daemon.sweep()
    assert [r.ok for r in results] == [True, True]
    assert results[1].status is not None and results[1].status.state == "connected"
    assert launched.evaluate(b, "return location.pathname") == "/notebook/b"


def test_page_script_error_is_a_failed_tick_not_a_recreate(
    launched: SeleniumBrowser, sim_server: SimServer
) -> None:
    url = sim_server.page_url("throws", era=2025, idle=30)
    launched.start()
    launched.open(url)
    pids = launched.pids
    from watchdog.errors import PageScriptError

    with pytest.raises(PageScriptError):
        launched.evaluate(url, "throw new Error('boom')")
    status, _ = launched.tick(url, ENGINE_OPTIONS)
    assert status.state == "connected" and launched.pids == pids


def test_tick_is_one_round_trip_and_never_runs_the_engine_on_another_page(
    launched: SeleniumBrowser, sim_server: SimServer
) -> None:
    """The tick checks the tab's address inside the same script as the engine: one BiDi call
    addressed to the tab's context, no classic WebDriver command (no tab switch); with the
    browser actuator, one input command follows. A changed address that still shows the
    notebook (Colab adding `authuser`) costs one extra call; another page gets TabLost and no
    engine run at all."""
    url = sim_server.page_url("trips", era=2025, idle=30)
    launched.start()
    launched.open(url)
    assert launched.transport_kind == "bidi"
    driver = launched.driver
    calls = record_commands(driver)
    bidi = record_bidi(launched)
    launched.tick(url, ENGINE_OPTIONS)  # the first tick checks the address once
    calls.clear()
    bidi.clear()
    status, title = launched.tick(url, ENGINE_OPTIONS)
    assert status.state == "connected" and title
    assert calls == [] and bidi == ["script.callFunction"], (calls, bidi)
    bidi.clear()
    status, _ = launched.tick(url, {**ENGINE_OPTIONS, "actuator": "browser"})
    assert status.acted == "activity" and status.input == "browser bidi: key"
    assert calls == [] and bidi == ["script.callFunction", "input.performActions"], bidi

    driver.execute_script("history.replaceState(null, '', location.href + '&authuser=0')")
    bidi.clear()
    assert launched.tick(url, ENGINE_OPTIONS)[0].state == "connected"
    assert bidi.count("script.callFunction") == 2, bidi

    elsewhere = sim_server.page_url("elsewhere", era=2025, idle=30)
    driver.get(elsewhere)
    before = sim_counters(driver)["interactions"]
    with pytest.raises(TabLost, match="navigated away"):
        launched.tick(url, ENGINE_OPTIONS)
    assert sim_counters(driver)["interactions"] == before  # no activity on the other page
