"""SeleniumBrowser: the Browser port over one WebDriver session, in launch, attach or remote mode.

One tab (window handle) per notebook. Every WebDriver call runs inside `translating(...)`, so
only watchdog.errors.BrowserError subclasses leave this module.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psutil
from loguru import logger
from selenium import webdriver
from selenium.common.exceptions import NoSuchWindowException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.webdriver import WebDriver

from watchdog import jsassets
from watchdog.adapters.browser import attach as attach_mod
from watchdog.adapters.browser.config import TRIM_FLAGS, BrowserConfig, chromium_flags
from watchdog.adapters.browser.driver import (
    INSTALL_HINTS,
    ResolvedDriver,
    resolve_browser_binary,
    resolve_chromedriver,
)
from watchdog.adapters.browser.processes import capture, kill_trees
from watchdog.adapters.browser.profile import clean_stale_locks, ensure_profile_dir
from watchdog.adapters.browser.translate import connection_reason, translating
from watchdog.core import urls
from watchdog.core.model import EngineStatus
from watchdog.core.redact import without_credentials
from watchdog.core.urls import is_sign_in_url, place, split_credentials
from watchdog.errors import (
    BrowserLost,
    BrowserUnavailable,
    ConfigError,
    PageScriptError,
    PageUnreachable,
    SignedOut,
    TabLost,
)

ENGINE_CALL = "\nreturn colabWatchdogTick(arguments[0]);"
# The adapter's tick: one round trip for the URL check, the engine and the title. The engine
# runs only when the tab still shows exactly the address last checked (arguments[1]);
# otherwise the script returns the address alone for Python to check (same_notebook).
TICK_CALL = """
const cwHref = location.href;
if (cwHref !== arguments[1]) return {href: cwHref, signedOut: cwSignInPage()};
return {href: cwHref, title: document.title, status: colabWatchdogTick(arguments[0])};
"""


class _PinnedService(Service):
    """A chromedriver Service that uses exactly the path we resolved.

    Selenium's own Service silently prefers $SE_CHROMEDRIVER over `executable_path`; our
    resolution already honoured that variable in its place in the order.
    """

    def env_path(self) -> str | None:
        return None


def child_environment(env: Mapping[str, str]) -> dict[str, str] | None:
    """The environment of chromedriver and so of Chromium: the CLI's, without any
    WATCHDOG_* variable (alert URLs, credentials). None (inherit) when none was given."""
    if not env:
        return None
    return {k: v for k, v in env.items() if not k.upper().startswith("WATCHDOG_")}


def same_notebook(current: str, wanted: str) -> bool:
    """True when the tab at `current` still shows the notebook `wanted` (both normalised the
    way a browser rewrites addresses; see watchdog.core.urls.same_notebook)."""
    return urls.same_notebook(current, wanted)


class SeleniumBrowser:
    """The real Browser port. `label` names this session in log lines."""

    def __init__(self, config: BrowserConfig, *, label: str = "browser") -> None:
        self.config = config
        self.label = label
        self._driver: WebDriver | None = None
        self._tabs: dict[str, str] = {}  # notebook URL -> window handle
        self._unloaded: set[str] = set()  # notebooks whose last navigation failed (net::ERR_)
        self._hrefs: dict[str, str] = {}  # notebook URL -> its tab's address when last checked
        self._spare: list[str] = []  # blank tabs a launch may reuse
        # launch: browser; launch+attach: chromedriver. Captured at start, so a PID reused
        # by another process by the time we end the session is never killed.
        self._procs: list[psutil.Process] = []
        # launch/attach: (browser binary, profile dir, chromedriver), found by the first start
        self._local: tuple[str | None, Path | None, ResolvedDriver] | None = None
        self._attach: tuple[str, int] | None = None
        if config.mode == "attach":
            if not config.attach_address:
                raise ConfigError("attach mode needs WATCHDOG_ATTACH_ADDRESS or --attach ADDR")
            self._attach = attach_mod.parse_attach_address(
                config.attach_address, allow_remote=config.allow_remote_attach
            )
        if config.mode == "remote" and not config.remote_url:
            raise ConfigError("remote mode needs WATCHDOG_REMOTE_URL or --remote URL")

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def pids(self) -> list[int]:
        """PIDs this session started and will end (browser, chromedriver); empty when remote."""
        return [proc.pid for proc in self._procs]

    @property
    def driver(self) -> WebDriver:
        if self._driver is None:
            raise BrowserLost(f"{self.label}: no WebDriver session (start() not called)")
        return self._driver

    def start(self) -> None:
        """Start, attach or connect. Raises BrowserUnavailable (or BrowserLost when attaching).

        Starting again ends the previous session first (never two browsers on one profile).
        """
        self._end_session(grace=0)
        self._tabs.clear()
        self._unloaded.clear()
        self._spare.clear()
        if self.config.mode == "remote":
            self._driver = self._start_remote()
        else:
            self._driver = self._start_local()
        with translating("setting timeouts"):
            self._driver.set_page_load_timeout(self.config.page_load_timeout)
            self._driver.set_script_timeout(self.config.script_timeout)
            if self.config.mode != "attach":
                self._spare = list(self._driver.window_handles)

    def _options(self) -> webdriver.ChromeOptions:
        options = webdriver.ChromeOptions()
        options.page_load_strategy = "eager"
        if self.config.mode == "attach":
            assert self._attach is not None
            options.debugger_address = f"{self._attach[0]}:{self._attach[1]}"
            return options
        for flag in (*chromium_flags(self.config.platform), *TRIM_FLAGS):
            options.add_argument(flag)
        if self.config.headless:
            options.add_argument("--headless=new")
        for flag in self.config.extra_arguments:
            options.add_argument(flag)
        return options

    def _resolve_local(self) -> tuple[str | None, Path | None, ResolvedDriver]:
        """Browser binary, profile dir (launch) and chromedriver, found once and then reused:
        finding the driver may run Selenium Manager, too slow for every recovery."""
        if self._local is None:
            cfg = self.config
            binary, profile = None, None
            if cfg.mode == "launch":
                binary = resolve_browser_binary(cfg.chrome_binary, cfg.host)
                if cfg.profile_dir is None:
                    raise ConfigError("launch mode needs WATCHDOG_PROFILE_DIR")
                profile = ensure_profile_dir(cfg.profile_dir)
            resolved = resolve_chromedriver(
                cfg.chromedriver, cfg.host, allow_download=cfg.allow_driver_download, binary=binary
            )
            self._local = (binary, profile, resolved)
        return self._local

    def _start_local(self) -> WebDriver:
        cfg = self.config
        options = self._options()
        binary, profile, resolved = self._resolve_local()
        if cfg.mode == "launch":
            assert profile is not None
            if binary:
                options.binary_location = binary
            clean_stale_locks(profile, end_orphans=True)  # under the profile lock (CLI)
            options.add_argument(f"--user-data-dir={profile}")
        else:
            assert self._attach is not None
            attach_mod.probe(*self._attach)
        logger.info(
            "{}: chromedriver {} (from {}), browser {}",
            self.label,
            resolved.path,
            resolved.source,
            binary or ("attached " + str(cfg.attach_address) if self._attach else "default"),
        )
        try:
            with translating(f"starting chromedriver {resolved.path}"):
                service = _PinnedService(resolved.path, env=child_environment(cfg.env))
                driver = webdriver.Chrome(options=options, service=service)
        except BrowserLost as exc:
            # A local driver or browser that cannot start is a setup problem, not a lost
            # session: the driver exited at once, the browser binary is missing, no display.
            raise BrowserUnavailable(
                f"{self.label}: cannot start the browser: {exc.message}",
                hint="check WATCHDOG_CHROME_BINARY / WATCHDOG_CHROMEDRIVER, or "
                + INSTALL_HINTS[cfg.host.family],
            ) from exc
        pids: list[object] = []
        if cfg.mode == "launch":
            pids.append(driver.capabilities.get("goog:processID"))
        if driver.service.process is not None:
            pids.append(driver.service.process.pid)
        captured = (capture(pid) for pid in pids if isinstance(pid, int))
        self._procs = [proc for proc in captured if proc is not None]
        return driver

    def _start_remote(self) -> WebDriver:
        url = str(self.config.remote_url)
        shown = without_credentials(url)  # a Grid URL may carry user:password
        # The login goes to Selenium as basic auth, not inside the URL (which Selenium warns
        # about, and which it would carry into its own messages).
        address, user, password = split_credentials(url)
        config = ClientConfig(
            remote_server_addr=address,
            timeout=int(self.config.remote_timeout),
            username=user,
            password=password,
        )
        logger.info("{}: remote WebDriver {} (timeout {}s)", self.label, shown, config.timeout)
        try:
            with translating(f"connecting to the remote WebDriver {shown}"):
                return webdriver.Remote(
                    command_executor=address, options=self._options(), client_config=config
                )
        except BrowserLost as exc:
            reason = connection_reason(exc.__cause__ or exc)
            if reason is None:
                raise
            raise BrowserLost(
                f"cannot reach the remote WebDriver {shown}: {reason}",
                hint="start the Selenium Grid / WebDriver server there, or fix --remote "
                "(WATCHDOG_REMOTE_URL)",
            ) from exc

    def _end_session(self, *, grace: float) -> None:
        """Quit the WebDriver session (bounded), then kill what we started and is left over."""
        driver, self._driver = self._driver, None
        if driver is not None:
            process = getattr(getattr(driver, "service", None), "process", None)
            if process is None or process.poll() is None:
                # quit() can hang on a dead remote node until the client timeout: bound it.
                quitter = threading.Thread(target=_quiet_quit, args=(driver,), daemon=True)
                quitter.start()
                quitter.join(timeout=10)
            if process is not None:
                with contextlib.suppress(Exception):
                    process.kill()
                    process.wait(timeout=3)  # reap it: no zombie chromedriver
        procs, self._procs = self._procs, []
        if procs:
            kill_trees(procs, grace=grace)

    def recover(self) -> None:
        """End the dead session (killing orphans by PID), clean stale locks, start anew.

        Tabs are forgotten: the caller reopens each notebook with open().
        """
        logger.info("{}: recreating the browser session", self.label)
        self.start()

    def close(self) -> None:
        """Launch: quit and make sure no browser/driver process is left. Attach: end only our
        WebDriver session and chromedriver; the user's browser and tabs keep running."""
        self._end_session(grace=3)
        self._tabs.clear()

    # -- tabs --------------------------------------------------------------------------------

    def open(self, url: str) -> None:
        """Make sure a tab shows `url`: reuse its tab, adopt a matching one, or open a new one.

        Raises PageUnreachable when the page does not load (server down); the tab then shows
        Chromium's error page under the notebook's URL, so the next open() loads it again.
        """
        driver = self.driver
        try:
            with translating(f"opening {url}"):
                self._open(driver, url)
        except PageUnreachable:
            self._unloaded.add(url)
            raise
        self._unloaded.discard(url)

    def _open(self, driver: WebDriver, url: str) -> None:
        handles = driver.window_handles
        handle = self._tabs.get(url)
        if handle in handles:
            self._switch(driver, handle)
            if url in self._unloaded or not same_notebook(driver.current_url, url):
                driver.get(url)
            return
        claimed = set(self._tabs.values())
        adopted = self._adoptable(url, handles, claimed)
        if adopted is not None:
            self._tabs[url] = adopted
            logger.info("{}: adopted the open tab of {}", self.label, url)
            return
        spare = next((h for h in self._spare if h in handles and h not in claimed), None)
        if spare is not None:
            self._spare.remove(spare)
            driver.switch_to.window(spare)
        else:
            front = self._front_tab()
            # New Window needs a live current window; the current one may be the lost tab.
            driver.switch_to.window(handles[0])
            driver.switch_to.new_window("tab")
            self._put_front_back(front, driver.current_window_handle)
        self._tabs[url] = driver.current_window_handle
        driver.get(url)

    def reload(self, url: str) -> None:
        """Reload the notebook's tab (e.g. it shows an HTTP error page).

        TabLost when the tab is gone or shows another page (open() brings it back);
        PageUnreachable when the page does not load.
        """
        driver = self._enter(url)
        try:
            with translating(f"reloading {url}"):
                # get(), not refresh(): chromedriver reports a failed load (net::ERR_*) for
                # get() only; refresh() would leave Chromium's error page looking loaded.
                driver.get(url)
        except PageUnreachable:
            self._unloaded.add(url)
            raise

    def _adoptable(self, url: str, handles: list[str], claimed: set[str]) -> str | None:
        if self._attach is None:
            return None
        for target, tab_url in attach_mod.list_tabs(*self._attach):
            if target in handles and target not in claimed and same_notebook(tab_url, url):
                return target
        return None

    def _switch_to_tab(self, url: str) -> WebDriver:
        """Switch to the notebook's tab; TabLost when there is none, PageUnreachable when its
        last load failed."""
        driver = self.driver
        handle = self._tabs.get(url)
        if handle is None:
            raise TabLost(f"no tab open for {url}")
        if url in self._unloaded:
            raise PageUnreachable(f"the page of {url} did not load (open it again)")
        with translating(f"switching to {url}"):
            self._switch(driver, handle)
        return driver

    def _check_href(self, url: str, current: object, signed_out: object = False) -> str:
        """`current` (the tab's address) if it still shows the notebook, else TabLost
        (SignedOut when it is a sign-in page: `signed_out` is the page's own verdict)."""
        if not isinstance(current, str) or not same_notebook(current, url):
            landed = current if isinstance(current, str) else None
            if signed_out is True or (landed is not None and is_sign_in_url(landed)):
                where = place(landed or "")
                raise SignedOut(f"the tab of {url} landed on a sign-in page {where}", landed=landed)
            raise TabLost(f"the tab of {url} navigated away to {current}", landed=landed)
        self._hrefs[url] = current
        return current

    def _enter(self, url: str) -> WebDriver:
        """Switch to the notebook's tab; TabLost when it is gone or shows something else."""
        driver = self._switch_to_tab(url)
        with translating(f"reading the address of {url}"):
            current = driver.current_url
        self._check_href(url, current)
        return driver

    def _switch(self, driver: WebDriver, handle: str) -> None:
        """Make `handle` WebDriver's current tab.

        Switching also brings the tab to the front. In attach mode that is the user's own
        window, so: no switch at all when the tab is already current (one watched notebook:
        the user's view is never touched after the first tick), and otherwise the tab the user
        had in front is put back right after (with several notebooks it flickers once per tick).
        """
        if self._attach is None:
            driver.switch_to.window(handle)
            return
        try:
            if driver.current_window_handle == handle:
                return
        except NoSuchWindowException:
            pass  # the current tab was closed; switching away from it is what we want
        front = self._front_tab()
        driver.switch_to.window(handle)
        self._put_front_back(front, handle)

    def _front_tab(self) -> str | None:
        """Attach mode: the tab in front of the user's browser (None when unknown)."""
        if self._attach is None:
            return None
        try:
            tabs = attach_mod.list_tabs(*self._attach)
        except BrowserLost:
            return None
        return tabs[0][0] if tabs else None

    def _put_front_back(self, front: str | None, shown: str) -> None:
        if self._attach is None or front is None or front == shown:
            return
        if not attach_mod.activate_tab(*self._attach, front):
            logger.debug("{}: could not bring the user's tab {} back", self.label, front)

    def tick(self, url: str, options: dict[str, Any]) -> tuple[EngineStatus, str | None]:
        """Run js/engine.js once in the notebook's tab; returns (status, page title).

        Normally one round trip (TICK_CALL); a second one when the tab's address changed since
        it was last checked and still shows the notebook (Colab rewrote its query or fragment).
        TabLost, with the engine not run, when the tab shows another page.
        """
        driver = self._switch_to_tab(url)
        script = jsassets.load("engine.js") + TICK_CALL
        raw: Any = None
        for _ in range(2):
            with translating(f"ticking {url}"):
                raw = driver.execute_script(script, options, self._hrefs.get(url))
            if not isinstance(raw, dict):
                raise PageScriptError(f"tick result for {url} is not an object: {raw!r:.80}")
            if "status" in raw:
                break
            self._check_href(url, raw.get("href"), raw.get("signedOut"))
        else:
            raise TabLost(f"the tab of {url} keeps changing its address")
        try:
            status = EngineStatus.from_json(raw["status"])
        except ValueError as exc:
            raise PageScriptError(f"engine result for {url} is malformed: {exc}") from exc
        title = raw.get("title")
        return status, title if isinstance(title, str) and title else None

    def evaluate(self, url: str, script: str, *args: Any) -> Any:
        """Run `script` (a function body using `arguments`) in the notebook's tab; its result."""
        driver = self._enter(url)
        with translating(f"evaluating a script in {url}"):
            return driver.execute_script(script, *args)


def _quiet_quit(driver: WebDriver) -> None:
    with contextlib.suppress(Exception):
        driver.quit()
