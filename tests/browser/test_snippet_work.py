"""The console snippet announces the work: `finished` and `crashed` in the console, the
banner and, where the user allowed notifications for the page, a browser Notification."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_snippet import BANNER_TEXT, load, paste
from tests.helpers import wait_until
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser


@pytest.fixture
def driver(module_chrome_driver: Any, sim_server: SimServer) -> Iterator[Any]:
    yield module_chrome_driver


def warns(driver: Any) -> list[str]:
    return list(driver.execute_script("return window.__warns"))


def test_a_run_that_ends_is_announced_once_with_how_long_it_took(
    driver: Any, sim_server: SimServer
) -> None:
    load(driver, sim_server, permission="granted", era="2025", idle=60, run=3)
    paste(driver, finished_after_s=1)
    wait_until(lambda: any("finished" in w for w in warns(driver)), timeout=20)
    # more ticks of the idle page: nothing more
    ticks = driver.execute_script("return window.__logs.length")
    wait_until(lambda: driver.execute_script("return window.__logs.length") >= ticks + 3)
    driver.execute_script("window.colabWatchdog.stop()")
    finished = [w for w in warns(driver) if "finished" in w]
    assert len(finished) == 1, warns(driver)
    # 3 s of page time, seen through ticks every 0.5 s and whole-second elapsed texts
    assert re.search(r"finished: the run took [123]s\.$", finished[0]), finished
    notes = driver.execute_script("return window.__notes")
    assert [body for _, body in notes] == [
        "finished: the run took " + finished[0].split("took ")[1]
    ]
    assert "finished" in driver.execute_script(BANNER_TEXT)


def test_a_short_run_is_not_announced(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, permission="granted", era="2021", idle=60, run=1)
    paste(driver, finished_after_s=30)
    wait_until(lambda: driver.execute_script("return !window.__sim.busy"), timeout=20)
    ticks = driver.execute_script("return window.__logs.length")
    wait_until(lambda: driver.execute_script("return window.__logs.length") >= ticks + 3)
    driver.execute_script("window.colabWatchdog.stop()")
    assert warns(driver) == []
    assert driver.execute_script("return window.__notes") == []


def test_a_crash_is_announced_once_with_its_reason(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, permission="granted", era="2025", idle=60, run=600, crash_after=1.5)
    paste(driver, finished_after_s=0.5)
    wait_until(lambda: any("crashed" in w for w in warns(driver)), timeout=20)
    ticks = driver.execute_script("return window.__logs.length")
    wait_until(lambda: driver.execute_script("return window.__logs.length") >= ticks + 3)
    driver.execute_script("window.colabWatchdog.stop()")
    assert warns(driver) == [
        "[colab-watchdog] crashed: Your session crashed after using all available RAM."
    ]  # and no "finished": the crash ended the run
    notes = driver.execute_script("return window.__notes")
    assert notes == [
        ["Colab watchdog", "crashed: Your session crashed after using all available RAM."]
    ]


def test_without_permission_it_asks_once_and_still_warns(
    driver: Any, sim_server: SimServer
) -> None:
    load(driver, sim_server, permission="default", era="2025", idle=60, crash_after=1)
    paste(driver)
    wait_until(lambda: any("crashed" in w for w in warns(driver)), timeout=20)
    driver.execute_script("window.colabWatchdog.stop()")
    assert driver.execute_script("return window.__asked") == 1
    assert driver.execute_script("return window.__notes") == []
    assert "crashed" in driver.execute_script(BANNER_TEXT)
