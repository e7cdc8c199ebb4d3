"""SeleniumBrowser: the Browser port over one WebDriver session, in launch, attach or remote mode.

One tab per notebook, each addressed by its handle (= BiDi browsing context):
    startup.py    starting the session per mode, choosing the transport, ending it
    tabs.py       which tab shows which notebook
    transport.py  script, navigation and input per tab (BiDi; classic fallback)
    cdp.py        the same over the DevTools protocol (attach mode)
    actuator.py   performing the engine's plan with browser-generated input

With BiDi no tab is ever switched to: in attach mode the user's front tab stays as it is.
Launch and remote modes open each notebook in its own window, so every notebook page is
visible and pointer input reaches it at once. Every WebDriver call runs inside
`translating(...)`, so only watchdog.errors.BrowserError subclasses leave this module.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, NoReturn

from loguru import logger
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.remote.webdriver import WebDriver

from watchdog import jsassets
from watchdog.adapters.browser import attach as attach_mod
from watchdog.adapters.browser.actuator import perform
from watchdog.adapters.browser.config import BrowserConfig
from watchdog.adapters.browser.startup import SessionStarter, child_environment
from watchdog.adapters.browser.tabs import TabRegistry
from watchdog.adapters.browser.translate import translating
from watchdog.adapters.browser.transport import Transport, decode_tick
from watchdog.core import urls
from watchdog.core.jstemplate import fill, without_header
from watchdog.core.model import EngineStatus
from watchdog.core.urls import is_sign_in_url, place
from watchdog.errors import (
    BrowserError,
    BrowserLost,
    PageHung,
    PageScriptError,
    PageUnreachable,
    SignedOut,
    TabLost,
)

__all__ = ["SeleniumBrowser", "child_environment", "same_notebook"]


def page_function(name: str) -> str:
    """js/<name> as the bare function expression every transport calls (header dropped)."""
    return without_header(jsassets.load(name))


@dataclass(frozen=True)
class TickScripts:
    """The tick function is installed once per document, under a symbol of the page's window
    (js/tick_install.js), and each tick then sends a few bytes (js/tick_stub.js) instead of
    the whole engine. A tick that finds no function of this version answers ["install"] and
    the adapter installs it. The options travel as JSON text: BiDi takes ~20 ms more to pass
    an object argument than a string (measured with Chromium 156)."""

    stub: str
    install: str
    version: str  # of js/engine.js + js/tick.js, so a new daemon replaces an old engine


def tick_scripts() -> TickScripts:
    """The per-tick call and the once-per-document installation, with their version."""
    body = jsassets.load("engine.js") + "\n" + jsassets.load("tick.js")
    install = fill(page_function("tick_install.js"), ENGINE_AND_TICK=body)
    version = hashlib.sha256(install.encode()).hexdigest()[:16]
    return TickScripts(page_function("tick_stub.js"), install, version)


def evaluate_function(body: str) -> str:
    """js/evaluate.js around a script body: the body's result comes back as JSON text."""
    return fill(page_function("evaluate.js"), BODY=body)


# How long the browser itself may take to list its tabs when a tab missed its deadline:
# no answer either, and the whole browser is taken for lost (frozen, not one page).
PROBE_S = 3.0


def same_notebook(current: str, wanted: str) -> bool:
    """True when the tab at `current` still shows the notebook `wanted` (both normalised the
    way a browser rewrites addresses; see watchdog.core.urls.same_notebook)."""
    return urls.same_notebook(current, wanted)


