"""The pasted console snippet (and the bookmarklet) in the simulated Colab, in headless Chromium.

Time is accelerated: the page idles out after 2 s and the snippet ticks every 0.5 s, so "three
idle timeouts" take about 6 s. Console output and timers are observed through small wrappers
installed in the page before the snippet is pasted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import open_sim_page, sim, sim_counters, wait_until
from watchdog import jsassets
from watchdog.core.snippet import SnippetOptions, render_bookmarklet, render_console
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser

ENGINE = jsassets.load("engine.js")
WRAPPER = jsassets.load("snippet.js")
ERAS = ("2019", "2021", "2023", "2025")
IDLE = 2.0
INTERVAL = 0.5

BANNER_TEXT = (
    "const b = document.getElementById('colab-watchdog-banner'); return b ? b.textContent : ''"
)

# Records console lines, live interval timers and Notification use; installed before pasting.
SPY = """
window.__logs = []; window.__warns = []; window.__timers = new Set(); window.__notes = [];
window.__asked = 0;
const log = console.log.bind(console), warn = console.warn.bind(console);
console.log = (...a) => { window.__logs.push(a.join(' ')); log(...a); };
console.warn = (...a) => { window.__warns.push(a.join(' ')); warn(...a); };
const si = window.setInterval, ci = window.clearInterval;
window.setInterval = function (...a) {
  const id = si.apply(window, a); window.__timers.add(id); return id;
};
window.clearInterval = function (id) { window.__timers.delete(id); return ci.call(window, id); };
class FakeNotification {
  constructor(title, opts) { window.__notes.push([title, opts && opts.body]); }
  static requestPermission() {
    window.__asked++; return Promise.resolve(FakeNotification.permission);
  }
}
FakeNotification.permission = arguments[0];
window.Notification = FakeNotification;
"""


@pytest.fixture
def driver(module_chrome_driver: Any, sim_server: SimServer) -> Iterator[Any]:
    yield module_chrome_driver


def load(driver: Any, server: SimServer, permission: str = "default", **params: object) -> None:
    params.setdefault("idle", IDLE)
    open_sim_page(driver, server.page_url(**params))
    driver.execute_script(SPY, permission)


def paste(driver: Any, **options: Any) -> None:
    """What a user does: paste the rendered console snippet and press Enter."""
    options.setdefault("interval_s", INTERVAL)
    driver.execute_script(render_console(ENGINE, WRAPPER, SnippetOptions(**options)))


def ticks(driver: Any) -> int:
    return int(driver.execute_script("return window.__logs.length"))


def page_time(driver: Any) -> float:
    return float(driver.execute_script("return performance.now() / 1000"))


def stays_connected(driver: Any, seconds: float) -> None:
    """Poll the page for `seconds` of page time, failing on any disconnect."""
    end = page_time(driver) + seconds

    def done() -> bool:
        assert sim(driver, "s.state") == "connected", sim(driver, "s.events.slice(-5)")
        return page_time(driver) >= end

    wait_until(done, timeout=seconds * 4 + 10, interval=0.2)


# ----------------------------------------------------------------------------- keep-alive


@pytest.mark.parametrize("era", ERAS)
def test_snippet_keeps_every_era_connected_without_opening_panels(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    load(driver, sim_server, era=era, prompt_after=IDLE * 1.5)
    before = sim_server.requests
    paste(driver)
    stays_connected(driver, IDLE * 3.5)
    counters = sim_counters(driver)
    assert counters["disconnects"] == 0
    assert counters["panelsOpened"] == 0
    assert counters["connectClicks"] == 0
    assert counters["promptsConfirmed"] == 1  # the "are you still there" prompt
    assert sim(driver, "s.openPanels()") == []
    assert ticks(driver) >= 5
    assert sim_server.requests == before, "the snippet made a network request"
    status = driver.execute_script("return window.colabWatchdog.status")
    assert status["state"] == "connected" and status["acted"] == "activity"
    driver.execute_script("window.colabWatchdog.stop()")


def test_without_the_snippet_the_page_idles_out(driver: Any, sim_server: SimServer) -> None:
    """The control case: the keep-alive test above can fail."""
    load(driver, sim_server, era="2025")
    wait_until(lambda: sim(driver, "s.state") == "disconnected", timeout=IDLE * 5 + 5)
    assert sim(driver, "s.disconnectReason") == "idle"


def test_one_log_line_per_tick_and_the_api(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2021", busy=1)
    paste(driver, interval_s=60)  # the timer will not fire during this test
    assert ticks(driver) == 1  # ticked at once
    line = driver.execute_script("return window.__logs[0]")
    assert line.startswith("[colab-watchdog] ")
    assert " connected acted=activity busy=true " in line
    assert "probe=2021:shadow/usage-display" in line
    status = driver.execute_script("return window.colabWatchdog.tick()")
    assert status["state"] == "connected"
    assert ticks(driver) == 2
    assert driver.execute_script("return window.colabWatchdog.status.acted") == "activity"
    driver.execute_script("window.colabWatchdog.stop()")
    assert driver.execute_script("return window.__timers.size") == 0


def test_explicit_max_depth_zero_reaches_the_engine(driver: Any, sim_server: SimServer) -> None:
    """maxDepth 0 is a valid depth (light DOM only), not "unset": the 2025 button is not seen."""
    load(driver, sim_server, era="2025", idle=60)
    paste(driver, interval_s=60, max_depth=0)
    status = driver.execute_script("return window.colabWatchdog.status")
    driver.execute_script("window.colabWatchdog.stop()")
    assert (status["state"], status["acted"]) == ("unknown", "activity")  # the Shift key only


def test_pasting_again_replaces_the_running_instance(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025")
    paste(driver)
    driver.execute_script("window.__first = window.colabWatchdog")
    paste(driver, reconnect=True)
    paste(driver)
    assert driver.execute_script("return window.__timers.size") == 1  # never two timers
    assert driver.execute_script("return window.__first.timer") is None
    assert driver.execute_script("return window.__first !== window.colabWatchdog")
    start = ticks(driver)
    wait_until(lambda: ticks(driver) >= start + 4, timeout=20)
    driver.execute_script("window.colabWatchdog.stop()")
    assert driver.execute_script("return window.__timers.size") == 0
    stopped_at = ticks(driver)
    sim_time = page_time(driver)
    wait_until(lambda: page_time(driver) > sim_time + INTERVAL * 3, timeout=20)
    assert ticks(driver) == stopped_at  # stop() really stopped


# ----------------------------------------------------------------------------- dialogs, captcha


@pytest.mark.parametrize("era", ERAS)
def test_snippet_never_touches_a_captcha(driver: Any, sim_server: SimServer, era: str) -> None:
    load(driver, sim_server, era=era, captcha_after=0.8, idle=60)
    paste(driver, reconnect=True)
    wait_until(lambda: "captcha" in sim(driver, "s.openPanels()"), timeout=10)
    seen = ticks(driver)
    wait_until(lambda: ticks(driver) >= seen + 4, timeout=20)
    assert sim_counters(driver)["captchaTouches"] == 0
    assert driver.execute_script("return window.colabWatchdog.status.captcha") is True
    banner = driver.execute_script(BANNER_TEXT)
    assert banner and "reCAPTCHA" in banner
    assert any("reCAPTCHA" in w for w in driver.execute_script("return window.__warns"))
    driver.execute_script("window.colabWatchdog.stop()")


@pytest.mark.parametrize("reconnect", [False, True])
def test_snippet_reconnects_only_when_told(
    driver: Any, sim_server: SimServer, reconnect: bool
) -> None:
    load(driver, sim_server, era="2025", idle=60, connect_delay=0.3)
    paste(driver, reconnect=reconnect)
    sim(driver, "s.disconnect('test')")
    seen = ticks(driver)
    wait_until(lambda: ticks(driver) >= seen + 4, timeout=20)
    counters = sim_counters(driver)
    if reconnect:
        wait_until(lambda: sim(driver, "s.state") == "connected", timeout=10)
        assert sim_counters(driver)["reconnects"] == 1
    else:
        assert sim(driver, "s.state") == "disconnected"
        assert counters["reconnects"] == 0 and counters["connectClicks"] == 0
        assert sim(driver, "s.openPanels()") == ["runtime-disconnected"]  # left for the user
    driver.execute_script("window.colabWatchdog.stop()")


# ----------------------------------------------------------------------------- lifetime warnings


def test_banner_console_warning_and_notification_at_each_margin(
    driver: Any, sim_server: SimServer
) -> None:
    load(driver, sim_server, permission="granted", era="2025", idle=60)
    paste(driver, max_lifetime_s=4, warn_before_s=(3, 1.5))
    banner = BANNER_TEXT
    assert driver.execute_script(banner) == ""  # nothing before the first margin
    text = wait_until(lambda: driver.execute_script(banner), timeout=15)
    assert "save a checkpoint" in text
    wait_until(lambda: len(driver.execute_script("return window.__notes")) >= 2, timeout=15)
    wait_until(lambda: "lifetime reached" in driver.execute_script(banner), timeout=15)
    driver.execute_script("window.colabWatchdog.stop()")
    notes = driver.execute_script("return window.__notes")
    warns = driver.execute_script("return window.__warns")
    assert len(notes) == 3  # two margins and the end, each exactly once
    assert len(warns) == 3
    assert all(title == "Colab watchdog" for title, _ in notes)
    assert driver.execute_script("return window.__asked") == 0  # already granted: never asked


def test_notification_permission_is_asked_at_most_once(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, permission="default", era="2019", idle=60)
    for _ in range(3):
        paste(driver, max_lifetime_s=3, warn_before_s=(2,))
    wait_until(lambda: "lifetime reached" in driver.execute_script(BANNER_TEXT), timeout=15)
    driver.execute_script("window.colabWatchdog.stop()")
    assert driver.execute_script("return window.__asked") == 1
    assert driver.execute_script("return window.__notes") == []  # not granted: banner only


# ----------------------------------------------------------------------------- bookmarklet


@pytest.mark.parametrize("era", ERAS)
def test_bookmarklet_starts_the_watchdog(driver: Any, sim_server: SimServer, era: str) -> None:
    load(driver, sim_server, era=era)
    url = render_bookmarklet(ENGINE, WRAPPER, SnippetOptions(interval_s=INTERVAL))
    title = driver.title
    # Clicking a javascript: link runs it in the page, exactly like clicking a bookmark.
    driver.execute_script(
        "const a = document.createElement('a'); a.href = arguments[0]; a.id = 'bm';"
        "a.textContent = 'bm'; document.body.append(a); a.click(); a.remove();",
        url,
    )
    wait_until(lambda: driver.execute_script("return !!window.colabWatchdog"), timeout=10)
    assert driver.title == title  # the page was not replaced by the URL's value
    stays_connected(driver, IDLE * 1.5)  # longer than one idle timeout
    assert sim_counters(driver)["panelsOpened"] == 0
    assert driver.execute_script("return window.__timers.size") == 1
    driver.execute_script("window.colabWatchdog.stop()")
