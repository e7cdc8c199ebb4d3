"""Finding chromedriver and the browser binary.

chromedriver, in this order:
1. the explicit path setting (WATCHDOG_CHROMEDRIVER)
2. the SE_CHROMEDRIVER environment variable (Selenium would silently prefer it anyway)
3. `chromedriver` (`chromedriver.exe` on Windows) on PATH
4. Selenium Manager, offline: a driver it downloaded before (its cache)
5. unless WATCHDOG_ALLOW_DRIVER_DOWNLOAD=false: Selenium Manager downloads the chromedriver
   that matches the browser (bounded by DOWNLOAD_TIMEOUT), then webdriver-manager
6. else one line saying what to install for this OS

The browser: WATCHDOG_CHROME_BINARY, else `discovery.find_browser` (PATH, the OS's
standard install locations, Selenium Manager).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from loguru import logger

from watchdog.adapters.browser.discovery import (
    IsExecutable,
    SeleniumManagerBrowser,
    find_browser,
    is_executable,
    selenium_manager_browser,
)
from watchdog.adapters.browser.manager import run_selenium_manager
from watchdog.adapters.browser.translate import INSTALL_HINT
from watchdog.core.host import Host
from watchdog.errors import BrowserUnavailable, ConfigError

# Selenium Manager's whole run when it may download: a laptop offline or behind a captive
# portal gets the one-line error after this long at most (measured offline here: 0.7 s).
DOWNLOAD_TIMEOUT = 45.0
OFFLINE_TIMEOUT = 20.0

# What to install when nothing is found, by OS family.
DESKTOP_HINT = (
    "install Google Chrome and run once with internet access (Selenium Manager then "
    "downloads the matching chromedriver), or set WATCHDOG_CHROMEDRIVER"
)
INSTALL_HINTS = {"linux": INSTALL_HINT, "macos": DESKTOP_HINT, "windows": DESKTOP_HINT}

# (binary, offline) -> the driver path Selenium Manager gives, or None
SeleniumManagerDriver = Callable[[str | None, bool], "str | None"]


@dataclass(frozen=True)
class ResolvedDriver:
    path: str
    source: str  # which step found it, for the log line


def _selenium_manager(binary: str | None, offline: bool, env: Mapping[str, str]) -> str | None:
    args = ["--browser", "chrome"]
    if binary:
        args += ["--browser-path", binary]
    if offline:
        args.append("--offline")
    timeout = OFFLINE_TIMEOUT if offline else DOWNLOAD_TIMEOUT
    result = run_selenium_manager(args, timeout=timeout, env=env)
    path = result.get("driver_path")
    if path and is_executable(str(path)):
        return str(path)
    if not offline:
        logger.warning(
            "Selenium Manager could not download chromedriver: {}",
            result.get("message") or "no answer",
        )
    return None


def _webdriver_manager() -> str | None:
    try:
        from webdriver_manager.chrome import ChromeDriverManager  # noqa: PLC0415 only when downloads are allowed

        return str(ChromeDriverManager().install())
    except Exception as exc:
        logger.warning("webdriver-manager could not download chromedriver: {}", exc)
        return None


def driver_name(host: Host) -> str:
    return "chromedriver.exe" if host.family == "windows" else "chromedriver"


def resolve_chromedriver(
    explicit: str | None,
    host: Host,
    *,
    allow_download: bool = True,
    binary: str | None = None,
    selenium_manager: SeleniumManagerDriver | None = None,
    webdriver_manager: Callable[[], str | None] = _webdriver_manager,
    executable: IsExecutable = is_executable,
) -> ResolvedDriver:
    """Return the chromedriver to use and where it came from.

    Raises ConfigError when an explicit path is not an executable, BrowserUnavailable with
    this OS's install hint when no step finds one. Selenium Manager runs with the
    host's environment.
    """
    if selenium_manager is None:

        def selenium_manager(binary: str | None, offline: bool) -> str | None:
            return _selenium_manager(binary, offline, host.env)

    if explicit:
        if not executable(explicit):
            raise ConfigError(
                f"WATCHDOG_CHROMEDRIVER={explicit!r} is not an executable file "
                "(use the path of chromedriver, e.g. /usr/bin/chromedriver, or leave it unset)"
            )
        return ResolvedDriver(explicit, "WATCHDOG_CHROMEDRIVER")
    from_env = host.getenv("SE_CHROMEDRIVER")
    if from_env:
        if not executable(from_env):
            raise ConfigError(
                f"SE_CHROMEDRIVER={from_env!r} is not an executable file "
                "(unset it or point it at chromedriver)"
            )
        return ResolvedDriver(from_env, "SE_CHROMEDRIVER (it wins over PATH)")
    name = driver_name(host)
    for entry in host.path_entries:
        on_path = str(host.path(entry, name))
        if executable(on_path):
            return ResolvedDriver(on_path, "PATH")
    cached = selenium_manager(binary, True)
    if cached:
        return ResolvedDriver(cached, "Selenium Manager cache (offline)")
    hint = INSTALL_HINTS[host.family]
    if not allow_download:
        raise BrowserUnavailable(
            "no chromedriver found (WATCHDOG_ALLOW_DRIVER_DOWNLOAD=false: not downloading one)",
            hint=hint,
        )
    downloaded = selenium_manager(binary, False)
    if downloaded:
        return ResolvedDriver(downloaded, "Selenium Manager download")
    fetched = webdriver_manager()
    if fetched:
        return ResolvedDriver(fetched, "webdriver-manager download")
    raise BrowserUnavailable(
        "no chromedriver found, and none could be downloaded (offline?)", hint=hint
    )


def resolve_browser_binary(
    explicit: str | None,
    host: Host,
    *,
    executable: IsExecutable = is_executable,
    selenium_manager: SeleniumManagerBrowser = selenium_manager_browser,
) -> str | None:
    """The Chrome/Chromium binary: the explicit setting, else the first browser
    `find_browser` finds.

    None means "let chromedriver find its default browser". Raises ConfigError for a bad
    explicit path.
    """
    if explicit:
        names = [explicit]
        if host.family == "windows" and not explicit.lower().endswith(".exe"):
            names.append(explicit + ".exe")  # `chrome` means chrome.exe there
        found = next((name for name in names if executable(name)), None)
        on_path = (str(host.path(entry, name)) for name in names for entry in host.path_entries)
        found = found or next((path for path in on_path if executable(path)), None)
        if not found:
            raise ConfigError(
                f"WATCHDOG_CHROME_BINARY={explicit!r} is not an executable "
                "(use e.g. /usr/bin/chromium or google-chrome, or leave it unset)"
            )
        return found
    browser = find_browser(host, executable=executable, selenium_manager=selenium_manager)
    return None if browser is None else browser.path
