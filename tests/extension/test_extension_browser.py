"""The extension in real headless Chromium against the simulated Colab.

The TEST copy of the build (see conftest.py) also matches http://127.0.0.1/*. The content
scripts tick every second (`colab-watchdog extension --interval 1s`); lifetimes and margins
are accelerated through the options' storage, as the options page would write them.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from tests.extension.conftest import SHOTS, ExtensionBrowser
from tests.helpers import sim, wait_until
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RED = [179, 38, 30, 255]


def key_of(url: str) -> str:
    return url.split("?", maxsplit=1)[0]


def tab_states(ext: ExtensionBrowser) -> dict[str, str]:
    """notebook key -> state, as the worker recorded it."""
    tabs = ext.storage().get("tabs", {})
    return {tab["key"]: ("off" if tab["paused"] else tab["state"]) for tab in tabs.values()}


def alerts(ext: ExtensionBrowser, kind: str | None = None) -> list[dict[str, Any]]:
    found = ext.storage().get("alerts", [])
    return [a for a in found if kind is None or a["kind"] == kind]


def on_page(ext: ExtensionBrowser, handle: str, expression: str) -> Any:
    ext.driver.switch_to.window(handle)
    return sim(ext.driver, expression)


def test_two_tabs_stay_connected_for_28s_one_across_a_reload(
    ext: ExtensionBrowser, sim_server: SimServer
) -> None:
    ext.reset()
    sim_server.clear_requests()
    url_a = sim_server.page_url("nb-a", idle=5)
    url_b = sim_server.page_url("nb-b", idle=5, persist=1)
    tab_a, tab_b = ext.open_tab(url_a), ext.open_tab(url_b)
    wait_until(
        lambda: tab_states(ext) == {key_of(url_a): "connected", key_of(url_b): "connected"},
        timeout=30,
        message="both tabs reported connected",
    )
    started_b = ext.storage()["sessions"][key_of(url_b)]["startedAt"]
    began = time.monotonic()
    reloaded_at: list[float] = []

    def held_28s() -> bool:
        for handle in (tab_a, tab_b):
            counters = on_page(ext, handle, "Object.assign({state: s.state}, s.counters)")
            assert counters["disconnects"] == 0, (handle, counters)
            assert counters["state"] == "connected", (handle, counters)
        elapsed = time.monotonic() - began
        if elapsed > 10 and not reloaded_at:
            ext.driver.switch_to.window(tab_b)
            ext.driver.refresh()
            wait_until(lambda: ext.driver.execute_script("return !!window.__sim"), timeout=20)
            reloaded_at.append(sim(ext.driver, "s.counters.interactions"))
        return elapsed >= 28

    wait_until(held_28s, timeout=120, interval=0.5, message="28 s without a disconnect")
    # After the reload the new content script kept feeding the page's idle timer...
    assert on_page(ext, tab_b, "s.counters.interactions") > reloaded_at[0] + 5
    # ...and the runtime's start survived it (the sim keeps the runtime across the reload).
    assert ext.storage()["sessions"][key_of(url_b)]["startedAt"] == started_b
    assert on_page(ext, tab_a, "s.counters.connectClicks") == 0
    # Page loads only: the extension made no request of its own.
    assert len(sim_server.requests) == 3, sim_server.requests
    assert alerts(ext) == []


def test_badge_counts_down_turns_red_and_margins_notify(
    ext: ExtensionBrowser, sim_server: SimServer
) -> None:
    ext.reset({"interval": 1, "maxLifetime": 40, "warnBefore": [35, 25]})
    url = sim_server.page_url("nb-lifetime", idle=600, title="train.ipynb - Colab")
    ext.open_tab(url)
    off_url = sim_server.page_url("nb-switched-off", idle=600, title="eval.ipynb - Colab")
    ext.open_tab(off_url)
    ext.call("await chrome.storage.local.set({disabled: {[args[0]]: true}});", key_of(off_url))

    def seconds_left() -> int | None:
        text, _ = ext.badge()
        match = re.fullmatch(r"(\d+)s", text)
        return int(match.group(1)) if match else None

    first = wait_until(seconds_left, timeout=30, message="a badge in seconds")
    first_at = time.monotonic()
    assert 20 < first <= 40
    text, _ = wait_until(
        lambda: (badge := ext.badge())[1] == RED and badge, timeout=40, message="a red badge"
    )
    later = int(text.rstrip("s"))
    assert later <= 25  # red only within the last margin
    elapsed = time.monotonic() - first_at
    assert later <= first - elapsed + 3, (first, later, elapsed)  # it follows the clock

    margins = wait_until(lambda: len(alerts(ext, "margin")) >= 2 and alerts(ext, "margin"))
    assert margins[0]["title"].startswith("Colab runtime ends in about 3")
    assert all(a["error"] is None for a in margins)
    shown = ext.call("return await chrome.notifications.getAll();")
    assert all(a["id"] in shown for a in margins)
    assert tab_states(ext)[key_of(off_url)] == "off"

    _screenshots(ext)
    reached = wait_until(lambda: alerts(ext, "lifetime-reached"), timeout=40)
    assert "disconnected any moment" in reached[0]["message"]
    assert len(alerts(ext, "margin")) == 2  # each margin once


def _screenshots(ext: ExtensionBrowser) -> None:
    """The popup (its page in a tab) and the badge (drawn by the test page from the real
    chrome.action state), saved for people to look at."""
    from selenium.webdriver.common.by import By

    SHOTS.mkdir(parents=True, exist_ok=True)
    driver = ext.driver
    driver.switch_to.window(ext.control)
    wait_until(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#tabs tbody tr")) == 2)
    driver.find_element(By.TAG_NAME, "body").screenshot(str(SHOTS / "popup.png"))
    _shot_badge(ext, "badge.png", "s")


def _shot_badge(ext: ExtensionBrowser, name: str, ends_with: str) -> None:
    from selenium.webdriver.common.by import By

    SHOTS.mkdir(parents=True, exist_ok=True)
    driver = ext.driver
    driver.switch_to.new_window("tab")
    driver.get(ext.url("test-badge.html"))
    wait_until(lambda: driver.find_element(By.ID, "badge").text.endswith(ends_with))
    driver.find_element(By.ID, "bar").screenshot(str(SHOTS / name))
    driver.close()


def test_badge_formats_hours_and_minutes_and_the_page_estimate_wins(
    ext: ExtensionBrowser, sim_server: SimServer
) -> None:
    ext.reset()
    texts = ext.call(
        "const s = cwxSettings(null);"
        "return [5 * 3600 + 1800, 45 * 60 + 30, 59].map((left) => cwxBadge(left, s).text);"
    )
    assert texts == ["5h", "45m", "59s"]
    # Colab's "may last up to 0 hours 15 minutes" (whole minutes, rounded down) is earlier
    # than the 12 h maximum: it wins.
    ext.open_tab(sim_server.page_url("nb-estimate", idle=600, estimate=900))
    wait_until(lambda: ext.badge()[0] in ("13m", "14m", "15m"), timeout=30, message="badge ~14m")
    assert ext.badge()[1] != RED
    title = ext.call("return await chrome.action.getTitle({});")
    assert re.search(r"ends in about 1[345]m", title), title
    _shot_badge(ext, "badge-estimate.png", "m")
    # The 60m and 30m margins were crossed at once: one notification, for the nearest.
    (margin,) = alerts(ext, "margin")
    assert margin["title"].startswith("Colab runtime ends in about 1")


def test_switch_off_captcha_and_disconnect(ext: ExtensionBrowser, sim_server: SimServer) -> None:
    from selenium.webdriver.common.by import By

    ext.reset()
    url_on = sim_server.page_url("nb-on", idle=5)
    url_off = sim_server.page_url("nb-off", idle=5)
    tab_on, tab_off = ext.open_tab(url_on), ext.open_tab(url_off)
    wait_until(
        lambda: tab_states(ext) == {key_of(url_on): "connected", key_of(url_off): "connected"},
        timeout=30,
    )
    # The popup's switch for one notebook: that tab gets no more page events and idles out.
    driver = ext.driver
    driver.switch_to.window(ext.control)
    row = wait_until(
        lambda: driver.find_elements(By.CSS_SELECTOR, f'tr[data-key="{key_of(url_off)}"]')
    )
    row[0].find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    wait_until(lambda: tab_states(ext).get(key_of(url_off)) == "off", timeout=15)
    wait_until(lambda: on_page(ext, tab_off, "s.state") == "disconnected", timeout=30)
    assert on_page(ext, tab_off, "s.disconnectReason") == "idle"
    assert on_page(ext, tab_on, "s.state") == "connected"

    # A captcha: one notification asking a human; the page is never touched, so it idles
    # out, and the disconnect raises its own notification.
    on_page(ext, tab_on, "s.showCaptcha()")
    captcha = wait_until(lambda: alerts(ext, "captcha"), timeout=20)
    assert "never touches it" in captcha[0]["message"]
    assert captcha[0]["error"] is None  # chrome.notifications accepted it
    wait_until(lambda: on_page(ext, tab_on, "s.state") == "disconnected", timeout=30)
    gone = wait_until(lambda: alerts(ext, "disconnected"), timeout=20)
    assert "Reconnect it by hand" in gone[0]["message"]
    ticks_before = ext.storage()["tabs"]
    wait_until(lambda: ext.storage()["tabs"] != ticks_before, timeout=10)
    assert on_page(ext, tab_on, "s.counters.captchaTouches") == 0
    assert len(alerts(ext, "captcha")) == 1
    assert len(alerts(ext, "disconnected")) == 1  # the switched-off tab raises nothing


def test_reconnect_starts_a_new_runtime_clock(ext: ExtensionBrowser, sim_server: SimServer) -> None:
    ext.reset({"reconnect": True})
    url = sim_server.page_url("nb-reconnect", idle=600, connect_delay=1)
    tab = ext.open_tab(url)
    wait_until(lambda: tab_states(ext) == {key_of(url): "connected"}, timeout=30)
    first = ext.storage()["sessions"][key_of(url)]["startedAt"]
    on_page(ext, tab, "s.disconnect()")
    gone = wait_until(lambda: alerts(ext, "disconnected"), timeout=20)
    assert "Reconnecting (a new runtime)" in gone[0]["message"]

    def restarted() -> bool:
        session = ext.storage()["sessions"][key_of(url)]
        return session["state"] == "connected" and session["startedAt"] > first

    wait_until(restarted, timeout=30, message="a new runtime start after the reconnect")
    assert on_page(ext, tab, "s.counters.reconnects") == 1


def ticks_seen(ext: ExtensionBrowser, count: int) -> None:
    """Waits until every watched tab has reported `count` more ticks (1 s apart)."""
    before = {tab_id: tab["lastTickAt"] for tab_id, tab in ext.storage()["tabs"].items()}

    def all_ticked() -> bool:
        tabs = ext.storage()["tabs"]
        return all(
            tab_id in tabs and tabs[tab_id]["lastTickAt"] >= at + count * 1000
            for tab_id, at in before.items()
        )

    wait_until(all_ticked, timeout=60, interval=0.5, message=f"{count} more ticks of each tab")


def test_a_finished_run_and_a_crash_notify_once_each(
    ext: ExtensionBrowser, sim_server: SimServer
) -> None:
    ext.reset({"interval": 1, "finishedAfter": 3})
    # A cell that runs 10 s from load, then finishes; another that runs until the session
    # crashes (the out-of-memory toast) 8 s after load.
    url_run = sim_server.page_url("nb-run", idle=600, run=10, title="train.ipynb - Colab")
    url_crash = sim_server.page_url(
        "nb-crash", idle=600, run=120, crash_after=8, title="big.ipynb - Colab"
    )
    ext.open_tab(url_run)
    tab_crash = ext.open_tab(url_crash)

    (finished,) = wait_until(lambda: alerts(ext, "finished"), timeout=60, message="finished")
    assert finished["title"] == "Colab run finished"
    took = re.match(r"train\.ipynb: the run took (\d+)s\. ", finished["message"])
    assert took, finished["message"]
    assert 3 <= int(took.group(1)) <= 10  # from the page's elapsed time to the last busy tick
    (crashed,) = wait_until(lambda: alerts(ext, "crashed"), timeout=60, message="crashed")
    assert crashed["title"] == "Colab session crashed"
    assert crashed["message"].startswith(
        "big.ipynb: \u201cYour session crashed after using all available RAM."
    ), crashed["message"]
    assert finished["error"] is None and crashed["error"] is None
    shown = ext.call("return await chrome.notifications.getAll();")
    assert finished["id"] in shown and crashed["id"] in shown

    # Once per episode: the idle notebook and the toast still showing raise nothing more,
    # and the crash ended the other run (no "finished" for it).
    ticks_seen(ext, 4)
    assert sorted(a["kind"] for a in alerts(ext)) == ["crashed", "finished"]
    # The toast goes away; a second crash is a new episode.
    on_page(ext, tab_crash, "s.hideToast()")
    wait_until(
        lambda: ext.storage()["sessions"][key_of(url_crash)]["crashShown"] is False,
        timeout=30,
        message="the crash message gone",
    )
    on_page(ext, tab_crash, "s.crash()")
    wait_until(lambda: len(alerts(ext, "crashed")) == 2, timeout=30, message="second crash")
    ticks_seen(ext, 3)
    assert len(alerts(ext, "crashed")) == 2
    assert len(alerts(ext, "finished")) == 1


def test_options_page_refuses_bad_input_and_saves_good(ext: ExtensionBrowser) -> None:
    from selenium.webdriver.common.by import By

    ext.reset()
    driver = ext.driver
    driver.switch_to.new_window("tab")
    driver.get(ext.url("options.html"))
    field = wait_until(lambda: driver.find_element(By.ID, "interval"))
    wait_until(lambda: field.get_attribute("value") == "1s")  # the build's default
    assert driver.find_element(By.ID, "maxLifetime").get_attribute("value") == "43200"
    assert driver.find_element(By.ID, "warnBefore").get_attribute("value") == "1h, 30m, 10m, 5m"
    assert driver.find_element(By.ID, "finishedAfter").get_attribute("value") == "2m"
    field.clear()
    field.send_keys("soon")
    driver.find_element(By.ID, "save").click()
    message = driver.find_element(By.ID, "message")
    wait_until(lambda: message.text.startswith("Not saved: interval 'soon'"))
    assert "settings" not in ext.storage()
    driver.switch_to.window(driver.window_handles[-1])
    field.clear()
    field.send_keys("2s")
    driver.find_element(By.ID, "save").click()
    wait_until(lambda: message.text.startswith("Saved"))
    assert ext.storage()["settings"]["interval"] == 2
    assert ext.storage()["settings"]["finishedAfter"] == 120


def test_chromium_lists_no_errors_for_the_extension(ext: ExtensionBrowser) -> None:
    """Last in this module: every error of the tests above (manifest, worker, pages,
    content scripts) would be listed by chrome://extensions, with Developer mode on."""
    assert ext.errors() == []
