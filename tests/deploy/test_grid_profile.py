"""Remote mode with a persistent profile on the Grid node (what docker/compose*.yaml set up).

The compose files make every session on a node open one signed-in profile by putting
`--user-data-dir=...` into the node's stereotype (SE_NODE_STEREOTYPE_EXTRA); the Grid merges it
into each new session's options. Here a real local Grid gets the same stereotype. The test
checks, through the real Selenium adapter in remote mode: the session's browser runs on that
profile with our own options kept; what one session stores (a stand-in for Google's sign-in)
is there in the next session; and after `kill -9` of the browser the session is recreated on
the same profile (Chromium takes over its own stale lock on the same host).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from grid_server import SeleniumGrid, grid_jar_or_skip

from watchdog.adapters.browser import BrowserConfig, SeleniumBrowser
from watchdog.errors import BrowserLost
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.grid]

OPTIONS = {"reconnect": False, "selectors": None, "maxDepth": 8}
MARK = "localStorage.getItem('signed-in-as')"


@pytest.fixture
def profile_grid(tmp_path: Path) -> Iterator[tuple[SeleniumGrid, Path]]:
    jar = grid_jar_or_skip()
    profile = tmp_path / "node-profile"
    with SeleniumGrid(jar, max_sessions=1, stereotype_args=[f"--user-data-dir={profile}"]) as grid:
        yield grid, profile


def browser_args(browser: SeleniumBrowser) -> tuple[int, list[str]]:
    pid = browser.driver.capabilities["goog:processID"]
    return pid, psutil.Process(pid).cmdline()


def test_sessions_share_the_node_profile_and_survive_a_browser_kill(
    profile_grid: tuple[SeleniumGrid, Path], sim_server: SimServer
) -> None:
    grid, profile = profile_grid
    url = sim_server.page_url("profile", era=2025, idle=30)
    config = BrowserConfig(mode="remote", remote_url=grid.url, remote_timeout=60)

    first = SeleniumBrowser(config, label="first")
    first.start()
    try:
        first.open(url)
        status, _ = first.tick(url, OPTIONS)
        assert status.state == "connected"
        pid, args = browser_args(first)
        assert f"--user-data-dir={profile}" in args  # the node's stereotype
        assert "--headless=new" in args  # and our own options, merged
        first.driver.execute_script("localStorage.setItem('signed-in-as', 'someone')")
    finally:
        first.close()  # a clean quit writes the profile to disk
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE

    second = SeleniumBrowser(config, label="second")
    second.start()
    try:
        second.open(url)
        assert second.driver.execute_script(f"return {MARK}") == "someone"
        old_pid, _ = browser_args(second)
        psutil.Process(old_pid).kill()
        with pytest.raises(BrowserLost):
            second.tick(url, OPTIONS)
        second.recover()
        second.open(url)
        status, _ = second.tick(url, OPTIONS)
        assert status.state == "connected"
        new_pid, args = browser_args(second)
        assert new_pid != old_pid
        assert f"--user-data-dir={profile}" in args
        assert second.driver.execute_script(f"return {MARK}") == "someone"
    finally:
        second.close()