class SeleniumBrowser:
    """The real Browser port. `label` names this session in log lines."""

    def __init__(self, config: BrowserConfig, *, label: str = "browser") -> None:
        self.config = config
        self.label = label
        self._starter = SessionStarter(config, label)
        self._attach = self._starter.attach
        self._driver: WebDriver | None = None
        self._transport: Transport | None = None
        self._registry = TabRegistry()
        self._tick_scripts = tick_scripts()

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def pids(self) -> list[int]:
        """PIDs this session started and will end (browser, chromedriver); empty when remote."""
        return [proc.pid for proc in self._starter.procs]

    @property
    def driver(self) -> WebDriver:
        if self._driver is None:
            raise BrowserLost(f"{self.label}: no WebDriver session (start() not called)")
        return self._driver

    @property
    def transport(self) -> Transport:
        if self._transport is None:
            raise BrowserLost(f"{self.label}: no WebDriver session (start() not called)")
        return self._transport

    @property
    def transport_kind(self) -> str:
        """ "bidi" or "classic" (the fallback), once started."""
        return self.transport.kind

    def tab_handle(self, url: str) -> str | None:
        """The handle (browsing context) of the notebook's tab, if one is open."""
        return self._registry.handle(url)

    def start(self) -> None:
        """Start, attach or connect. Raises BrowserUnavailable (or BrowserLost when attaching).

        Starting again ends the previous session first (never two browsers on one profile).
        """
        self._end_session(grace=0)
        self._registry.clear()
        self._driver = self._starter.start()
        with translating("opening the BiDi connection"):
            self._transport = self._starter.transport(self._driver)
            if self.config.mode != "attach":
                self._registry.spare = self._transport.handles()

    def _end_session(self, *, grace: float) -> None:
        driver, self._driver = self._driver, None
        transport, self._transport = self._transport, None
        self._starter.end(driver, transport, grace=grace)

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
        self._registry.clear()

    # -- tabs --------------------------------------------------------------------------------

    def open(self, url: str) -> None:
        """Make sure a tab shows `url`: reuse its tab, adopt a matching one, or open a new one.

        Raises PageUnreachable when the page does not load (server down); the tab then shows
        Chromium's error page under the notebook's URL, so the next open() loads it again.
        """
        transport = self.transport
        try:
            with self._hang_check(url), translating(f"opening {url}"):
                self._open(transport, url)
        except PageUnreachable:
            self._registry.unloaded.add(url)
            raise
        self._registry.unloaded.discard(url)

    def _open(self, transport: Transport, url: str) -> None:
        registry = self._registry
        handles = transport.handles()
        handle = registry.handle(url)
        if handle in handles and url in registry.hung:
            # Its page missed a deadline (a script in a loop): a new tab, not a reload, which
            # a hung renderer may never let through. Closing it ends that page's process.
            registry.drop(url)
            assert handle is not None
            with contextlib.suppress(Exception), transport.bounded(PROBE_S):
                transport.close_tab(handle)
            logger.warning("{}: closed the hung tab of {}; opening it anew", self.label, url)
            handles.remove(handle)
        if handle in handles:
            assert handle is not None
            with transport.bounded(self.config.tick_deadline):  # a page load may take longer
                current = "" if url in registry.unloaded else self._address(handle)
            if not same_notebook(current, url):
                transport.navigate(handle, url)
            return
        adopted = self._adoptable(url, handles, registry.claimed())
        if adopted is not None:
            registry.assign(url, adopted)
            logger.info("{}: adopted the open tab of {}", self.label, url)
            return
        handle = registry.take_spare(handles)
        if handle is None:
            # Launch/remote: a window of its own, so the page is visible (pointer input is
            # prompt, timers run). Attach: a background tab in the user's window.
            handle = transport.new_tab(window=self._attach is None)
        registry.assign(url, handle)
        transport.navigate(handle, url)

    @contextlib.contextmanager
    def _deadline(self, url: str) -> Iterator[None]:
        """Bound the calls of the block by the tick deadline; see `_hang_check`."""
        with self._hang_check(url), self.transport.bounded(self.config.tick_deadline):
            yield

    @contextlib.contextmanager
    def _hang_check(self, url: str) -> Iterator[None]:
        """A call of the block that timed out makes the tab hung (PageHung), or the browser
        lost when it does not answer either."""
        try:
            yield
        except BrowserError as exc:
            if isinstance(exc.__cause__, TimeoutException) and not isinstance(exc, TabLost):
                self._hung(url, exc)
            raise

    def _hung(self, url: str, exc: BrowserError) -> NoReturn:
        """A call to the notebook's tab missed the deadline: is it the page or the browser?"""
        logger.warning(
            "{}: no answer from the tab of {} within {:g}s; asking the browser",
            self.label,
            url,
            self.config.tick_deadline,
        )
        try:
            with translating("listing the tabs"), self.transport.bounded(PROBE_S):
                self.transport.handles()
        except BrowserError as probe:
            raise BrowserLost(
                f"{self.label}: the browser did not answer within "
                f"{self.config.tick_deadline:g}s + {PROBE_S:g}s (frozen?): {probe}"
            ) from exc
        if url in self._registry.tabs:
            self._registry.hung.add(url)
        raise PageHung(
            f"the page of {url} did not answer within {self.config.tick_deadline:g}s "
            "(a script stuck in a loop?): its tab will be replaced",
            hint="a page that keeps hanging is replaced with backoff",
        ) from exc

    def _address(self, handle: str) -> str:
        raw = self.transport.call(handle, page_function("page_address.js"), [])
        return str(raw[0]) if raw else ""

    def reload(self, url: str) -> None:
        """Reload the notebook's tab (e.g. it shows an HTTP error page).

        TabLost when the tab is gone or shows another page (open() brings it back);
        PageUnreachable when the page does not load.
        """
        with self._deadline(url):
            handle = self._enter(url)
        try:
            with translating(f"reloading {url}"):
                # A navigation, not a refresh: a failed load (net::ERR_*) is reported for a
                # navigation only; a refresh would leave Chromium's error page looking loaded.
                self.transport.navigate(handle, url)
        except PageUnreachable:
            self._registry.unloaded.add(url)
            raise

    def _adoptable(self, url: str, handles: list[str], claimed: set[str]) -> str | None:
        if self._attach is None:
            return None
        for target, tab_url in attach_mod.list_tabs(*self._attach):
            if target in handles and target not in claimed and same_notebook(tab_url, url):
                return target
        return None

    def _tab(self, url: str) -> str:
        """The notebook's handle; TabLost when there is none, PageUnreachable when its last
        load failed."""
        handle = self._registry.handle(url)
        if handle is None:
            raise TabLost(f"no tab open for {url}")
        if url in self._registry.unloaded:
            raise PageUnreachable(f"the page of {url} did not load (open it again)")
        return handle

    def _check_href(self, url: str, current: object, signed_out: object = False) -> str:
        """`current` (the tab's address) if it still shows the notebook, else TabLost
        (SignedOut when it is a sign-in page: `signed_out` is the page's own verdict)."""
        if not isinstance(current, str) or not same_notebook(current, url):
            landed = current if isinstance(current, str) else None
            if signed_out is True or (landed is not None and is_sign_in_url(landed)):
                where = place(landed or "")
                raise SignedOut(f"the tab of {url} landed on a sign-in page {where}", landed=landed)
            raise TabLost(f"the tab of {url} navigated away to {current}", landed=landed)
        self._registry.hrefs[url] = current
        return current

    def _enter(self, url: str) -> str:
        """The notebook's handle; TabLost when it is gone or shows something else."""
        handle = self._tab(url)
        with translating(f"reading the address of {url}"):
            current = self._address(handle)
        self._check_href(url, current)
        return handle

    def tick(self, url: str, options: dict[str, Any]) -> tuple[EngineStatus, str | None]:
        """Run js/engine.js once in the notebook's tab; returns (status, page title).

        Normally one short script call (js/tick.js, installed once per document), plus the
        input of the engine's plan when
        `options["actuator"]` is "browser" (the level of activity is
        `options["activity_level"]`). A second call when the tab's address changed since it
        was last checked and still shows the notebook (Colab rewrote its query or fragment).
        TabLost, with the engine not run, when the tab shows another page.
        """
        handle = self._tab(url)
        with self._deadline(url):
            return self._tick(url, handle, options)

    def _tick(
        self, url: str, handle: str, options: dict[str, Any]
    ) -> tuple[EngineStatus, str | None]:
        transport = self.transport
        data: dict[str, Any] = {}
        elements: list[Any] = []
        for _ in range(2):
            with translating(f"ticking {url}"):
                scripts = self._tick_scripts
                args = [json.dumps(options), self._registry.hrefs.get(url), scripts.version]
                raw = transport.call(handle, scripts.stub, args)
                if raw == ["install"]:  # a new document: install the engine once
                    transport.call(handle, scripts.install, [scripts.version])
                    raw = transport.call(handle, scripts.stub, args)
            try:
                data, elements = decode_tick(raw)
            except ValueError as exc:
                raise PageScriptError(f"tick result for {url} is malformed: {exc}") from exc
            if "status" in data:
                break
            self._check_href(url, data.get("href"), data.get("signedOut"))
        else:
            raise TabLost(f"the tab of {url} keeps changing its address")
        try:
            status = EngineStatus.from_json(data["status"])
        except ValueError as exc:
            raise PageScriptError(f"engine result for {url} is malformed: {exc}") from exc
        if options.get("actuator") == "browser":
            level = options.get("activity_level", 0)
            with translating(f"acting in {url}"):
                done = perform(
                    transport,
                    handle,
                    data.get("plan"),
                    elements,
                    visible=bool(data.get("visible")),
                    level=level if isinstance(level, int) else 0,
                )
            status = replace(status, input=f"browser {transport.kind}: {done or 'nothing'}")
        else:
            status = replace(status, input=f"page: {status.acted}")
        title = data.get("title")
        return status, title if isinstance(title, str) and title else None

    def evaluate(self, url: str, script: str, *args: Any) -> Any:
        """Run `script` (a function body using `arguments`) in the notebook's tab; its result,
        which must be JSON-like."""
        with self._deadline(url):
            handle = self._enter(url)
            with translating(f"evaluating a script in {url}"):
                raw = self.transport.call(handle, evaluate_function(script), list(args))
        try:
            return json.loads(raw[0])
        except (ValueError, IndexError, TypeError) as exc:
            raise PageScriptError(f"script result in {url} is not JSON: {exc}") from exc
