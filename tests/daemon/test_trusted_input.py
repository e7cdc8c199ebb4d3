"""The pessimistic hypotheses, in real Chromium: the simulated page counts only input the
browser generates (`isTrusted`) as activity, and its dialog buttons answer only real clicks.

The daemon (actuator "browser") keeps notebooks connected through several idle timeouts and
confirms the idle prompt, in launch, attach and remote (Selenium Grid) modes; the console
snippet, which can only dispatch page events, fails there (the documented limit); and in
attach mode the user's visible tab never changes.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from loguru import logger

from tests.daemon.conftest import (
    ENGINE_OPTIONS,
    DaemonThread,
    NoClose,
    launch_config,
)
from tests.daemon.test_modes import (
    USER_TAB,
    attach_config,
    front_tab_title,
    open_in_users_browser,
)
from tests.helpers import new_chrome_driver, open_sim_page, sim_counters, sim_state, wait_until
from watchdog import jsassets
from watchdog.adapters.browser import BrowserConfig, SeleniumBrowser
from watchdog.core.snippet import SnippetOptions, render_console
from watchdog.sim import SimServer

# Every test here drives a real Chromium (launched, attached or through a Selenium Grid).
pytestmark = [pytest.mark.browser, pytest.mark.slow]

IDLE = 5.0
INTERVAL = 1.0
BROWSER_INPUT = {**ENGINE_OPTIONS, "actuator": "browser"}
PANELS = "return window.__sim.openPanels();"
READ = (
    "const s = window.__sim; return s ? {state: s.state, disconnects: s.counters.disconnects,"
    " prompts: s.counters.promptsConfirmed, ignored: s.counters.untrustedIgnored,"
    " interactions: s.counters.interactions} : null;"
)


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    lines: list[str] = []
    sink = logger.add(lambda m: lines.append(str(m)), level="DEBUG", format="{message}")
    yield lines
    logger.remove(sink)


def idle_for(count: int) -> float:
    """The pages' idle timeout: 5 s, more for 10 notebooks. The daemon opens every tab before
    its first sweep, and the first page's idle timer runs from its load: opening 10 tabs took
    15 s on a loaded 2-core machine (load average 13-20)."""
    return IDLE if count < 10 else 5 * IDLE


def timeouts_for(count: int) -> float:
    """How many idle timeouts the run lasts: about 30 s either way."""
    return 3.2 if count < 10 else 1.3


def urls_for(server: SimServer, count: int, tag: str) -> list[str]:
    """`count` trusted-only notebooks; the last one also shows the idle prompt early."""
    idle = idle_for(count)
    urls = [server.page_url(f"{tag}-{i}", era=2025, idle=idle, trusted=1) for i in range(count - 1)]
    urls.append(server.page_url(f"{tag}-prompt", era=2025, idle=idle, trusted=1, prompt_after=2))
    return urls


def keeps_connected(browser: Any, urls: list[str]) -> None:
    """Run the daemon over `urls` for some idle timeouts (`timeouts_for`); every page stays
    connected with no disconnect, the prompt is confirmed, and only trusted input did it."""
    timeouts = timeouts_for(len(urls))
    run = DaemonThread(NoClose(browser), urls, INTERVAL)
    run.daemon.config.options = BROWSER_INPUT
    run.start()
    try:
        wait_until(lambda: len(run.ok_ticks()) >= len(urls), timeout=120)
        started = time.monotonic()
        while time.monotonic() - started < timeouts * idle_for(len(urls)):
            time.sleep(0.5)
            assert run.thread.is_alive()
        pages = {url: browser.evaluate(url, READ) for url in urls}
    finally:
        run.stop()
    for url, page in pages.items():
        assert page["state"] == "connected" and page["disconnects"] == 0, (url, page)
        assert page["interactions"] > 0, (url, page)
    assert pages[urls[-1]]["prompts"] >= 1, pages[urls[-1]]
    used = {r.status.input for r in run.ok_ticks() if r.status is not None}
    assert used and all(u and u.startswith("browser ") for u in used), used


@pytest.mark.parametrize("count", [1, 2, 10])
def test_launch_mode_keeps_trusted_only_notebooks_connected(
    tmp_path: Path, sim_server: SimServer, count: int
) -> None:
    browser = SeleniumBrowser(launch_config(tmp_path))
    try:
        keeps_connected(browser, urls_for(sim_server, count, f"launch{count}"))
        assert browser.transport_kind == "bidi"
    finally:
        browser.close()


@pytest.mark.parametrize("count", [1, 2, 10])
def test_attach_mode_keeps_trusted_only_notebooks_connected(
    debug_chromium: tuple[subprocess.Popen[bytes], int], sim_server: SimServer, count: int
) -> None:
    _, port = debug_chromium
    browser = SeleniumBrowser(attach_config(port))
    try:
        keeps_connected(browser, urls_for(sim_server, count, f"attach{count}"))
        assert browser.transport_kind == "cdp"
    finally:
        browser.close()


@pytest.mark.grid
@pytest.mark.parametrize("count", [1, 2, 10])
def test_remote_grid_mode_keeps_trusted_only_notebooks_connected(
    module_selenium_grid: str, sim_server: SimServer, count: int
) -> None:
    browser = SeleniumBrowser(BrowserConfig(mode="remote", remote_url=module_selenium_grid))
    try:
        keeps_connected(browser, urls_for(sim_server, count, f"grid{count}"))
        assert browser.transport_kind == "bidi"
    finally:
        browser.close()


def test_attach_mode_never_changes_the_users_visible_tab(
    debug_chromium: tuple[subprocess.Popen[bytes], int], sim_server: SimServer
) -> None:
    """With 3 notebooks and 20 ticks each (the idle prompt confirmed in one), the tab the
    user looks at never gets a visibilitychange: its title still counts one state."""
    _, port = debug_chromium
    urls = urls_for(sim_server, 3, "front")
    for url in urls:
        open_in_users_browser(port, url)
    open_in_users_browser(port, USER_TAB)
    wait_until(lambda: front_tab_title(port) == "user visible 1", timeout=15)
    browser = SeleniumBrowser(attach_config(port))
    browser.start()
    try:
        for url in urls:
            browser.open(url)
        wait_until(lambda: "idle-prompt" in browser.evaluate(urls[-1], PANELS), timeout=30)
        for _ in range(20):
            for url in urls:
                status, _title = browser.tick(url, BROWSER_INPUT)
                assert status.state == "connected"
        assert browser.evaluate(urls[-1], READ)["prompts"] >= 1
        assert front_tab_title(port) == "user visible 1"
    finally:
        browser.close()
    assert front_tab_title(port) == "user visible 1"


def test_page_events_fail_under_the_pessimistic_hypotheses(
    tmp_path: Path, sim_server: SimServer
) -> None:
    """The documented limit of the console snippet (and of WATCHDOG_INPUT=page): page events
    are not trusted, so the runtime idles out and the prompt stays open, although the
    snippet ticks and 'clicks' all along."""
    driver = new_chrome_driver(tmp_path / "snippet-profile")
    try:
        url = sim_server.page_url("snippet", era=2025, idle=3, trusted=1, prompt_after=1)
        open_sim_page(driver, url)
        snippet = render_console(
            jsassets.load("engine.js"), jsassets.load("snippet.js"), SnippetOptions(interval_s=0.5)
        )
        driver.execute_script(snippet)
        wait_until(lambda: sim_state(driver) == "disconnected", timeout=30)
        counters = sim_counters(driver)
        assert counters["untrustedIgnored"] > 0 and counters["interactions"] == 0, counters
        assert counters["promptsConfirmed"] == 0, counters
    finally:
        driver.quit()


def test_done_when_run_three_urls_keeps_two_connected_and_confirms_the_prompt(
    tmp_path: Path, fresh_sim_server: SimServer
) -> None:
    """`colab-watchdog run URL1 URL2 URL3` (interval 1 s, idle timeout 5 s) on the trusted-only
    page: the two plain notebooks stay connected for 30 s, the third's prompt is confirmed."""
    from tests.daemon.test_cli_run import TICK, cli_env, run_then_sigterm

    plain = [fresh_sim_server.page_url(f"cli-{i}", era=2025, idle=IDLE, trusted=1) for i in (1, 2)]
    prompt = fresh_sim_server.page_url("cli-3", era=2025, idle=IDLE, trusted=1, prompt_after=3)
    env = cli_env(tmp_path)
    log, _, _ = run_then_sigterm(tmp_path, [*plain, prompt], env, prompt, 30)
    for url in plain:
        states = [m.group(2) for m in TICK.finditer(log) if m.group(1) == url]
        assert len(states) >= 20 and set(states) == {"connected"}, log[-3000:]
    dialogs = [m.group(4) for m in TICK.finditer(log) if m.group(1) == prompt]
    assert "idle-prompt/confirmed" in dialogs, log[-3000:]
    states = [m.group(2) for m in TICK.finditer(log) if m.group(1) == prompt]
    assert set(states) == {"connected"}, log[-3000:]
    assert "browser bidi: click(I'm here); key" in log, log[-3000:]


def test_without_bidi_the_classic_fallback_still_uses_trusted_input(
    tmp_path: Path, sim_server: SimServer, log_lines: list[str]
) -> None:
    """An endpoint without BiDi: switch to each tab, then WebDriver Actions. Logged once."""
    browser = SeleniumBrowser(launch_config(tmp_path, bidi=False))
    urls = urls_for(sim_server, 2, "classic")
    browser.start()
    try:
        assert browser.transport_kind == "classic"
        for url in urls:
            browser.open(url)
        wait_until(lambda: "idle-prompt" in browser.evaluate(urls[-1], PANELS), timeout=30)
        for _ in range(3):
            for url in urls:
                status, _ = browser.tick(url, BROWSER_INPUT)
                assert status.state == "connected"
                assert status.input is not None and status.input.startswith("browser classic")
        pages = [browser.evaluate(url, READ) for url in urls]
        assert all(p["interactions"] > 0 and p["ignored"] == 0 for p in pages), pages
        assert pages[-1]["prompts"] == 1, pages
        browser.recover()  # a second start logs nothing new
    finally:
        browser.close()
    fallbacks = [line for line in log_lines if "falling back to switching tabs" in line]
    assert len(fallbacks) == 1, fallbacks
