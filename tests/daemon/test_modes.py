"""Attach mode (a Chromium the test starts), remote mode (chromedriver --port, a real Grid)."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.daemon.conftest import (
    ENGINE_OPTIONS,
    IDLE_READ,
    DaemonThread,
    NoClose,
    alive,
    kill_tree,
    require_chrome,
)
from tests.helpers import record_commands, wait_until
from watchdog.adapters.browser import BrowserConfig, SeleniumBrowser
from watchdog.adapters.browser.attach import colab_tabs
from watchdog.adapters.clock import SystemClock
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser

IDLE = 4


def page_tabs(port: int) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
        return [t for t in json.loads(response.read()) if t.get("type") == "page"]


def attach_config(port: int) -> BrowserConfig:
    _, driver = require_chrome()
    return BrowserConfig(
        mode="attach", attach_address=f"127.0.0.1:{port}", chromedriver=driver, env=dict(os.environ)
    )


def test_attach_adopts_the_users_tab_keeps_it_alive_and_leaves_it_running(
    debug_chromium: tuple[subprocess.Popen[bytes], int], sim_server: SimServer
) -> None:
    process, port = debug_chromium
    url = sim_server.page_url("mine", era=2025, idle=IDLE)
    # The user's own tab, opened through DevTools (not WebDriver).
    new_tab = f"http://127.0.0.1:{port}/json/new?{urllib.parse.quote(url, safe='')}"
    request = urllib.request.Request(new_tab, method="PUT")
    urllib.request.urlopen(request, timeout=5).close()
    wait_until(lambda: any(t["url"] == url for t in page_tabs(port)), timeout=15)
    tabs_before = len(page_tabs(port))
    assert colab_tabs(f"127.0.0.1:{port}", allow_remote=False) == []  # no colab host here

    browser = SeleniumBrowser(attach_config(port))
    run = DaemonThread(NoClose(browser), [url], interval=1).start()
    try:
        started = time.time()
        wait_until(
            lambda: (
                time.time() - started > 3 * IDLE + 1 and run.ok_ticks(url, since=started + 3 * IDLE)
            ),
            timeout=3 * IDLE + 30,
            interval=0.2,
        )
        run.stop()
        page = browser.evaluate(url, IDLE_READ)
    finally:
        run.stop_event.set()
        browser.close()
    assert page["state"] == "connected" and page["disconnects"] == 0 and page["panels"] == 0
    assert len(page_tabs(port)) == tabs_before  # adopted, no tab of our own
    # close() ended only our WebDriver session: the user's browser and tab live on.
    assert process.poll() is None
    assert any(t["url"] == url for t in page_tabs(port))
    assert not browser.pids


def test_attach_to_nothing_is_retried_not_fatal(sim_server: SimServer) -> None:
    from tests.daemon.conftest import free_port

    require_chrome()
    browser = SeleniumBrowser(attach_config(free_port()))
    from tests.daemon.fakes import RecordingListener

    listener = RecordingListener()
    daemon = Daemon(
        [(browser, [sim_server.page_url("x")])],
        DaemonConfig(interval=1, options=ENGINE_OPTIONS),
        clock=SystemClock(),
        listeners=[listener],
    )
    results = daemon.run_once()
    assert results[0].failure and "no browser answers" in results[0].failure


def _remote_keepalive(url: str, sim_server: SimServer) -> None:
    config = BrowserConfig(mode="remote", remote_url=url, remote_timeout=30, env={})
    browser = SeleniumBrowser(config)
    page_url = sim_server.page_url("remote", era=2021, idle=IDLE)
    run = DaemonThread(NoClose(browser), [page_url], interval=1).start()
    try:
        started = time.time()
        wait_until(
            lambda: (
                time.time() - started > 3 * IDLE + 1
                and run.ok_ticks(page_url, since=started + 3 * IDLE)
            ),
            timeout=3 * IDLE + 60,
            interval=0.2,
        )
        run.stop()
        page = browser.evaluate(page_url, IDLE_READ)
    finally:
        run.stop_event.set()
        browser.close()
    assert page["state"] == "connected" and page["disconnects"] == 0 and page["panels"] == 0
    assert not browser.pids  # nothing local to kill in remote mode


def test_remote_mode_against_chromedriver_as_a_w3c_endpoint(
    chromedriver_server: tuple[subprocess.Popen[bytes], str], sim_server: SimServer
) -> None:
    process, url = chromedriver_server
    _remote_keepalive(url, sim_server)
    # quit() over the wire ended the browser the endpoint started for us
    wait_until(lambda: not psutil.Process(process.pid).children(recursive=True), timeout=15)


def test_remote_node_death_is_recovered_when_it_returns(
    chromedriver_server: tuple[subprocess.Popen[bytes], str], sim_server: SimServer
) -> None:
    process, url = chromedriver_server
    port = url.rsplit(":", 1)[1]
    config = BrowserConfig(mode="remote", remote_url=url, remote_timeout=10, env={})
    browser = SeleniumBrowser(config)
    page_url = sim_server.page_url("node", era=2025, idle=30)
    run = DaemonThread(browser, [page_url], interval=1).start()
    replacement: subprocess.Popen[bytes] | None = None
    try:
        wait_until(lambda: len(run.ok_ticks()) >= 2, timeout=60)
        kill_tree(process.pid)  # the node dies with its browser
        died = time.time()
        wait_until(
            lambda: any(r.failure for r in run.listener.ticks if r.at.timestamp() > died),
            timeout=20,
        )
        _, driver = require_chrome()
        replacement = subprocess.Popen(
            [driver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        back = time.time()
        wait_until(lambda: run.ok_ticks(since=back), timeout=30, interval=0.2)
    finally:
        run.stop()
        if replacement is not None:
            kill_tree(replacement.pid)
            replacement.wait(timeout=10)


@pytest.mark.grid
def test_remote_mode_against_a_real_selenium_grid(
    selenium_grid: str, sim_server: SimServer
) -> None:
    _remote_keepalive(selenium_grid, sim_server)


def test_attach_close_never_kills_the_users_browser_even_after_recover(
    debug_chromium: tuple[subprocess.Popen[bytes], int], sim_server: SimServer, tmp_path: Path
) -> None:
    process, port = debug_chromium
    browser = SeleniumBrowser(attach_config(port))
    url = sim_server.page_url("opened-by-us", era=2019, idle=30)
    browser.start()
    browser.open(url)
    assert browser.tick(url, ENGINE_OPTIONS)[0].state == "connected"
    driver_pid = browser.pids[0]
    browser.recover()  # ends our chromedriver, attaches anew
    assert not alive(driver_pid)
    browser.open(url)  # adopts the tab it opened before
    assert sum(1 for t in page_tabs(port) if t["url"] == url) == 1
    browser.close()
    assert process.poll() is None and any(t["url"] == url for t in page_tabs(port))


# The user's own tab: its title says whether it is in front ("visible") and counts its
# visibility changes, so a tab that was hidden and shown again reads "visible 3".
USER_TAB = (
    "data:text/html,<script>function s(){document.title='user '+document.visibilityState+' '"
    "+(window.n=(window.n||0)+1)}s();document.addEventListener('visibilitychange',s)</script>"
)


def open_in_users_browser(port: int, url: str) -> None:
    """Opens a tab the way the user would (through DevTools, not WebDriver); it comes to front."""
    new_tab = f"http://127.0.0.1:{port}/json/new?{urllib.parse.quote(url, safe='')}"
    urllib.request.urlopen(urllib.request.Request(new_tab, method="PUT"), timeout=5).close()


def front_tab_title(port: int) -> str:
    """Chromium lists tabs most recently activated first."""
    return str(page_tabs(port)[0]["title"])


@pytest.mark.parametrize("notebooks", [1, 2])
def test_attach_keeps_the_users_own_tab_in_front(
    debug_chromium: tuple[subprocess.Popen[bytes], int], sim_server: SimServer, notebooks: int
) -> None:
    """WebDriver brings each tab it switches to to the front; in the user's own browser the
    tab the user was looking at must stay there. With one notebook nothing is switched after
    the first tick."""
    _, port = debug_chromium
    urls = [sim_server.page_url(f"front-{i}", era=2025, idle=30) for i in range(notebooks)]
    for url in urls:
        open_in_users_browser(port, url)
    open_in_users_browser(port, USER_TAB)
    wait_until(lambda: front_tab_title(port) == "user visible 1", timeout=15)

    browser = SeleniumBrowser(attach_config(port))
    browser.start()
    try:
        for url in urls:
            browser.open(url)
        commands: list[str] = []
        for round_ in range(3):
            if round_ == 1:
                commands = record_commands(browser.driver)
            for url in urls:
                assert browser.tick(url, ENGINE_OPTIONS)[0].state == "connected"
            wait_until(lambda: front_tab_title(port).startswith("user visible"), timeout=10)
        if notebooks == 1:
            # Settled after the first tick: the notebook's tab stays WebDriver's current one,
            # so nothing is brought to the front again (one switch would hide the user's tab).
            assert "switchToWindow" not in commands, commands
    finally:
        browser.close()
