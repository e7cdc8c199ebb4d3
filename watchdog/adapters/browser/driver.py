"""Finding chromedriver and the browser binary, in the order the engineering notes give.

1. the explicit path setting (WATCHDOG_CHROMEDRIVER)
2. the SE_CHROMEDRIVER environment variable (Selenium would silently prefer it anyway)
3. `chromedriver` on PATH
4. Selenium Manager, offline (SE_OFFLINE=true, SE_AVOID_STATS=true): only cached drivers
5. webdriver-manager, only when downloads are allowed
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from loguru import logger

from watchdog.adapters.browser.translate import INSTALL_HINT
from watchdog.errors import BrowserUnavailable, ConfigError

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


@dataclass(frozen=True)
class ResolvedDriver:
    path: str
    source: str  # which step found it, for the log line


def _executable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def _selenium_manager(binary: str | None) -> str | None:
    from selenium.webdriver.common.selenium_manager import SeleniumManager

    args = ["--browser", "chrome", "--offline", "--avoid-stats"]
    if binary:
        args += ["--browser-path", binary]
    try:
        found = SeleniumManager().binary_paths(args)
    except Exception as exc:  # any failure just means "not found here"
        logger.debug("Selenium Manager (offline) found no driver: {}", exc)
        return None
    path = found.get("driver_path")
    return str(path) if path and _executable(str(path)) else None


def _webdriver_manager() -> str | None:
    try:
        from webdriver_manager.chrome import ChromeDriverManager

        return str(ChromeDriverManager().install())
    except Exception as exc:
        logger.warning("webdriver-manager could not download chromedriver: {}", exc)
        return None


def resolve_chromedriver(
    explicit: str | None,
    env: Mapping[str, str],
    *,
    allow_download: bool = False,
    binary: str | None = None,
    selenium_manager: Callable[[str | None], str | None] = _selenium_manager,
    webdriver_manager: Callable[[], str | None] = _webdriver_manager,
) -> ResolvedDriver:
    """Return the chromedriver to use and where it came from.

    Raises ConfigError when the explicit path is not an executable, BrowserUnavailable with
    the install hint when no step finds one.
    """
    if explicit:
        if not _executable(explicit):
            raise ConfigError(
                f"WATCHDOG_CHROMEDRIVER={explicit!r} is not an executable file "
                "(use the path of chromedriver, e.g. /usr/bin/chromedriver, or leave it unset)"
            )
        return ResolvedDriver(explicit, "WATCHDOG_CHROMEDRIVER")
    from_env = env.get("SE_CHROMEDRIVER")
    if from_env:
        if not _executable(from_env):
            raise ConfigError(
                f"SE_CHROMEDRIVER={from_env!r} is not an executable file "
                "(unset it or point it at chromedriver)"
            )
        return ResolvedDriver(from_env, "SE_CHROMEDRIVER (it wins over PATH)")
    on_path = shutil.which("chromedriver", path=env.get("PATH"))
    if on_path:
        return ResolvedDriver(on_path, "PATH")
    managed = selenium_manager(binary)
    if managed:
        return ResolvedDriver(managed, "Selenium Manager cache (offline)")
    if allow_download:
        downloaded = webdriver_manager()
        if downloaded:
            return ResolvedDriver(downloaded, "webdriver-manager download")
    raise BrowserUnavailable("no chromedriver found", hint=INSTALL_HINT)


def resolve_browser_binary(explicit: str | None, env: Mapping[str, str]) -> str | None:
    """The Chrome/Chromium binary: the explicit setting, else the first known name on PATH.

    None means "let chromedriver find its default browser". Raises ConfigError for a bad
    explicit path.
    """
    if explicit:
        found = explicit if _executable(explicit) else shutil.which(explicit, path=env.get("PATH"))
        if not found:
            raise ConfigError(
                f"WATCHDOG_CHROME_BINARY={explicit!r} is not an executable "
                "(use e.g. /usr/bin/chromium or google-chrome, or leave it unset)"
            )
        return found
    for name in BROWSER_NAMES:
        found = shutil.which(name, path=env.get("PATH"))
        if found:
            return found
    return None
