"""Session start-up per mode (launch, attach, remote), its transport, and its end.

    starter = SessionStarter(config, label)
    driver = starter.start()            # BrowserUnavailable / BrowserLost when it cannot
    transport = starter.transport(driver)   # BiDi when offered, else the classic fallback
    starter.end(driver, grace=3)        # quit (bounded) and kill what we started, by PID

Launch and remote sessions ask for BiDi (`webSocketUrl`); attach mode drives the user's
Chrome over its DevTools protocol (same addressing by tab, no switching). When the endpoint
offers neither (an old Grid, a driver without BiDi) or the socket cannot be opened, the
classic transport is used and that is logged once per SessionStarter.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from pathlib import Path

import psutil
from loguru import logger
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.remote.webdriver import WebDriver

from watchdog.adapters.browser import attach as attach_mod
from watchdog.adapters.browser.bidi_socket import BidiSocket
from watchdog.adapters.browser.cdp import CdpTransport
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
from watchdog.adapters.browser.transport import BidiTransport, ClassicTransport, Transport
from watchdog.core.redact import without_credentials
from watchdog.core.urls import split_credentials
from watchdog.errors import BrowserLost, BrowserUnavailable, ConfigError


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


class SessionStarter:
    """Starts one WebDriver session in the configured mode and ends it cleanly."""

    def __init__(self, config: BrowserConfig, label: str) -> None:
        self.config = config
        self.label = label
        # launch: browser; launch+attach: chromedriver. Captured at start, so a PID reused
        # by another process by the time we end the session is never killed.
        self.procs: list[psutil.Process] = []
        # launch/attach: (browser binary, profile dir, chromedriver), found by the first start
        self._local: tuple[str | None, Path | None, ResolvedDriver] | None = None
        self.attach: tuple[str, int] | None = None
        self._fallback_logged = False
        if config.mode == "attach":
            if not config.attach_address:
                raise ConfigError("attach mode needs WATCHDOG_ATTACH_ADDRESS or --attach ADDR")
            self.attach = attach_mod.parse_attach_address(
                config.attach_address, allow_remote=config.allow_remote_attach
            )
        if config.mode == "remote" and not config.remote_url:
            raise ConfigError("remote mode needs WATCHDOG_REMOTE_URL or --remote URL")

    # -- start -----------------------------------------------------------------------------------

    def start(self) -> WebDriver:
        """A new WebDriver session with its timeouts set."""
        driver = self._start_remote() if self.config.mode == "remote" else self._start_local()
        executor = driver.command_executor
        if self.config.mode != "remote" and isinstance(executor, RemoteConnection):
            # Remote mode sets its own (remote_timeout) at connect time.
            executor.client_config.timeout = self.config.client_timeout
        with translating("setting timeouts"):
            driver.set_page_load_timeout(self.config.page_load_timeout)
            driver.set_script_timeout(self.config.script_timeout)
        return driver

    def options(self) -> webdriver.ChromeOptions:
        options = webdriver.ChromeOptions()
        options.page_load_strategy = "eager"
        if self.config.bidi and self.config.mode != "attach":
            # Capability webSocketUrl. Not when attaching: chromedriver would load its BiDi
            # helper page into the user's front tab; attach mode uses the DevTools protocol.
            options.enable_bidi = True
        if self.config.mode == "attach":
            assert self.attach is not None
            options.debugger_address = f"{self.attach[0]}:{self.attach[1]}"
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
        options = self.options()
        binary, profile, resolved = self._resolve_local()
        if cfg.mode == "launch":
            assert profile is not None
            if binary:
                options.binary_location = binary
            clean_stale_locks(profile, end_orphans=True)  # under the profile lock (CLI)
            options.add_argument(f"--user-data-dir={profile}")
        else:
            assert self.attach is not None
            attach_mod.probe(*self.attach)
        logger.info(
            "{}: chromedriver {} (from {}), browser {}",
            self.label,
            resolved.path,
            resolved.source,
            binary or ("attached " + str(cfg.attach_address) if self.attach else "default"),
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
        self.procs = [proc for proc in captured if proc is not None]
        return driver

    def _remote_login(self) -> tuple[str, str | None, str | None]:
        return split_credentials(str(self.config.remote_url))

    def _start_remote(self) -> WebDriver:
        url = str(self.config.remote_url)
        shown = without_credentials(url)  # a Grid URL may carry user:password
        # The login goes to Selenium as basic auth, not inside the URL (which Selenium warns
        # about, and which it would carry into its own messages).
        address, user, password = self._remote_login()
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
                    command_executor=address, options=self.options(), client_config=config
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

    # -- transport -------------------------------------------------------------------------------

    def transport(self, driver: WebDriver) -> Transport:
        """BiDi per browsing context when the session offers it (attach: the DevTools
        protocol of the user's Chrome), else the classic fallback."""
        if self.attach is not None and self.config.bidi:
            try:
                return self._cdp_transport()
            except (WebDriverException, BrowserLost, KeyError) as exc:
                why = f"DevTools socket did not open ({exc})"
                url = None
        else:
            url = driver.capabilities.get("webSocketUrl") if self.config.bidi else None
            why = "disabled" if not self.config.bidi else "not offered by the endpoint"
        if isinstance(url, str) and url:
            user = password = None
            if self.config.mode == "remote":
                _, user, password = self._remote_login()
            try:
                socket = BidiSocket(
                    url, timeout=self.config.script_timeout, username=user, password=password
                )
            except WebDriverException as exc:
                why = f"its socket did not open ({exc.msg})"
            else:
                logger.info("{}: WebDriver BiDi: every tab driven by its context", self.label)
                return BidiTransport(socket, load_timeout=self.config.page_load_timeout)
        return self._classic(driver, why)

    def _cdp_transport(self) -> CdpTransport:
        assert self.attach is not None
        url = str(attach_mod.probe(*self.attach)["webSocketDebuggerUrl"])
        socket = BidiSocket(url, timeout=self.config.script_timeout)
        logger.info("{}: DevTools protocol: every tab driven by its target", self.label)
        return CdpTransport(socket, load_timeout=self.config.page_load_timeout)

    def _classic(self, driver: WebDriver, why: str) -> Transport:
        if not self._fallback_logged:
            self._fallback_logged = True
            logger.warning(
                "{}: WebDriver BiDi {}: falling back to switching tabs (classic WebDriver "
                "Actions for input){}",
                self.label,
                why,
                "; the user's front tab is put back after each switch" if self.attach else "",
            )
        return ClassicTransport(driver, front=self._front_tab, restore=self._put_front_back)

    def _front_tab(self) -> str | None:
        """Attach mode: the tab in front of the user's browser (None when unknown)."""
        if self.attach is None:
            return None
        try:
            tabs = attach_mod.list_tabs(*self.attach)
        except BrowserLost:
            return None
        return tabs[0][0] if tabs else None

    def _put_front_back(self, front: str | None, shown: str) -> None:
        if self.attach is None or front is None or front == shown:
            return
        if not attach_mod.activate_tab(*self.attach, front):
            logger.debug("{}: could not bring the user's tab {} back", self.label, front)

    # -- end -------------------------------------------------------------------------------------

    def end(self, driver: WebDriver | None, transport: Transport | None, *, grace: float) -> None:
        """Quit the WebDriver session (bounded), then kill what we started and is left over."""
        if transport is not None:
            with contextlib.suppress(Exception):
                transport.close()
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
        procs, self.procs = self.procs, []
        if procs:
            kill_trees(procs, grace=grace)


def _quiet_quit(driver: WebDriver) -> None:
    with contextlib.suppress(Exception):
        driver.quit()
