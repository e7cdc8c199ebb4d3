"""Shared test helpers: condition waits, a headless Chromium factory, simulated-Colab readers.

Import from any test folder: `from tests.helpers import wait_until, new_chrome_driver, sim`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
)


def wait_until(
    predicate: Callable[[], T],
    timeout: float = 10,
    interval: float = 0.05,
    message: str | None = None,
) -> T:
    """Poll `predicate` until it returns a truthy value; return that value.

    Raises AssertionError after `timeout` seconds, naming `message` (or the predicate) and the
    last value seen. Exceptions from the predicate propagate at once.
    """
    deadline = time.monotonic() + timeout
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() >= deadline:
            what = message or getattr(predicate, "__name__", "condition")
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}; last={last!r}")
        time.sleep(interval)


def chrome_paths() -> tuple[str | None, str | None]:
    """(browser, driver) paths: env overrides, then Debian's, then PATH."""
    browser = os.environ.get("WATCHDOG_TEST_CHROME") or next(
        (
            p
            for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("google-chrome"))
            if p and Path(p).exists()
        ),
        None,
    )
    driver = os.environ.get("WATCHDOG_TEST_CHROMEDRIVER") or next(
        (
            p
            for p in ("/usr/bin/chromedriver", shutil.which("chromedriver"))
            if p and Path(p).exists()
        ),
        None,
    )
    return browser, driver


def new_chrome_driver(user_data_dir: Path, *, page_load_timeout: float = 30) -> Any:
    """A headless Chromium WebDriver on a fresh profile directory. The caller must `quit()` it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = chrome_paths()
    if browser is None or driver_path is None:
        raise RuntimeError(
            "chromium/chromedriver not found: apt-get install chromium chromium-driver"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    # SE_CHROMEDRIVER would silently win over the explicit path: keep the one we chose.
    saved = os.environ.pop("SE_CHROMEDRIVER", None)
    try:
        driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    finally:
        if saved is not None:
            os.environ["SE_CHROMEDRIVER"] = saved
    driver.set_page_load_timeout(page_load_timeout)
    driver.set_script_timeout(30)
    return driver


# ---------------------------------------------------------------- simulated-Colab readers
def sim(driver: Any, expression: str) -> Any:
    """Evaluate a JS expression against `window.__sim` (bound as `s`), e.g. `s.counters`."""
    return driver.execute_script(f"const s = window.__sim; return ({expression});")


def sim_counters(driver: Any) -> dict[str, int]:
    """The page's counters (interactions, disconnects, panelsOpened, reconnects, ...)."""
    return dict(sim(driver, "Object.assign({}, s.counters)"))


def sim_state(driver: Any) -> str:
    """connected | disconnected | connecting."""
    return str(sim(driver, "s.state"))


def open_sim_page(driver: Any, url: str, timeout: float = 15) -> None:
    """Load a simulated-Colab page and wait until its `window.__sim` exists."""
    driver.get(url)
    wait_until(
        lambda: driver.execute_script("return !!window.__sim"),
        timeout=timeout,
        message=f"window.__sim on {url}",
    )


def record_commands(driver: Any) -> list[str]:
    """From now on, the name of every WebDriver command `driver` sends ("switchToWindow",
    "w3cExecuteScript", ...), in order, in the returned list."""
    sent: list[str] = []
    real_execute = driver.execute

    def recording(command: str, params: Any = None) -> Any:
        sent.append(command)
        return real_execute(command, params)

    driver.execute = recording
    return sent


def record_bidi(browser: Any) -> list[str]:
    """From now on, the method of every BiDi command the SeleniumBrowser `browser` sends
    ("script.callFunction", "input.performActions", ...), in order, in the returned list."""
    sent: list[str] = []
    socket = browser.transport.socket
    real_command = socket.command

    def recording(method: str, params: Any, timeout: float | None = None) -> Any:
        sent.append(method)
        return real_command(method, params, timeout)

    socket.command = recording
    return sent


def run_once_remote(
    tmp_path: Path, remote: str, notebook: str, *, timeout: float = 300, **env_extra: str
) -> subprocess.CompletedProcess[str]:
    """`python -m watchdog run --once --remote REMOTE NOTEBOOK` in tmp_path, with no WATCHDOG_*
    variable from the caller and state/profile under tmp_path (XDG dirs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    env.update(XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"))
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "watchdog", "run", "--once", "--remote", remote, notebook],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
