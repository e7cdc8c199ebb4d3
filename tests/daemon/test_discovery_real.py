"""Browser and driver discovery against this machine's real files and the real Selenium
Manager binary (the unit tier covers macOS and Windows with a fake filesystem)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.daemon.conftest import alive, require_chrome
from tests.helpers import wait_until
from watchdog.adapters.browser import BrowserConfig, SeleniumBrowser
from watchdog.adapters.browser.discovery import find_browser, standard_locations
from watchdog.adapters.browser.driver import resolve_chromedriver
from watchdog.core.host import Host
from watchdog.errors import BrowserUnavailable

pytestmark = pytest.mark.browser


def host_with_path(path: str, cache: Path | None = None) -> Host:
    env = {"PATH": path, "HOME": str(Path.home())}
    if cache is not None:  # Selenium Manager's cache: a download lands there
        env["SE_CACHE_PATH"] = str(cache)
    return Host("linux", env, str(Path.home()))


def test_selenium_manager_finds_the_browser_when_path_has_none(tmp_path: Path) -> None:
    browser, _ = require_chrome()
    host = host_with_path(str(tmp_path))  # an empty PATH directory
    found = find_browser(host)
    assert found is not None
    if any(Path(c.path).exists() for c in standard_locations(host)):
        assert found.where == "standard location"
    else:  # Debian's /usr/bin/chromium is in none of our lists: Selenium Manager knows it
        assert (found.path, found.where) == (browser, "Selenium Manager")


def test_without_a_driver_the_download_is_tried_and_bounded(tmp_path: Path) -> None:
    """No chromedriver on PATH: Selenium Manager downloads one (online) or the resolution
    ends with the one-line offline error (here, without internet) within its bound."""
    browser, _ = require_chrome()
    host = host_with_path(str(tmp_path), cache=tmp_path / "se-cache")
    try:
        found = resolve_chromedriver(None, host, binary=browser, webdriver_manager=lambda: None)
    except BrowserUnavailable as exc:
        message = str(exc)
        assert "offline" in message and "apt-get install chromium chromium-driver" in message
        assert "\n" not in message
    else:
        assert found.source == "Selenium Manager download"
        assert Path(found.path).is_relative_to(tmp_path / "se-cache")
        assert os.access(found.path, os.X_OK)


def test_launch_finds_browser_and_driver_by_itself(tmp_path: Path) -> None:
    """No WATCHDOG_CHROME_BINARY, no WATCHDOG_CHROMEDRIVER: what a laptop user has."""
    browser, driver = require_chrome()
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "chromedriver").symlink_to(driver)
    (bindir / "chromium").symlink_to(browser)
    config = BrowserConfig(
        mode="launch",
        profile_dir=tmp_path / "profile",
        env={"PATH": str(bindir)},
        allow_driver_download=False,
    )
    session = SeleniumBrowser(config)
    try:
        session.start()
        assert session.driver.execute_script("return 6 * 7") == 42
        pids = session.pids
        assert len(pids) == 2 and all(alive(pid) for pid in pids)
    finally:
        session.close()
    wait_until(lambda: not any(alive(pid) for pid in pids), timeout=30, message="leftovers")
